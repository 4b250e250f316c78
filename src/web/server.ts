import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Core } from '../core'
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
}

export interface WebServer {
  url: string
  key: string
  port: number
  close(): Promise<void>
}

// A OneRoster zip of a large school, base64-encoded, is the biggest call.
const MAX_BODY = 32 * 1024 * 1024
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
  let port = 0

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'internal error'))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      return send(res, 421, 'text/plain', 'wrong host')
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname === '/rpc') return rpc(req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed')
    return serveFile(url.pathname, res)
  }

  async function rpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store')
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed')
    const given = Buffer.from(String(req.headers['x-guichet-key'] ?? ''))
    if (given.length !== keyBytes.length || !timingSafeEqual(given, keyBytes)) return send(res, 403, 'text/plain', 'forbidden')
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain', 'json only')
    let body: unknown
    try {
      body = JSON.parse(await readBody(req))
    } catch {
      return send(res, 400, 'text/plain', 'bad request')
    }
    const request = RpcRequest.safeParse(body)
    if (!request.success) return send(res, 400, 'text/plain', 'bad request')
    const result = await options.core.dispatch(request.data)
    return send(res, 200, 'application/json', JSON.stringify(result))
  }

  async function serveFile(pathname: string, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' || pathname === '/kiosk' ? 'index.html' : decodeURIComponent(pathname.slice(1))
    const file = normalize(join(root, relative))
    if (!file.startsWith(root + sep)) return send(res, 404, 'text/plain', 'not found')
    try {
      const data = await readFile(file)
      if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', data)
    } catch {
      return send(res, 404, 'text/plain', 'not found')
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        fail(new Error('too large'))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
    req.on('error', fail)
  })
}
