import type { WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { createMainWindow, hardenWebContents, isAllowedNavigation, type BrowserWindowClass } from '../../src/main/window'
import { FakeBrowserWindow, FakeWebContents, fakeEvent } from './fake-electron'

const BrowserWindow = FakeBrowserWindow as unknown as BrowserWindowClass

function open(devTools = false): FakeBrowserWindow {
  return createMainWindow(BrowserWindow, { preload: '/app/out/preload/index.js', title: 'Guichet', devTools }) as unknown as FakeBrowserWindow
}

function hardened(): FakeWebContents {
  const contents = new FakeWebContents()
  hardenWebContents(contents as unknown as WebContents)
  return contents
}

describe('main window', () => {
  it('isolates and sandboxes the page, with the preload and nothing of Node', () => {
    const prefs = open().options.webPreferences
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    })
    expect(prefs.disableBlinkFeatures).toContain('Auxclick')
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs).not.toHaveProperty('additionalArguments')
  })

  it('has developer tools only when asked (not packaged)', () => {
    expect(open(false).options.webPreferences.devTools).toBe(false)
    expect(open(true).options.webPreferences.devTools).toBe(true)
  })

  it('shows itself once the page is ready', () => {
    const window = open()
    expect(window.options.show).toBe(false)
    window.emit('ready-to-show')
    expect(window.show).toHaveBeenCalledOnce()
  })
})

describe('navigation', () => {
  it.each([
    'https://example.com',
    'http://127.0.0.1:3000/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://guichet.evil.com/index.html',
    'app://guichet@evil/index.html',
    'app://guichet:8080/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
  ])('is refused to %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false)
    const contents = hardened()
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const event = fakeEvent(url)
      contents.emit(name, event, url)
      expect(event.defaultPrevented(), name).toBe(true)
    }
  })

  it.each(['app://guichet/x', 'app://guichet/index.html', 'app://guichet/index.html#/families'])('is allowed inside the app: %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true)
    const contents = hardened()
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const event = fakeEvent(url)
      contents.emit(name, event, url)
      expect(event.defaultPrevented(), name).toBe(false)
    }
  })

  it('denies every new window, even one of the app', () => {
    const contents = hardened()
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce()
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as (details: { url: string }) => unknown
    for (const url of ['https://example.com', 'app://guichet/index.html', 'about:blank']) {
      expect(handler({ url })).toEqual({ action: 'deny' })
    }
  })

  it('refuses <webview>', () => {
    const contents = hardened()
    const event = fakeEvent()
    contents.emit('will-attach-webview', event, {}, { src: 'https://example.com' })
    expect(event.defaultPrevented()).toBe(true)
  })
})
