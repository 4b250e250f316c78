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
  server = await startWebServer({ core: t.core, staticDir: join(dir.dir, 'static'), maxBody: 4096 })
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

  it('answers each refusal as the core answers an error, structured and translated', async () => {
    const refusal = (res: { status: number; headers: Record<string, unknown>; body: string }) => {
      expect(res.headers['content-type']).toBe('application/json')
      const body = JSON.parse(res.body) as { ok: boolean; error: { code: string; message: string } }
      expect(body.ok).toBe(false)
      expect(body.error.code).toBe('REQUEST_REFUSED')
      expect(body.error.message).not.toMatch(/[{}]/)
      return [res.status, body.error.message]
    }
    expect(refusal(await http('/rpc'))).toEqual([405, 'Cette adresse ne s’utilise pas ainsi : rechargez la page.'])
    expect(refusal(await rpc({ method: 'system.info' }, 'wrong'))).toEqual([403, 'Cette page n’a pas la clé de Guichet : ouvrez l’adresse affichée au démarrage de Guichet.'])
    expect(refusal(await rpc({ method: 'system.info' }, 'wrong', { 'accept-language': 'en-CA,en;q=0.9' }))).toEqual([403, 'This page does not have Guichet’s key: open the address Guichet printed when it started.'])
    expect(refusal(await http('/rpc', { method: 'POST', headers: { 'x-guichet-key': server.key, 'content-type': 'text/plain' }, body: '{}' }))[0]).toBe(415)
    expect(refusal(await http('/rpc', { method: 'POST', headers: { 'x-guichet-key': server.key, 'content-type': 'application/json' }, body: '{nope' }))[0]).toBe(400)
    expect(refusal(await rpc({ method: 'system.info' }, server.key, { host: `evil.example:${server.port}` }))[0]).toBe(421)
    expect(refusal(await http('/', { method: 'DELETE' }))[0]).toBe(405)
  })

  it('answers 413 to a body over the limit, and still serves the next call', async () => {
    const big = await rpc({ method: 'auth.signIn', input: { username: 'x'.repeat(8000), password: 'y' } })
    expect(big.status).toBe(413)
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { code: 'REQUEST_REFUSED', message: 'La demande est trop volumineuse : choisissez un fichier plus petit.' } })
    expect(JSON.parse((await rpc({ method: 'system.info', input: {} })).body)).toMatchObject({ ok: true })
  })

  it('takes an envelope without input for a method that takes none', async () => {
    const res = await rpc({ method: 'system.info' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ ok: true })
    expect(JSON.parse((await rpc({ method: 'auth.signIn' })).body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })

  it.each(['/%', '/%E0%A4%A', '/%c0%ae%c0%ae/etc/passwd', '/assets/%ff', '/%00', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt'])('answers 400 or 404 to the malformed path %s, never 500', async (path) => {
    const res = await http(path)
    expect([400, 404]).toContain(res.status)
    expect(res.body).not.toContain('outside')
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
