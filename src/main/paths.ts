import { join } from 'node:path'

export interface AppPaths {
  /** The built renderer, served as app://guichet/. */
  rendererRoot: string
  /** The built preload (CommonJS). */
  preload: string
  /** The SQLite ledger. */
  database: string
}

/**
 * `appPath` is app.getAppPath(): the project root under `electron-vite preview`, the asar root
 * once packaged; out/ (electron.vite.config.ts) is inside it either way.
 */
export function appPaths(appPath: string, userData: string): AppPaths {
  return {
    rendererRoot: join(appPath, 'out', 'renderer'),
    preload: join(appPath, 'out', 'preload', 'index.js'),
    database: join(userData, 'guichet.sqlite'),
  }
}
