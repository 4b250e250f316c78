import type { Session } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../shared/csp'

export type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'webRequest'
>

/** The renderer never needs the network: the core (main process) talks to the board and the processor. */
export const BLOCKED_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']

/**
 * The window's session: every permission (camera, notifications, geolocation, USB, HID,
 * serial, clipboard read…) refused, asked or merely checked; no http(s) or websocket request
 * leaves the renderer; and any response it does receive carries the app's CSP.
 */
export function hardenSession(session: HardenableSession): void {
  refusePermissionsAndNetwork(session)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}

/** Every permission refused, asked or checked, and no http(s) or websocket request. */
export function refusePermissionsAndNetwork(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onBeforeRequest({ urls: BLOCKED_URLS }, (_details, callback) => callback({ cancel: true }))
}
