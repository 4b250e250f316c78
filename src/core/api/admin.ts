import { LOCK_AFTER_SETTING } from '../domain/session-lock'
import { getSetting, setSetting } from '../services/settings'
import type { Handlers } from './types'

export const adminHandlers: Handlers<'audit.list' | 'settings.setLockAfter'> = {
  async 'audit.list'({ entity, entityId, beforeSeq, limit }, ctx) {
    let q = ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit + 1)
    if (entity) q = q.where('entity', '=', entity)
    if (entityId) q = q.where('entity_id', '=', entityId)
    if (beforeSeq) q = q.where('seq', '<', beforeSeq)
    const rows = await q.execute()
    return {
      hasMore: rows.length > limit,
      rows: rows.slice(0, limit).map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        staffId: r.staff_id,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
        detail: r.detail,
      })),
    }
  },

  async 'settings.setLockAfter'({ seconds }, ctx) {
    const before = await getSetting(ctx.db, LOCK_AFTER_SETTING)
    await setSetting(ctx.db, LOCK_AFTER_SETTING, String(seconds))
    ctx.audit({ entity: 'settings', entityId: LOCK_AFTER_SETTING, before: before ?? null, after: String(seconds) })
    ctx.afterCommit(() => {
      ctx.core.sessions.lockAfterSeconds = seconds
    })
    return { seconds }
  },
}
