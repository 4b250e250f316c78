import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where scripts/electron-native.mjs puts better-sqlite3 built for Electron's ABI, relative to
 * the app's root: node_modules/better-sqlite3/build keeps Node's build, for the tests and
 * browser mode. Keep the two in step.
 */
export function electronNativeBindingPath(appPath: string, electronVersion: string): string {
  return join(appPath, '.cache', 'native', `electron-${electronVersion}`, 'better_sqlite3.node')
}

/**
 * The Electron build of better-sqlite3 when it exists. When it does not (a packaged app, whose
 * packager rebuilt node_modules/better-sqlite3 for Electron), better-sqlite3 finds its own.
 */
export function findNativeBinding(
  appPath: string,
  electronVersion: string,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const path = electronNativeBindingPath(appPath, electronVersion)
  return exists(path) ? path : undefined
}
