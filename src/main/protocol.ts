import type { CustomScheme, Protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '../shared/csp'

/**
 * The renderer is served from app://guichet/…, never from file://: a real origin for the CSP
 * and the IPC sender check, and no access to the rest of the disk through relative URLs.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'guichet'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** Registered before `ready` (Electron requires it): a standard, secure scheme that fetch() accepts. */
export const APP_SCHEME_PRIVILEGES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]

/** Paths the single-page app answers with its index.html (the same as browser mode's server). */
const PAGE_ROUTES = new Set(['/', '/kiosk'])

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
}

/**
 * Is this URL on the app's own origin? Compared part by part: Node's URL gives non-special
 * schemes the opaque origin 'null', so `new URL(url).origin` cannot be used for app://.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  )
}

/**
 * The file under `root` that an app:// URL names, or null when the URL is not ours or tries to
 * leave `root` (`..`, encoded slashes or backslashes, NUL, drive letters, empty segments).
 */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null
  let path: string
  try {
    path = decodeURIComponent(new URL(requestUrl).pathname)
  } catch {
    return null
  }
  if (PAGE_ROUTES.has(path)) path = '/index.html'
  if (!path.startsWith('/') || /[\\\0:]/.test(path)) return null
  const segments = path.slice(1).split('/')
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null
  const base = resolve(root)
  const file = resolve(base, ...segments)
  const inside = relative(base, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null
  return file
}

/** Headers of every app:// response: the page's CSP first. */
export function responseHeaders(file: string | null): Record<string, string> {
  return {
    'Content-Type': (file && TYPES[extname(file).toLowerCase()]) ?? 'text/plain; charset=utf-8',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  }
}

export type ReadFile = (file: string) => Promise<Uint8Array>

/** The app:// handler: GET/HEAD of files under `root` (out/renderer), 404 for anything else. */
export function createAppProtocolHandler(root: string, read: ReadFile = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: responseHeaders(null) })
    }
    const file = resolveAppFile(root, request.url)
    if (!file) return new Response(null, { status: 404, headers: responseHeaders(null) })
    let body: Uint8Array
    try {
      body = await read(file)
    } catch {
      return new Response(null, { status: 404, headers: responseHeaders(null) })
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: responseHeaders(file) })
  }
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(root))
}
