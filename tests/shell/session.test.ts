import type { Session } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { BLOCKED_URLS, hardenSession } from '../../src/main/session'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'
import { fakeSession } from './fake-electron'

function hardened() {
  const session = fakeSession()
  hardenSession(session as unknown as Session)
  return session
}

describe('session', () => {
  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'unknown'])(
    'refuses the permission request %s',
    (permission) => {
      const session = hardened()
      const handler = session.setPermissionRequestHandler.mock.calls[0]![0]
      const callback = vi.fn()
      handler({}, permission, callback, { requestingUrl: 'app://guichet/index.html' })
      expect(callback).toHaveBeenCalledExactlyOnceWith(false)
    },
  )

  it('answers no to every permission check and device request', () => {
    const session = hardened()
    const check = session.setPermissionCheckHandler.mock.calls[0]![0]
    expect(check(null, 'media', 'app://guichet', {})).toBe(false)
    expect(check(null, 'clipboard-sanitized-write', 'app://guichet', {})).toBe(false)
    const device = session.setDevicePermissionHandler.mock.calls[0]![0]
    expect(device({ deviceType: 'usb', origin: 'app://guichet' })).toBe(false)
  })

  it('cancels every http(s) and websocket request of the page', () => {
    const session = hardened()
    const [filter, listener] = session.webRequest.onBeforeRequest.mock.calls[0]!
    expect(filter).toEqual({ urls: BLOCKED_URLS })
    expect(BLOCKED_URLS).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']))
    const callback = vi.fn()
    listener({ url: 'https://example.com/' }, callback)
    expect(callback).toHaveBeenCalledWith({ cancel: true })
  })

  it('puts the app CSP on every response, keeping the other headers', () => {
    const session = hardened()
    const listener = session.webRequest.onHeadersReceived.mock.calls[0]![0]
    const callback = vi.fn()
    listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback)
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
})
