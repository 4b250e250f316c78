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
 * The app's window. Its webPreferences are written out in hardenedWindow, literally, and not
 * built elsewhere: this is where Electronegativity (scripts/electronegativity.mjs) reads them.
 */
export function createMainWindow(BrowserWindow: BrowserWindowClass, options: MainWindowOptions): ElectronBrowserWindow {
  const window = hardenedWindow(BrowserWindow, { title: options.title, preload: options.preload, devTools: options.devTools, partition: null, plugins: false })
  window.once('ready-to-show', () => window.show())
  return window
}

/** A hidden window for printing one PDF (src/main/printer.ts): no preload, its own session, the PDF viewer. */
export function createPrintWindow(BrowserWindow: BrowserWindowClass, title: string, partition: string): ElectronBrowserWindow {
  return hardenedWindow(BrowserWindow, { title, preload: null, devTools: false, partition, plugins: true })
}

interface WindowSpec {
  title: string
  preload: string | null
  devTools: boolean
  /** A session of its own (the print windows'), or the default one. */
  partition: string | null
  /** Chromium's PDF viewer is a built-in plugin: only the print windows need it. */
  plugins: boolean
}

function hardenedWindow(BrowserWindow: BrowserWindowClass, spec: WindowSpec): ElectronBrowserWindow {
  return new BrowserWindow({
    title: spec.title,
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      // The preload exposes one function, window.guichet.call (src/preload/index.ts); every call is checked in ipc.ts.
      ...(spec.preload ? { preload: spec.preload } : {}), // eng-disable PRELOAD_JS_CHECK
      ...(spec.partition ? { partition: spec.partition } : {}),
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
      devTools: spec.devTools,
      plugins: spec.plugins,
    },
  })
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
