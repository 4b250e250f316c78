import type { z } from 'zod'
import type { ExceptionRecordData } from '../src/shared/sync/protocol'
import type { CentralStore } from './store'

type Exception = z.infer<typeof ExceptionRecordData>

/**
 * The principal's exceptions the offices send (exception.record): kept once per id, so the
 * board knows why a deadline moved, an item reopened or a student withdrew late. Not in the feed:
 * the change itself travels in its own mutation.
 */
export async function recordException(store: CentralStore, schoolId: string, mutationId: string, d: Exception): Promise<void> {
  await store.db
    .insertInto('exceptions')
    .values({ id: d.id, school_id: schoolId, kind: d.kind, offering_id: d.offeringId, student_id: d.studentId, reason: d.reason, approved_by: d.approvedBy, at: d.at, changes: JSON.stringify(d.changes), request_id: mutationId })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

/** The exceptions a school's offices sent, oldest first. */
export async function exceptionsOf(store: CentralStore, schoolId: string): Promise<Array<Exception & { schoolId: string }>> {
  const rows = await store.db.selectFrom('exceptions').selectAll().where('school_id', '=', schoolId).orderBy('at').orderBy('id').execute()
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    kind: r.kind as Exception['kind'],
    offeringId: r.offering_id,
    studentId: r.student_id ?? null,
    reason: r.reason,
    approvedBy: r.approved_by,
    at: r.at,
    changes: JSON.parse(r.changes) as Exception['changes'],
  }))
}
