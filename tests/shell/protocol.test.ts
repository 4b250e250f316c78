import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  registerAppProtocol,
  resolveAppFile,
} from '../../src/main/protocol'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'

// <tmp>/renderer is what the app serves; <tmp>/secret.txt sits next to it and must stay unreachable.
let dir: string
let root: string
const INDEX = '<!doctype html><title>Guichet</title>'

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-protocol-'))
  root = join(dir, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), INDEX)
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'secret.txt'), 'SECRET')
  writeFileSync(join(dir, 'renderer-evil.txt'), 'SECRET')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => createAppProtocolHandler(root)(new Request(url, { method }))

describe('app:// scheme', () => {
  it('is registered standard, secure and fetch-capable', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
    expect(APP_ENTRY_URL).toBe('app://guichet/index.html')
  })

  it('is handled by the file server', () => {
    const protocol = { handle: vi.fn() }
    registerAppProtocol(protocol, root)
    expect(protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function))
  })
})

describe('resolveAppFile', () => {
  it('maps app URLs to files under the root', () => {
    expect(resolveAppFile(root, 'app://guichet/index.html')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://guichet/assets/app.js?v=1#x')).toBe(join(root, 'assets', 'app.js'))
    expect(resolveAppFile(root, 'app://guichet/')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://guichet/kiosk')).toBe(join(root, 'index.html'))
  })

  it.each([
    'app://guichet/..%2fsecret.txt',
    'app://guichet/..%2Fsecret.txt',
    'app://guichet/assets%2f..%2f..%2fsecret.txt',
    'app://guichet/..%5csecret.txt',
    'app://guichet/assets/..%5c..%5csecret.txt',
    'app://guichet/%2e%2e%2fsecret.txt',
    'app://guichet/..%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://guichet/index.html%00.js',
    'app://guichet/C:%5cWindows%5cwin.ini',
    'app://guichet/%2fetc%2fpasswd',
    'app://guichet//etc/passwd',
    'app://guichet/%E0%A4%A',
    'app://evil/index.html',
    'app://guichet@evil/index.html',
    'https://guichet/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull()
  })

  it('never leaves the root even when the URL parser has already folded the dots', () => {
    // new URL() turns /../ and /%2e%2e/ into /: what is left is a plain (missing) file in the root.
    for (const url of ['app://guichet/../secret.txt', 'app://guichet/%2e%2e/secret.txt', 'app://guichet/.%2e/secret.txt', 'app://guichet/../renderer-evil.txt']) {
      const file = resolveAppFile(root, url)
      expect(file === null || file.startsWith(join(root, '/'))).toBe(true)
    }
  })
})

describe('app:// handler', () => {
  it('serves index.html with the strict CSP', async () => {
    const response = await get(APP_ENTRY_URL)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toBe(INDEX)
    const csp = response.headers.get('content-security-policy')
    expect(csp).toBe(CONTENT_SECURITY_POLICY)
    const directives = new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]))
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('connect-src')).toEqual(["'self'"])
    expect(directives.get('img-src')).toEqual(["'self'", 'data:'])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(directives.get('form-action')).toEqual(["'none'"])
    expect(csp).not.toMatch(/unsafe-eval|\*|https?:/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves scripts as JavaScript', async () => {
    const response = await get('app://guichet/assets/app.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })

  it.each(['app://guichet/..%2fsecret.txt', 'app://guichet/../secret.txt', 'app://guichet/assets%2f..%2f..%2fsecret.txt', 'app://guichet/missing.js'])(
    'answers 404 to %s and never shows what lies outside',
    async (url) => {
      const response = await get(url)
      expect(response.status).toBe(404)
      expect(await response.text()).not.toContain('SECRET')
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    },
  )

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_ENTRY_URL, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405)
  })
})
