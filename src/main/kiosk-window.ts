import type { RpcResult } from '../shared/errors'
import type { RpcRequest } from '../shared/rpc'

/** What the window must become after a call: a kiosk started, or ended. */
export function kioskTransition(request: Pick<RpcRequest, 'method'>, result: RpcResult<unknown>): 'enter' | 'leave' | null {
  if (!result.ok) return null
  if (request.method === 'kiosk.start') return 'enter'
  if (request.method === 'kiosk.end') return 'leave'
  return null
}

export interface KioskInput {
  type: string
  key: string
  control: boolean
  meta: boolean
  alt: boolean
  shift: boolean
}

/**
 * Keys a parent at the kiosk must not use to leave it: close, quit, reload, full screen,
 * developer tools. Everything else (typing a name, Tab, Enter) goes through.
 */
export function isEscapeKey(input: KioskInput): boolean {
  if (input.type !== 'keyDown') return false
  const key = input.key.toLowerCase()
  const mod = input.control || input.meta
  if (['f4', 'f5', 'f11', 'f12'].includes(key) && (key !== 'f4' || input.alt)) return true
  if (mod && ['w', 'q', 'r', 'n', 't', 'p'].includes(key)) return true
  if (mod && input.shift && ['i', 'j', 'c'].includes(key)) return true
  return false
}

export interface KioskWindow {
  setKiosk(flag: boolean): void
  setMenuBarVisibility(visible: boolean): void
  setClosable(closable: boolean): void
  webContents: {
    closeDevTools(): void
    on(event: 'before-input-event', listener: (event: { preventDefault(): void }, input: KioskInput) => void): unknown
    on(event: 'devtools-opened', listener: () => void): unknown
  }
}

/**
 * The kiosk in the desktop app: the window takes the whole screen (Electron's kiosk mode), with
 * no menu bar, no way to close it, no developer tools and no escape keys, until a staff PIN
 * ends the kiosk session. The core is what refuses a staff method from a kiosk token; this only
 * keeps the parent in the window.
 */
export function createKioskMode(window: KioskWindow): { set(on: boolean): void; readonly on: boolean } {
  let on = false
  window.webContents.on('before-input-event', (event, input) => {
    if (on && isEscapeKey(input)) event.preventDefault()
  })
  window.webContents.on('devtools-opened', () => {
    if (on) window.webContents.closeDevTools()
  })
  return {
    get on() {
      return on
    },
    set(next) {
      on = next
      window.setKiosk(next)
      window.setMenuBarVisibility(!next)
      window.setClosable(!next)
      if (next) window.webContents.closeDevTools()
    },
  }
}

export interface DownloadingSession {
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown
}

/** A download asks where to save the file (a file chooser, a way out): none while a parent is at the kiosk. */
export function refuseDownloadsInKiosk(session: DownloadingSession, inKiosk: () => boolean): void {
  session.on('will-download', (event) => {
    if (inKiosk()) event.preventDefault()
  })
}
