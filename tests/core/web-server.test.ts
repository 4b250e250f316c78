import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebServer, type WebServer } from '../../src/web/server'
import { testCore, tempDir } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let server: WebServer
let dir: ReturnType<typeof tempDir>

beforeAll(async () => {
  t = await testCore()
  t.board.staff('sophie', 'secretary')
  dir = tempDir()
  mkdirSync(join(dir.dir, 'static', 'assets'), { recursive: true })
  writeFileSync(join(dir.dir, 'static', 'index.html'), '<!doctype html><title>Guichet</title>')
  writeFileSync(join(dir.dir, 'secret.txt'), 'outside')
  server = await startWebServer({ core: t.core, staticDir: join(dir.dir, 'static') })
})
afterAll(async () => {
  await server.close()
  await t.cleanup()
  dir.cleanup()
})

function http(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...options.headers } },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', fail)
    req.end(options.body)
  })
}

const rpc = (body: unknown, key = server.key, headers: Record<string, string> = {}) =>
  http('/rpc', { method: 'POST', headers: { 'content-type': 'application/json', 'x-guichet-key': key, ...headers }, body: JSON.stringify(body) })

describe('the loopback bridge', () => {
  it('hands out a URL on 127.0.0.1 that carries the key in its fragment only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#key=${server.key}`)
    expect(server.key.length).toBeGreaterThanOrEqual(40)
  })

  it('runs a call through the same dispatch', async () => {
    const res = await rpc({ method: 'auth.signIn', input: { username: 'sophie', password: 'secret-pass' } })
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { staff: { username: 'sophie' } } })
    const refused = JSON.parse((await rpc({ method: 'students.search', input: {} })).body)
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
  })

  it('refuses a call without the key, with a wrong key, or from a foreign Host (DNS rebinding)', async () => {
    expect((await rpc({ method: 'system.info', input: {} }, 'wrong')).status).toBe(403)
    expect((await rpc({ method: 'system.info', input: {} }, '')).status).toBe(403)
    expect((await rpc({ method: 'system.info', input: {} }, server.key, { host: `evil.example:${server.port}` })).status).toBe(421)
  })

  it('refuses what is not a JSON call', async () => {
    expect((await http('/rpc')).status).toBe(405)
    expect((await http('/rpc', { method: 'POST', headers: { 'x-guichet-key': server.key, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415)
    expect((await http('/rpc', { method: 'POST', headers: { 'x-guichet-key': server.key, 'content-type': 'application/json' }, body: '{nope' })).status).toBe(400)
    expect((await rpc({ input: {} })).status).toBe(400)
  })

  it('serves the renderer with the CSP, and nothing outside it', async () => {
    const page = await http('/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect((await http('/../secret.txt')).status).toBe(404)
    expect((await http('/%2e%2e/secret.txt')).status).toBe(404)
    expect((await http('/assets/missing.js')).status).toBe(404)
    expect((await http('/', { method: 'DELETE' })).status).toBe(405)
  })
})
