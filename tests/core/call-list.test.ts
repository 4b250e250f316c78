import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { pdfPages } from '../support/pdf-text'
import { FAST_SCRYPT, id, ok, testCore } from './fixtures'

/**
 * The call list on the demo board: recounted here from the rows (open items, targets, answers,
 * guardians) in JavaScript, then read back from its PDF and its workbook.
 */

let t: Awaited<ReturnType<typeof testCore>>
let session: string
let now: string
const all = <T>(sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).all(...args) as T[]
const run = (sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).run(...args)

interface Expected {
  items: Map<string, { eligible: number; unanswered: number }>
  /** guardian → student → open item ids */
  families: Map<string, Map<string, Set<string>>>
  withoutGuardian: Set<string>
}

/** Who should be on the list, from the rows alone. */
function expected(filter: { schoolId?: string; offeringId?: string } = {}): Expected {
  const items = all<{ id: string; school_id: string; kind: string; opens_at: string; deadline_at: string; status: string }>('SELECT id, school_id, kind, opens_at, deadline_at, status FROM offerings').filter(
    (o) => o.status === 'published' && o.opens_at <= now && o.deadline_at > now && (!filter.schoolId || o.school_id === filter.schoolId) && (!filter.offeringId || o.id === filter.offeringId),
  )
  const students = all<{ id: string; school_id: string; grade: string; class_id: string | null; status: string }>('SELECT id, school_id, grade, class_id, status FROM students')
  const targets = all<{ offering_id: string; kind: string; value: string }>('SELECT offering_id, kind, value FROM offering_targets')
  const guardiansOf = new Map<string, string[]>()
  for (const l of all<{ student_id: string; guardian_id: string }>('SELECT student_id, guardian_id FROM student_guardians')) guardiansOf.set(l.student_id, [...(guardiansOf.get(l.student_id) ?? []), l.guardian_id])
  // Answered (services/answered.ts), recounted: the latest consent decision; lines paid by a
  // payment not voided (with their program date); waivers; a program's month of its next open date.
  const decisions = new Map<string, string>()
  for (const c of all<{ k: string; decision: string }>(`SELECT offering_id || '|' || student_id AS k, decision FROM consents ORDER BY recorded_at, id`)) decisions.set(c.k, c.decision)
  const voided = new Set(all<{ payment_id: string }>('SELECT payment_id FROM payment_voids').map((v) => v.payment_id))
  const paidOrders = new Set(all<{ id: string; order_id: string }>('SELECT id, order_id FROM payments').filter((p) => !voided.has(p.id)).map((p) => p.order_id))
  const paidLines = all<{ offering_id: string; student_id: string; order_id: string; date: string | null }>(
    'SELECT l.offering_id, l.student_id, l.order_id, d.date FROM order_lines l LEFT JOIN program_dates d ON d.id = l.program_date_id',
  ).filter((l) => paidOrders.has(l.order_id))
  const paid = new Set(paidLines.map((l) => `${l.offering_id}|${l.student_id}`))
  const paidMonths = new Set(paidLines.filter((l) => l.date).map((l) => `${l.offering_id}|${l.student_id}|${l.date!.slice(0, 7)}`))
  const waived = new Map<string, number>()
  for (const w of all<{ k: string; cents: number }>(`SELECT offering_id || '|' || student_id AS k, amount_cents AS cents FROM waivers`)) waived.set(w.k, (waived.get(w.k) ?? 0) + w.cents)
  const nextMonth = new Map<string, string>()
  for (const d of all<{ offering_id: string; date: string; cutoff_at: string }>(`SELECT offering_id, date, cutoff_at FROM program_dates WHERE status = 'scheduled' ORDER BY date`)) {
    if (d.cutoff_at > now && !nextMonth.has(d.offering_id)) nextMonth.set(d.offering_id, d.date.slice(0, 7))
  }
  const offeringFacts = new Map(all<{ id: string; price_cents: number; fee_per: string | null }>('SELECT id, price_cents, fee_per FROM offerings').map((o) => [o.id, o]))
  const studentsOf = new Map<string, string[]>()
  for (const l of all<{ student_id: string; guardian_id: string }>('SELECT student_id, guardian_id FROM student_guardians')) studentsOf.set(l.guardian_id, [...(studentsOf.get(l.guardian_id) ?? []), l.student_id])
  const answeredBy = (o: { id: string; kind: string }, studentId: string): boolean => {
    const k = `${o.id}|${studentId}`
    const { price_cents: price, fee_per: feePer } = offeringFacts.get(o.id)!
    const settled = paid.has(k) || (price > 0 && (waived.get(k) ?? 0) >= price)
    if (o.kind === 'consent_form') return decisions.has(k)
    if (o.kind === 'outing') return decisions.get(k) === 'declined' || decisions.get(k) === 'withdrawn' || (decisions.get(k) === 'granted' && (price === 0 || settled))
    if (o.kind === 'program') return paidMonths.has(`${k}|${nextMonth.get(o.id)}`)
    if (o.kind === 'fee' && feePer === 'family') return settled || (guardiansOf.get(studentId) ?? []).some((g) => (studentsOf.get(g) ?? []).some((sib) => paid.has(`${o.id}|${sib}`)))
    return settled
  }

  const result: Expected = { items: new Map(), families: new Map(), withoutGuardian: new Set() }
  for (const o of items) {
    const mine = targets.filter((tg) => tg.offering_id === o.id)
    const eligible = students.filter(
      (s) =>
        s.status === 'active' &&
        s.school_id === o.school_id &&
        mine.some((tg) => (tg.kind === 'school' && tg.value === s.school_id) || (tg.kind === 'grade' && tg.value === s.grade) || (tg.kind === 'class' && tg.value === s.class_id) || (tg.kind === 'student' && tg.value === s.id)),
    )
    const open = eligible.filter((s) => !answeredBy(o, s.id))
    result.items.set(o.id, { eligible: eligible.length, unanswered: open.length })
    for (const s of open) {
      const guardians = guardiansOf.get(s.id) ?? []
      if (guardians.length === 0) result.withoutGuardian.add(s.id)
      for (const g of guardians) {
        const family = result.families.get(g) ?? new Map<string, Set<string>>()
        family.set(s.id, (family.get(s.id) ?? new Set()).add(o.id))
        result.families.set(g, family)
      }
    }
  }
  return result
}

