import { requireSession, type Handlers } from './types'

export const backupHandlers: Handlers<'backups.status' | 'backups.list' | 'backups.setFolder' | 'backups.run' | 'backups.restore'> = {
  async 'backups.status'(_input, ctx) {
    const { folder, ...status } = await ctx.core.backups.status(ctx.db)
    return { folderSet: folder !== null, ...status }
  },

  async 'backups.list'(_input, ctx) {
    return ctx.core.backups.list(ctx.db)
  },

  async 'backups.setFolder'({ folder }, ctx) {
    const { before } = await ctx.core.backups.setFolder(ctx.db, folder)
    ctx.audit({ entity: 'settings', entityId: 'backups.folder', before, after: folder })
    return { folder }
  },

  // Outside the call's transaction (contract): the services write their own audit rows.
  async 'backups.run'(_input, ctx) {
    const s = requireSession(ctx)
    return ctx.core.backups.run('manual', { staffId: s.staffId, name: s.displayName })
  },

  async 'backups.restore'({ name }, ctx) {
    const s = requireSession(ctx)
    return ctx.core.backups.restore(name, { staffId: s.staffId, name: s.displayName }, s.token)
  },
}
