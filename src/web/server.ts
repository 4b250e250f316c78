import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Core } from '../core'
import { refusalPayload } from '../core/i18n'
import type { RequestRefusedReason } from '../shared/errors'
import { RpcRequest } from '../shared/rpc'
import { CONTENT_SECURITY_POLICY } from '../shared/csp'

/**
 * Browser mode's bridge: the same core behind HTTP, on the loopback interface only.
 * Three locks on the door: it listens on 127.0.0.1 alone; every call carries the per-run key
 * that only the printed URL holds (in its #fragment, so it never reaches a log or a Referer);
 * and the Host header must name the loopback address, which defeats DNS rebinding.
 */
export interface WebServerOptions {
  core: Core
  /** The built renderer (vite.web.config.mts → dist-web). */
  staticDir: string
  port?: number
  /** Fixed only by tests that need to know it; a fresh random key otherwise. */
  key?: string
  /** The largest /rpc body, in bytes (tests make it small). */
  maxBody?: number
}

export interface WebServer {
  url: string
  key: string
  port: number
  close(): Promise<void>
}

// A OneRoster zip of a large school, base64-encoded, is the biggest call.
const MAX_BODY = 32 * 1024 * 1024
const STATUS: Record<RequestRefusedReason, number> = { badRequest: 400, key: 403, notFound: 404, method: 405, tooLarge: 413, mediaType: 415, host: 421 }
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const key = options.key ?? randomBytes(32).toString('base64url')
  const keyBytes = Buffer.from(key)
  const root = resolve(options.staticDir)
  const maxBody = options.maxBody ?? MAX_BODY
  let port = 0

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'internal error'))
  })

  /** A refusal the core did not see, in the same shape and language as the core's own. */
  function refuse(req: IncomingMessage, res: ServerResponse, reason: RequestRefusedReason): void {
    const english = /^en\b/i.test(String(req.headers['accept-language'] ?? ''))
    send(res, STATUS[reason], 'application/json', JSON.stringify({ ok: false, error: refusalPayload(english ? 'en-CA' : 'fr-CA', reason) }))
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      return refuse(req, res, 'host')
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname === '/rpc') return rpc(req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(req, res, 'method')
    return serveFile(url.pathname, req, res)
  }

  async function rpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store')
    if (req.method !== 'POST') return refuse(req, res, 'method')
    const given = Buffer.from(String(req.headers['x-guichet-key'] ?? ''))
    if (given.length !== keyBytes.length || !timingSafeEqual(given, keyBytes)) return refuse(req, res, 'key')
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(req, res, 'mediaType')
    if (Number(req.headers['content-length'] ?? 0) > maxBody) return tooLarge(req, res)
    let text: string
    try {
      text = await readBody(req, maxBody)
    } catch (error) {
      if (error instanceof TooLarge) return tooLarge(req, res)
      throw error
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return refuse(req, res, 'badRequest')
    }
    const request = RpcRequest.safeParse(body)
    if (!request.success) return refuse(req, res, 'badRequest')
    const result = await options.core.dispatch(request.data)
    return send(res, 200, 'application/json', JSON.stringify(result))
  }

  /** Answers 413 and closes the connection: the rest of the body is not read. */
  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Connection', 'close')
    refuse(req, res, 'tooLarge')
    req.resume()
  }

  async function serveFile(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let relative: string
    try {
      relative = pathname === '/' || pathname === '/kiosk' ? 'index.html' : decodeURIComponent(pathname.slice(1))
    } catch {
      // A malformed escape (`/%`, `/%E0%A4%A`, `/%ff`) names no file.
      return refuse(req, res, 'badRequest')
    }
    const file = normalize(join(root, relative))
    if (relative.includes('\0') || !file.startsWith(root + sep)) return refuse(req, res, 'notFound')
    try {
      const data = await readFile(file)
      if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', data)
    } catch {
      return refuse(req, res, 'notFound')
    }
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/#key=${key}`,
    key,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type })
  res.end(body)
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.removeAllListeners('data')
        fail(new TooLarge())
      } else chunks.push(chunk)
    })
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
    req.on('error', fail)
  })
}
