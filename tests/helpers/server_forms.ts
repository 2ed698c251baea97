import { type AppProcess, cookiesOf, csrfTokenOf } from '#kit/testing'

/**
 * A form page a browser opened on a spawned server: its CSRF token and
 * the cookies it set ("name=value; ...", for a Cookie header).
 */
export type ServerForm = { csrfToken: string; cookie: string }

/**
 * GETs the form of `page` as a browser without cookies.
 */
export async function openServerForm(server: AppProcess, page: string): Promise<ServerForm> {
  const response = await server.fetch(page, { headers: { accept: 'text/html' } })
  return { csrfToken: csrfTokenOf(await response.text()), cookie: cookiesOf(response) }
}

/**
 * POSTs `fields` to `action` from an opened form: as a browser (form
 * fields, the default) or as an API client (`accept: 'application/json'`,
 * a JSON body with the CSRF token in its header).
 */
export function postServerForm(
  server: AppProcess,
  action: string,
  fields: Record<string, string>,
  form: ServerForm,
  accept: 'text/html' | 'application/json' = 'text/html'
): Promise<Response> {
  const json = accept === 'application/json'
  return server.fetch(action, {
    method: 'POST',
    headers: {
      accept,
      'cookie': form.cookie,
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      ...(json ? { 'x-csrf-token': form.csrfToken } : {}),
    },
    body: json ? JSON.stringify(fields) : new URLSearchParams({ ...fields, _csrf: form.csrfToken }),
  })
}

/**
 * Resolves once every log line of the requests sent to `server` so far is
 * printed: sends a request that is logged, and waits for its line (the
 * lines come in order).
 */
export async function logsSettled(server: AppProcess, marker: string) {
  await server.fetch('/__test__/errors/status/409', { headers: { 'x-request-id': marker } })
  await server.waitForOutput(new RegExp(marker))
}
