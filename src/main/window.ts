import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron'
import { isAppUrl } from './protocol'

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => ElectronBrowserWindow

export interface MainWindowOptions {
  /** out/preload/index.js */
  preload: string
  title: string
  /** Developer tools: only when the app is not packaged. */
  devTools: boolean
}

/**
 * The one window. Its webPreferences are written out here, literally, and not built elsewhere:
 * this is where Electronegativity (scripts/electronegativity.mjs) reads them.
 */
export function createMainWindow(BrowserWindow: BrowserWindowClass, options: MainWindowOptions): ElectronBrowserWindow {
  const window = new BrowserWindow({
    title: options.title,
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      // The preload exposes one function, window.guichet.call (src/preload/index.ts); every call is checked in ipc.ts.
      preload: options.preload, // eng-disable PRELOAD_JS_CHECK
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
      // Middle-click (auxclick) on a link asks for a new window: turned off at the source too.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      // Chromium's spellchecker downloads its dictionaries from Google: no network from the window.
      spellcheck: false,
      devTools: options.devTools,
    },
  })
  window.once('ready-to-show', () => window.show())
  return window
}

/** Navigation is allowed only inside the app's own origin (app://guichet). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url)
}

export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/**
 * Applied to every web contents the app creates (app 'web-contents-created'): no new windows,
 * no navigation or redirect away from app://guichet, no <webview>.
 */
export function hardenWebContents(contents: HardenableContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault()
  })
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
