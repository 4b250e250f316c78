import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { applicationMenu, installApplicationMenu } from '../../src/main/menu'
import { electronNativeBindingPath, findNativeBinding } from '../../src/main/native-binding'
import { appPaths } from '../../src/main/paths'
import { localeFromSystem, startupErrorMessage } from '../../src/main/startup-error'
import { GuichetError } from '../../src/shared/errors'

describe('paths', () => {
  it('finds the build under the app path and the ledger in userData', () => {
    expect(appPaths('/app', '/home/u/.config/Guichet')).toEqual({
      rendererRoot: join('/app', 'out', 'renderer'),
      preload: join('/app', 'out', 'preload', 'index.js'),
      database: join('/home/u/.config/Guichet', 'guichet.sqlite'),
    })
  })

  it('uses the Electron build of better-sqlite3 that scripts/electron-native.mjs makes, when it is there', () => {
    const expected = join('/app', '.cache', 'native', 'electron-45.5.0', 'better_sqlite3.node')
    expect(electronNativeBindingPath('/app', '45.5.0')).toBe(expected)
    expect(findNativeBinding('/app', '45.5.0', (path) => path === expected)).toBe(expected)
    expect(findNativeBinding('/app', '45.5.0', () => false)).toBeUndefined()
  })
})

describe('menu', () => {
  it('has none on Windows and Linux, roles only on macOS', () => {
    expect(applicationMenu('win32')).toBeNull()
    expect(applicationMenu('linux')).toBeNull()
    const mac = applicationMenu('darwin')!
    expect(mac.every((item) => item.role && !item.label && !item.submenu)).toBe(true)
    const Menu = { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn() }
    installApplicationMenu(Menu as never, 'linux')
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(null)
  })
})

describe('startup errors', () => {
  it('speaks the catalogue language of the system', () => {
    expect(localeFromSystem('en-US')).toBe('en-CA')
    expect(localeFromSystem('fr-CA')).toBe('fr-CA')
    expect(localeFromSystem('de-DE')).toBe('fr-CA')
    expect(startupErrorMessage(new GuichetError('DB_TOO_NEW', { found: 9, known: 5 }), 'fr-CA').message).toContain('schéma 9')
    expect(startupErrorMessage(new Error('x'), 'en-CA')).toEqual({ title: 'Guichet', message: 'An unexpected error occurred. Nothing was changed.' })
  })
})
