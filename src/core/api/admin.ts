import { sql } from 'kysely'
import type { AuditRow } from '../../shared/contract/admin'
import { auditChangesText } from '../../shared/audit-changes'
import { gridXlsx, type GridColumn } from '../adapters/documents/grid-xlsx'
import { localDateOf } from '../domain/catalogue/dates'
import { LOCK_AFTER_SETTING } from '../domain/session-lock'
import { translate } from '../i18n'
import { auditRows, filteredAudit } from '../services/audit-search'
import { getSetting, setSetting } from '../services/settings'
import type { Handlers } from './types'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** Rows read per page by the export, in its one transaction. */
const EXPORT_PAGE = 1000

export const adminHandlers: Handlers<'audit.list' | 'audit.people' | 'audit.export' | 'settings.setLockAfter'> = {
  async 'audit.list'({ entity, entityId, beforeSeq, limit, offset, ...filter }, ctx) {
    let q = filteredAudit(ctx.db, filter)
    if (entity) q = q.where('a.entity', '=', entity)
    if (entityId) q = q.where('a.entity_id', '=', entityId)
    const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow()
    const rows = await auditRows(q, { offset, limit: limit + 1, beforeSeq })
    return { hasMore: rows.length > limit, rows: rows.slice(0, limit), total }
  },

  async 'audit.people'(_input, ctx) {
    const rows = await ctx.db
      .selectFrom('audit_log as a')
      .leftJoin('staff as s', 's.id', 'a.staff_id')
      .select(['a.staff_id as staffId', sql<string>`COALESCE(s.display_name, a.actor)`.as('name')])
      .groupBy(['a.staff_id', sql`CASE WHEN a.staff_id IS NULL THEN a.actor END`])
      .orderBy(sql`a.staff_id IS NULL`)
      .orderBy(sql`fold(COALESCE(s.display_name, a.actor))`)
      .execute()
    return rows
  },

  async 'audit.export'(filter, ctx) {
    const q = filteredAudit(ctx.db, filter)
    const rows: AuditRow[] = []
    for (let offset = 0; ; offset += EXPORT_PAGE) {
      const page = await auditRows(q, { offset, limit: EXPORT_PAGE })
      rows.push(...page)
      if (page.length < EXPORT_PAGE) break
    }
    const t = (key: Parameters<typeof translate>[1]) => translate(ctx.locale, key)
    const columns: GridColumn<AuditRow>[] = [
      { header: t('auditUi.col.at'), kind: 'datetime', value: (r) => r.at },
      { header: t('auditUi.col.who'), kind: 'text', value: (r) => r.actor },
      { header: t('auditUi.col.action'), kind: 'text', width: 30, value: (r) => r.action },
      { header: t('auditUi.col.school'), kind: 'text', width: 30, value: (r) => r.schoolName },
      { header: t('auditUi.col.entity'), kind: 'text', width: 18, value: (r) => r.entity },
      { header: t('auditUi.col.entityId'), kind: 'text', width: 38, value: (r) => r.entityId },
      { header: t('auditUi.col.changes'), kind: 'text', width: 80, value: (r) => auditChangesText(r) },
    ]
    const file = await gridXlsx(t('auditUi.sheet'), columns, rows)
    return { fileName: `journal-${localDateOf(ctx.now, 'America/Toronto')}.xlsx`, mimeType: XLSX, base64: file.toString('base64') }
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
