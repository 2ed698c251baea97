/*
 * Passkeys (WebAuthn) in the browser: the forms marked data-passkey on the
 * login page ("sign-in"), the two-step sign-in page ("second-factor") and
 * the security page ("register"). Each form stays hidden unless the
 * browser can make or use passkeys; everything else on those pages works
 * without this script. No inline script, no eval: it passes the pages'
 * Content-Security-Policy (script-src 'self').
 *
 * A form's flow: POST its data-options URL for the ceremony's options
 * (the server keeps the challenge in the session), ask the browser
 * (navigator.credentials.create or .get), POST the answer as JSON to the
 * form's action, then go where the server says (or data-done). Binary
 * fields travel as base64url, as the server's library expects.
 */
;(function () {
  'use strict'

  var supported =
    typeof window.PublicKeyCredential === 'function' &&
    !!navigator.credentials &&
    typeof navigator.credentials.create === 'function'

  /* base64url <-> ArrayBuffer, by hand (no atob/btoa quirks with "-" and "_"). */
  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer)
    var binary = ''
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  }

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/')
    while (base64.length % 4) base64 += '='
    var binary = atob(base64)
    var bytes = new Uint8Array(binary.length)
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes.buffer
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: fromBase64url(item.id), transports: item.transports }
    })
  }

  /* The options JSON of the server as the browser's API takes them. */
  function creationOptions(json) {
    var options = Object.assign({}, json, {
      challenge: fromBase64url(json.challenge),
      user: Object.assign({}, json.user, { id: fromBase64url(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials),
    })
    delete options.hints
    return options
  }

  function requestOptions(json) {
    var options = Object.assign({}, json, { challenge: fromBase64url(json.challenge) })
    if (json.allowCredentials) options.allowCredentials = descriptors(json.allowCredentials)
    delete options.hints
    return options
  }

  /* The browser's credential as the JSON the server verifies. */
  function credentialJSON(credential) {
    var response = credential.response
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    }
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject)
      if (typeof response.getTransports === 'function') {
        json.response.transports = response.getTransports()
      }
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData)
      json.response.signature = toBase64url(response.signature)
      if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle)
    }
    return json
  }

  /* The form's CSRF token, else the page's (the login page has one form with it). */
  function csrfToken(form) {
    var field = form.elements._csrf || document.querySelector('input[name="_csrf"]')
    return field ? field.value : ''
  }

  function post(url, form, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'accept': 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': csrfToken(form),
      },
      body: JSON.stringify(body || {}),
    }).then(function (answer) {
      return answer.json().then(
        function (json) {
          return { ok: answer.ok, json: json }
        },
        function () {
          return { ok: answer.ok, json: {} }
        }
      )
    })
  }

  function messageOf(json) {
    var error = json && json.errors && json.errors[0]
    return (error && (error.message || error.detail)) || 'Something went wrong. Try again.'
  }

  /*
   * Where a refused claim sends the browser, as the server does for pages:
   * without a recent proof (recent-auth), the form's data-confirm page,
   * coming back here.
   */
  function claimRedirect(form, json) {
    var first = json && json.errors && json.errors[0]
    var failures =
      (json && json.claimValidationErrors) ||
      (first && first.meta && first.meta.claimValidationErrors) ||
      []
    var confirm = form.getAttribute('data-confirm')
    for (var i = 0; i < failures.length; i++) {
      if (failures[i].id === 'recent-auth' && confirm) {
        return confirm + '?next=' + encodeURIComponent(location.pathname + location.search)
      }
    }
    return null
  }

  function show(form, text) {
    var status = form.querySelector('[data-passkey-status]')
    if (!status) return
    status.textContent = text
    status.hidden = !text
  }

  function run(form) {
    var kind = form.getAttribute('data-passkey')
    var button = form.querySelector('button[type="submit"]')
    var fields = {}
    if (form.elements.next) fields.next = form.elements.next.value
    if (form.elements.name && form.elements.name.value.trim()) {
      fields.name = form.elements.name.value.trim()
    }
    show(form, '')
    button.disabled = true
    var leaving = { leaving: true }
    post(form.getAttribute('data-options'), form)
      .then(function (answer) {
        var redirect = answer.ok ? null : claimRedirect(form, answer.json)
        if (redirect) {
          window.location.assign(redirect)
          throw leaving
        }
        if (!answer.ok) throw new Error(messageOf(answer.json))
        return kind === 'register'
          ? navigator.credentials.create({ publicKey: creationOptions(answer.json) })
          : navigator.credentials.get({ publicKey: requestOptions(answer.json) })
      })
      .then(function (credential) {
        if (!credential) throw new Error('No passkey was chosen.')
        fields.response = credentialJSON(credential)
        return post(form.action, form, fields)
      })
      .then(function (answer) {
        if (!answer.ok) throw new Error(messageOf(answer.json))
        window.location.assign(form.getAttribute('data-done') || answer.json.redirect || '/')
      })
      .catch(function (error) {
        if (error === leaving) return
        button.disabled = false
        show(
          form,
          error && error.name === 'NotAllowedError'
            ? 'The passkey prompt was closed or timed out.'
            : error && error.name === 'InvalidStateError'
              ? 'This device has a passkey for your account already.'
              : (error && error.message) || 'Something went wrong. Try again.'
        )
      })
  }

  var forms = document.querySelectorAll('form[data-passkey]')
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i]
    if (!supported) continue
    form.hidden = false
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      run(event.currentTarget)
    })
  }
  if (supported) {
    var notes = document.querySelectorAll('[data-passkey-unsupported]')
    for (var j = 0; j < notes.length; j++) notes[j].hidden = true
  }
})()
