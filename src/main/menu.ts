import type { Menu as ElectronMenu, MenuItemConstructorOptions } from 'electron'

/**
 * No application menu on Windows and Linux: nothing to translate, and no reload or developer
 * shortcuts. macOS needs one for the usual shortcuts (copy, paste, quit); it is made of roles
 * only, which the system labels in the user's language.
 */
export function applicationMenu(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]
}

export function installApplicationMenu(Menu: Pick<typeof ElectronMenu, 'setApplicationMenu' | 'buildFromTemplate'>, platform: NodeJS.Platform): void {
  const template = applicationMenu(platform)
  Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null)
}
