import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { createCore, type Core } from '../../src/core'
import type { Grade } from '../../src/core/db/schema'
import { gradeRank } from '../../src/core/domain/grades'
import { searchKey } from '../../src/core/domain/search-key'
import { hashPasswordSync } from '../../src/core/services/passwords'
import type { Input, MethodName, Output } from '../../src/shared/contract'

/** Cheap scrypt parameters: the tests check the logic, not the cost. */
export const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 }
export const T0 = '2026-11-20T15:00:00.000Z'

let counter = 0
export function id(prefix: string): string {
  counter += 1
  return `${prefix}-${String(counter).padStart(6, '0')}`
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-test-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A small board written with plain SQL: what the tests below need and nothing more. */
export class Board {
  constructor(readonly db: BetterSqlite3.Database) {}

  school(name = 'École Saint-Test'): string {
    const sid = id('school')
    this.db.prepare('INSERT INTO schools (id, code, name) VALUES (?, ?, ?)').run(sid, sid.toUpperCase(), name)
    return sid
  }

  year(schoolId: string, label = '2026-2027', startsOn = '2026-09-08', endsOn = '2027-06-25'): void {
    this.db.prepare('INSERT INTO school_years (id, school_id, label, starts_on, ends_on) VALUES (?, ?, ?, ?, ?)').run(id('year'), schoolId, label, startsOn, endsOn)
  }

  dayOff(schoolId: string, date: string, kind: 'holiday' | 'pd_day' | 'closure', labelFr: string): void {
    this.db.prepare('INSERT INTO calendar_days (school_id, date, kind, label_fr) VALUES (?, ?, ?, ?)').run(schoolId, date, kind, labelFr)
  }

  klass(schoolId: string, name: string): string {
    const cid = id('class')
    this.db.prepare('INSERT INTO classes (id, school_id, code, name, teacher) VALUES (?, ?, ?, ?, ?)').run(cid, schoolId, cid, name, 'Mme Test')
    return cid
  }

  student(schoolId: string, first: string, last: string, grade: Grade, classId: string | null = null, extra: { medicalAlert?: string; status?: 'active' | 'withdrawn' } = {}): string {
    const sid = id('student')
    this.db
      .prepare(
        `INSERT INTO students (id, school_id, class_id, first_name, last_name, search_key, grade, grade_rank, status, medical_alert, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(sid, schoolId, classId, first, last, searchKey(first, last), grade, gradeRank(grade), extra.status ?? 'active', extra.medicalAlert ?? null, T0)
    return sid
  }

  guardian(first: string, last: string, children: string[], extra: { email?: string | null; language?: 'fr' | 'en' } = {}): string {
    const gid = id('guardian')
    this.db
      .prepare(
        `INSERT INTO guardians (id, first_name, last_name, search_key, email, phone, preferred_language, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(gid, first, last, searchKey(first, last), extra.email === undefined ? `${first.toLowerCase()}@example.org` : extra.email, '613-555-0100', extra.language ?? 'fr', T0)
    for (const child of children) {
      this.db.prepare(`INSERT INTO student_guardians (student_id, guardian_id, relationship) VALUES (?, ?, 'mother')`).run(child, gid)
    }
    return gid
  }

  staff(username: string, role: 'secretary' | 'principal' | 'admin', password = 'secret-pass', active = 1): string {
    const sid = id('staff')
    this.db
      .prepare('INSERT INTO staff (id, username, display_name, role, password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(sid, username, `${username} (test)`, role, hashPasswordSync(password, FAST_SCRYPT), active, T0)
    return sid
  }

  offering(schoolId: string, kind: 'product' | 'program' | 'fee' | 'outing' | 'consent_form', title: string, targets: Array<[string, string]>, extra: { status?: string; price?: number; deadline?: string } = {}): string {
    const oid = id('offering')
    this.db
      .prepare(
        `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, opens_at, deadline_at, price_cents, created_at, updated_at)
         VALUES (?, ?, ?, ?, '2026-2027', ?, ?, ?, ?, ?, ?)`,
      )
      .run(oid, schoolId, kind, extra.status ?? 'published', title, '2026-09-01T12:00:00.000Z', extra.deadline ?? '2026-12-01T17:00:00.000Z', extra.price ?? 0, T0, T0)
    for (const [k, v] of targets) this.db.prepare('INSERT INTO offering_targets (offering_id, kind, value) VALUES (?, ?, ?)').run(oid, k, v)
    return oid
  }

  /** An order of one line per student, paid or not. */
  order(schoolId: string, guardianId: string, lines: Array<{ student: string; offering: string; cents: number; programDate?: string }>, paid: boolean, receipt = 1): { orderId: string; lineIds: string[]; paymentId: string | null } {
    const orderId = id('order')
    this.db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(orderId, schoolId, guardianId, T0)
    const lineIds = lines.map((l) => {
      const lid = id('line')
      this.db
        .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, program_date_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, ?, 1, ?, ?)')
        .run(lid, orderId, l.student, l.offering, l.programDate ?? null, l.cents, l.cents)
      return lid
    })
    let paymentId: string | null = null
    if (paid) {
      paymentId = id('payment')
      const total = lines.reduce((s, l) => s + l.cents, 0)
      this.db
        .prepare(
          `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
           VALUES (?, ?, ?, 'board', ?, 'visa', '4242', ?, 'online', ?, ?)`,
        )
        .run(paymentId, schoolId, orderId, paymentId, total, receipt, T0)
    }
    return { orderId, lineIds, paymentId }
  }

  consent(offeringId: string, studentId: string, guardianId: string, decision: 'granted' | 'declined' | 'withdrawn', at: string): void {
    this.db
      .prepare(
        `INSERT INTO consents (id, offering_id, student_id, guardian_id, decision, signed_name, channel, recorded_at)
         VALUES (?, ?, ?, ?, ?, 'Parent Test', 'online', ?)`,
      )
      .run(id('consent'), offeringId, studentId, guardianId, decision, at)
  }
}

/** A core on a fresh file, with a clock the test moves. */
export async function testCore(): Promise<{ core: Core; board: Board; clock: { ms: number }; cleanup(): Promise<void> }> {
  const { dir, cleanup } = tempDir()
  const clock = { ms: Date.parse(T0) }
  const core = await createCore({ file: join(dir, 'test.sqlite'), appVersion: 'test', nowMs: () => clock.ms, logError: (error) => console.error(error) })
  return {
    core,
    board: new Board(core.connection.raw),
    clock,
    async cleanup() {
      await core.close()
      cleanup()
    },
  }
}

/** Calls a method and returns its value, failing the test with the error otherwise. */
export async function ok<M extends MethodName>(core: Core, method: M, input: Input<M>, session?: string, locale?: string): Promise<Output<M>> {
  const result = await core.dispatch({ method, input, ...(session ? { session } : {}), ...(locale ? { locale } : {}) })
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`)
  return result.value as Output<M>
}

export function count(db: BetterSqlite3.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
}
