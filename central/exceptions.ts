import type { z } from 'zod'
import type { ExceptionRecordData } from '../src/shared/sync/protocol'
import type { CentralStore } from './store'

type Exception = z.infer<typeof ExceptionRecordData>

/**
 * The principal's exceptions the offices send (exception.record): kept once per id, so the
 * board knows why a deadline moved, an item reopened or a student withdrew late. Not in the feed:
 * the change itself travels in its own mutation.
 */
export function recordException(store: CentralStore, schoolId: string, mutationId: string, d: Exception): void {
  store.db.exec(`CREATE TABLE IF NOT EXISTS exceptions (
    id TEXT PRIMARY KEY, school_id TEXT NOT NULL, kind TEXT NOT NULL, offering_id TEXT NOT NULL, student_id TEXT,
    reason TEXT NOT NULL, approved_by TEXT NOT NULL, at TEXT NOT NULL, changes TEXT NOT NULL, request_id TEXT NOT NULL
  ) STRICT`)
  store.db
    .prepare(
      `INSERT INTO exceptions (id, school_id, kind, offering_id, student_id, reason, approved_by, at, changes, request_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .run(d.id, schoolId, d.kind, d.offeringId, d.studentId, d.reason, d.approvedBy, d.at, JSON.stringify(d.changes), mutationId)
}

/** The exceptions a school's offices sent, oldest first. */
export function exceptionsOf(store: CentralStore, schoolId: string): Array<Exception & { schoolId: string }> {
  const exists = store.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exceptions'`).get()
  if (!exists) return []
  const rows = store.db.prepare(`SELECT * FROM exceptions WHERE school_id = ? ORDER BY at, id`).all(schoolId) as Array<Record<string, string | null>>
  return rows.map((r) => ({
    id: r.id!,
    schoolId: r.school_id!,
    kind: r.kind as Exception['kind'],
    offeringId: r.offering_id!,
    studentId: r.student_id ?? null,
    reason: r.reason!,
    approvedBy: r.approved_by!,
    at: r.at!,
    changes: JSON.parse(r.changes!) as Exception['changes'],
  }))
}