let schoolId: string
let answeredStudent: string
let orphan: string

beforeAll(async () => {
  t = await testCore()
  seedDemoBoard(t.core.connection.raw, { anchor: new Date(t.clock.ms), passwordParams: FAST_SCRYPT })
  now = new Date(t.clock.ms).toISOString()
  session = (await ok(t.core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
  schoolId = all<{ id: string }>('SELECT id FROM schools ORDER BY name LIMIT 1')[0]!.id

  // A consent form for grade 2 of one school, open now: one child answers, one has no guardian.
  run(
    `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, title_en, opens_at, deadline_at, created_at, updated_at)
     VALUES ('offering-form', ?, 'consent_form', 'published', '2026-2027', 'Formulaire de sortie à pied', 'Walking trip form', ?, ?, ?, ?)`,
    schoolId,
    '2026-11-01T12:00:00.000Z',
    '2026-12-04T17:00:00.000Z',
    now,
    now,
  )
  run(`INSERT INTO offering_targets (offering_id, kind, value) VALUES ('offering-form', 'grade', '2')`)
  const grade2 = all<{ id: string; guardian_id: string }>(
    `SELECT s.id, min(g.guardian_id) AS guardian_id FROM students s JOIN student_guardians g ON g.student_id = s.id WHERE s.school_id = ? AND s.grade = '2' AND s.status = 'active' GROUP BY s.id ORDER BY s.id`,
    schoolId,
  )
  answeredStudent = grade2[0]!.id
  run(
    `INSERT INTO consents (id, offering_id, student_id, guardian_id, decision, signed_name, channel, recorded_at) VALUES (?, 'offering-form', ?, ?, 'declined', 'Parent', 'online', ?)`,
    id('consent'),
    answeredStudent,
    grade2[0]!.guardian_id,
    now,
  )
  orphan = id('student')
  run(
    `INSERT INTO students (id, school_id, first_name, last_name, search_key, grade, grade_rank, updated_at) VALUES (?, ?, 'Zoé', 'Sansfamille', 'zoe sansfamille', '2', 4, ?)`,
    orphan,
    schoolId,
    now,
  )
  // Not open: a draft, an item that opens later, one past its deadline.
  for (const [status, opens, deadline] of [
    ['draft', '2026-11-01T12:00:00.000Z', '2026-12-04T17:00:00.000Z'],
    ['published', '2026-12-01T12:00:00.000Z', '2026-12-20T17:00:00.000Z'],
    ['published', '2026-10-01T12:00:00.000Z', '2026-11-19T17:00:00.000Z'],
  ]) {
    const oid = id('offering')
    run(
      `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, opens_at, deadline_at, created_at, updated_at) VALUES (?, ?, 'consent_form', ?, '2026-2027', 'Pas ouvert', ?, ?, ?, ?)`,
      oid,
      schoolId,
      status,
      opens,
      deadline,
      now,
      now,
    )
    run(`INSERT INTO offering_targets (offering_id, kind, value) VALUES (?, 'school', ?)`, oid, schoolId)
  }
})
afterAll(() => t.cleanup())

describe('reports.callList', () => {
  it('lists every family with a child who has not answered an open item, and only them', async () => {
    for (const filter of [{}, { schoolId }, { offeringId: 'offering-form' }]) {
      const list = await ok(t.core, 'reports.callList', filter, session)
      const want = expected(filter)
      expect(list.families.length).toBeGreaterThan(0)
      expect(new Set(list.items.map((i) => i.offeringId))).toEqual(new Set(want.items.keys()))
      for (const i of list.items) expect({ id: i.offeringId, eligible: i.eligible, unanswered: i.unanswered }).toEqual({ id: i.offeringId, ...want.items.get(i.offeringId)! })
      expect(new Set(list.families.map((f) => f.guardianId))).toEqual(new Set(want.families.keys()))
      for (const f of list.families) {
        const children = want.families.get(f.guardianId)!
        expect(new Set(f.children.map((c) => c.studentId))).toEqual(new Set(children.keys()))
        for (const c of f.children) expect(new Set(c.offeringIds)).toEqual(children.get(c.studentId))
      }
      expect(new Set(list.withoutGuardian.map((c) => c.studentId))).toEqual(want.withoutGuardian)
    }
    expect(all('SELECT 1 FROM offerings WHERE title_fr = ?', 'Pas ouvert')).toHaveLength(3)
  })

  it('gives each family its phones and language, and leaves out a child who answered', async () => {
    const list = await ok(t.core, 'reports.callList', { offeringId: 'offering-form' }, session)
    const guardians = new Map(all<{ id: string; phone: string | null; phone_alt: string | null; preferred_language: string; first_name: string; last_name: string }>('SELECT * FROM guardians').map((g) => [g.id, g]))
    for (const f of list.families) {
      const g = guardians.get(f.guardianId)!
      expect({ phone: f.phone, phoneAlt: f.phoneAlt, language: f.language, name: `${f.firstName} ${f.lastName}` }).toEqual({ phone: g.phone, phoneAlt: g.phone_alt, language: g.preferred_language, name: `${g.first_name} ${g.last_name}` })
    }
    expect(list.families.some((f) => f.children.some((c) => c.studentId === answeredStudent))).toBe(false)
    expect(list.withoutGuardian.map((c) => c.studentId)).toEqual([orphan])
    expect(list.items[0]).toMatchObject({ titleFr: 'Formulaire de sortie à pied', unanswered: list.items[0]!.eligible - 1 })
    // Families in alphabetical order, as they are called.
    const names = list.families.map((f) => `${f.lastName} ${f.firstName}`)
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
    expect(names).toEqual([...names].sort((a, b) => fold(a).localeCompare(fold(b), 'fr-CA')))
    // A family with two children in the list has both.
    const all2 = await ok(t.core, 'reports.callList', {}, session)
    expect(all2.families.some((f) => f.children.length > 1)).toBe(true)
    expect(all2.families.some((f) => f.language === 'en')).toBe(true)
  })

  it('prints every family with its phone and the items in its language', async () => {
    const list = await ok(t.core, 'reports.callList', { schoolId }, session)
    const file = await ok(t.core, 'reports.callListFile', { schoolId, format: 'pdf' }, session)
    expect(file).toMatchObject({ fileName: 'appels-2026-11-20.pdf', mimeType: 'application/pdf' })
    const text = (await pdfPages(Buffer.from(file.base64, 'base64'))).join('\n').replace(/\s+/g, ' ')
    const students = new Set(list.families.flatMap((f) => f.children.map((c) => c.studentId)))
    expect(text).toContain(`Liste d’appels / Call list`)
    expect(text).toContain(`${list.families.length} familles, ${students.size + list.withoutGuardian.length} élèves`)
    for (const f of list.families) {
      expect(text).toContain(`${f.lastName}, ${f.firstName}`)
      if (f.phone) expect(text).toContain(f.phone)
    }
    const english = list.families.find((f) => f.language === 'en' && f.children.some((c) => c.offeringIds.includes('offering-form')))
    if (english) expect(text).toContain('Walking trip form')
    expect(text).toContain('Zoé Sansfamille')
  })

  it('exports a row per family and child, with the count as a number and the deadline as a date', async () => {
    const list = await ok(t.core, 'reports.callList', {}, session)
    const file = await ok(t.core, 'reports.callListFile', { format: 'xlsx' }, session)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Familles - Families', 'Articles - Items'])
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).getCell(1).value).toBe('Parent ou tuteur / Parent or guardian')
    const pairs = list.families.flatMap((f) => f.children.map((c) => ({ f, c }))).length + list.withoutGuardian.length
    expect(ws.rowCount).toBe(pairs + 1)
    const first = list.families[0]!
    const row = ws.getRow(2)
    expect(row.getCell(1).value).toBe(`${first.lastName}, ${first.firstName}`)
    expect(row.getCell(2).value).toBe(first.phone)
    expect(row.getCell(11).value).toBe(first.children[0]!.offeringIds.length)
    expect(row.getCell(12).value).toBeInstanceOf(Date)
    const items = wb.worksheets[1]!
    expect(items.rowCount).toBe(list.items.length + 1)
    for (let r = 2; r <= items.rowCount; r++) {
      const item = list.items[r - 2]!
      expect([items.getRow(r).getCell(4).value, items.getRow(r).getCell(5).value]).toEqual([item.eligible, item.unanswered])
    }
  })
})
