import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import { AUDIT_KINDS, type AuditRow } from '../../shared/contract/admin'
import type { ParsedInput } from '../../shared/contract'
import type { DB } from '../db/schema'
import { addDays, startOfLocalDay } from '../domain/catalogue/dates'
import { BACKUP_TIME_ZONE } from '../domain/backups/retention'

export type AuditFilter = Omit<ParsedInput<'audit.export'>, never>

/**
 * The school an audit row belongs to: found through the entity it names (an item, a refund, a
 * kiosk charge…), else a `schoolId` the row's own before/after/detail carries. NULL for changes
 * that belong to no school (a sign-in, the lock delay). The one definition every reader of the
 * audit log's school uses (the list, its filter, the export).
 */
export const auditSchoolSql = sql<string | null>`COALESCE(
  CASE a.entity
    WHEN 'school' THEN a.entity_id
    WHEN 'offering' THEN (SELECT school_id FROM offerings WHERE id = a.entity_id)
    WHEN 'outing' THEN (SELECT school_id FROM offerings WHERE id = a.entity_id)
    WHEN 'program_date' THEN (SELECT o.school_id FROM program_dates d JOIN offerings o ON o.id = d.offering_id WHERE d.id = a.entity_id)
    WHEN 'outing_chaperone' THEN (SELECT o.school_id FROM outing_chaperones c JOIN offerings o ON o.id = c.offering_id WHERE c.id = a.entity_id)
    WHEN 'consent' THEN (SELECT o.school_id FROM consents c JOIN offerings o ON o.id = c.offering_id WHERE c.id = a.entity_id)
    WHEN 'waiver' THEN (SELECT o.school_id FROM waivers w JOIN offerings o ON o.id = w.offering_id WHERE w.id = a.entity_id)
    WHEN 'order' THEN (SELECT school_id FROM orders WHERE id = a.entity_id)
    WHEN 'payment' THEN (SELECT school_id FROM payments WHERE id = a.entity_id)
    WHEN 'refund' THEN (SELECT p.school_id FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = a.entity_id)
    WHEN 'refund_job' THEN (SELECT school_id FROM refund_jobs WHERE id = a.entity_id)
    WHEN 'kiosk_charge' THEN (SELECT school_id FROM kiosk_charges WHERE id = a.entity_id)
    WHEN 'family_credit' THEN (SELECT school_id FROM family_credits WHERE id = a.entity_id)
    WHEN 'school_year' THEN (SELECT school_id FROM school_years WHERE id = a.entity_id)
    WHEN 'roster_alert' THEN (SELECT school_id FROM roster_alerts WHERE id = a.entity_id)
  END,
  json_extract(a.after, '$.schoolId'), json_extract(a.before, '$.schoolId'), json_extract(a.detail, '$.schoolId'))`

type Query = SelectQueryBuilder<DB & { a: DB['audit_log'] }, 'a', object>

/** The filtered rows of the audit log (before paging or sorting). */
export function filteredAudit(db: Kysely<DB>, filter: AuditFilter): Query {
  let q = db.selectFrom('audit_log as a') as unknown as Query
  if (filter.staffId) q = q.where('a.staff_id', '=', filter.staffId)
  else if (filter.actor) q = q.where('a.staff_id', 'is', null).where('a.actor', '=', filter.actor)
  if (filter.kind) {
    const domains = AUDIT_KINDS[filter.kind]
    q = q.where((eb) => eb.or(domains.map((d) => eb('a.action', 'like', `${d}.%`))))
  }
  if (filter.from) q = q.where('a.at', '>=', startOfLocalDay(filter.from, BACKUP_TIME_ZONE))
  if (filter.to) q = q.where('a.at', '<', startOfLocalDay(addDays(filter.to, 1), BACKUP_TIME_ZONE))
  if (filter.schoolId) q = q.where(sql<boolean>`${auditSchoolSql} = ${filter.schoolId}`)
  return q
}

/** A page of rows, newest first, each with its school. */
export async function auditRows(q: Query, page: { offset: number; limit: number; beforeSeq?: number | undefined }): Promise<AuditRow[]> {
  let rows = q
    .leftJoin('schools as s', (join) => join.on(sql<boolean>`s.id = ${auditSchoolSql}`))
    .select(['a.seq', 'a.at', 'a.actor', 'a.staff_id', 'a.action', 'a.entity', 'a.entity_id', 'a.before', 'a.after', 'a.detail', 's.id as school_id', 's.name as school_name'])
    .orderBy('a.seq', 'desc')
  if (page.beforeSeq) rows = rows.where('a.seq', '<', page.beforeSeq)
  const found = await rows.limit(page.limit).offset(page.offset).execute()
  return found.map((r) => ({
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
    schoolId: r.school_id,
    schoolName: r.school_name,
  }))
}
