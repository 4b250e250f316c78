import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname } from 'node:path'
import type { Core } from '../core'
import { openWorkspace } from '../core/workspace'
import { translate } from '../core/i18n'
import { registerRpc } from './ipc'
import { createKioskMode, kioskTransition, refuseDownloadsInKiosk } from './kiosk-window'
import { installApplicationMenu } from './menu'
import { findNativeBinding } from './native-binding'
import { appPaths } from './paths'
import { createElectronPrinter, PRINT_PARTITION } from './printer'
import { safeStorageBox } from './secret-box'
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol'
import { hardenSession, refusePermissionsAndNetwork } from './session'
import { localeFromSystem, startupErrorMessage } from './startup-error'
import { createMainWindow, hardenWebContents } from './window'

/*
 * The Electron main process: one window on app://guichet, the core (plain Node, src/core) in
 * this process behind one IPC channel. Everything security-relevant is in the small modules
 * imported above, each tested in tests/shell with a fake electron.
 */

// Both must happen before 'ready'.
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES)
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  // Another Guichet is running (it gets 'second-instance' and comes to the front): one writer per ledger.
  app.quit()
} else {
  const windows = new Set<BrowserWindow>()
  const kioskModes = new Map<BrowserWindow, ReturnType<typeof createKioskMode>>()
  let core: Core | null = null
  let closing = false
  let stopScheduler: (() => void) | null = null
  const inKiosk = () => [...kioskModes.values()].some((mode) => mode.on)

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))

  app.on('second-instance', () => {
    const [window] = windows
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  // One window, one ledger: closing it quits, on macOS too.
  app.on('window-all-closed', () => app.quit())

  app.on('activate', () => {
    if (core && windows.size === 0) openWindow()
  })

  // Close the database before the process ends (WAL checkpoint, no half-written file).
  app.on('will-quit', (event) => {
    if (!core || closing) return
    event.preventDefault()
    closing = true
    stopScheduler?.()
    const open = core
    core = null
    open
      .close()
      .catch((error: unknown) => console.error(error))
      .finally(() => app.quit())
  })

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error(error)
      const { title, message } = startupErrorMessage(error, localeFromSystem(app.getLocale()))
      dialog.showErrorBox(title, message)
      app.exit(1)
    })

  async function start(): Promise<void> {
    const paths = appPaths(app.getAppPath(), app.getPath('userData'))
    hardenSession(session.defaultSession)
    refusePermissionsAndNetwork(session.fromPartition(PRINT_PARTITION))
    refuseDownloadsInKiosk(session.defaultSession, inKiosk)
    registerAppProtocol(protocol, paths.rendererRoot)
    installApplicationMenu(Menu, process.platform)

    const nativeBinding = findNativeBinding(app.getAppPath(), process.versions.electron)
    mkdirSync(dirname(paths.database), { recursive: true })
    // Never a demo by itself: the first screen offers the board or the demo, in its own file (core/workspace.ts).
    core = await openWorkspace({
      boardFile: paths.database,
      appVersion: app.getVersion(),
      ...(nativeBinding ? { nativeBinding } : {}),
      secretBox: () => safeStorageBox(safeStorage),
      printer: createElectronPrinter({
        BrowserWindow,
        listFrom: () => [...windows][0]?.webContents ?? null,
        inKiosk,
        tempRoot: tmpdir(),
      }),
      logError: (error) => console.error(error),
    })
    // A kiosk session started or ended: the window follows (full screen, locked) — one window.
    registerRpc(ipcMain, core, () => windows, (request, result) => {
      const transition = kioskTransition(request, result)
      if (transition) for (const mode of kioskModes.values()) mode.set(transition === 'enter')
    })
    // Auto-close at deadlines and reminders, every minute while the app is open.
    stopScheduler = core.startScheduler()
    openWindow()
  }

  function openWindow(): void {
    const paths = appPaths(app.getAppPath(), app.getPath('userData'))
    const window = createMainWindow(BrowserWindow, {
      preload: paths.preload,
      title: translate(localeFromSystem(app.getLocale()), 'app.name'),
      devTools: !app.isPackaged,
    })
    windows.add(window)
    kioskModes.set(window, createKioskMode(window))
    window.on('closed', () => {
      windows.delete(window)
      kioskModes.delete(window)
    })
    window.loadURL(APP_ENTRY_URL).catch((error: unknown) => console.error(error))
  }
}
