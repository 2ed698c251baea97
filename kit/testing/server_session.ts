import type { AppProcess } from '#kit/testing/app_process'
import { csrfTokenOf } from '#kit/testing/sign_in'

/**
 * The status of a response, once it arrives.
 */
export async function statusOf(request: Promise<Response>): Promise<number> {
  const response = await request
  return response.status
}

/**
 * The first entry of the `errors` of a JSON error body.
 */
export async function firstErrorOf(response: Response): Promise<Record<string, any>> {
  const body: any = await response.json()
  return body.errors[0]
}

/**
 * The HTML of a page, once it arrives.
 */
export async function htmlOf(request: Promise<Response>): Promise<string> {
  const response = await request
  return response.text()
}

/**
 * GET `path` with a session cookie, as an API client (JSON).
 */
export function getJson(server: AppProcess, path: string, cookie: string) {
  return server.fetch(path, { headers: { accept: 'application/json', cookie } })
}

/**
 * GET `path` with a session cookie, as a browser (HTML).
 */
export function getPage(server: AppProcess, path: string, cookie: string) {
  return server.fetch(path, { headers: { accept: 'text/html', cookie } })
}

/**
 * POSTs a form (its CSRF token taken from `formPage` on the same server)
 * with a session cookie.
 */
export async function postForm(
  server: AppProcess,
  path: string,
  cookie: string,
  formPage: string,
  fields: Record<string, string> = {}
) {
  const page = await getPage(server, formPage, cookie)
  const csrf = csrfTokenOf(await page.text())
  return server.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, _csrf: csrf }),
  })
}
