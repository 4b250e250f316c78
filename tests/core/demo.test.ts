import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Connection } from '../../src/core/db/connection'
import { DEMO_SIGN_INS, seedDemoBoard, type DemoSummary } from '../../src/core/demo/seed'
import { searchKey } from '../../src/core/domain/search-key'
import { verifyPassword } from '../../src/core/services/passwords'
import { FAST_SCRYPT, tempDir } from './fixtures'

const ANCHOR = '2026-11-20T15:00:00.000Z'

let dir: ReturnType<typeof tempDir>
const opened: Connection[] = []

function board(name: string, options: Partial<Parameters<typeof seedDemoBoard>[1]> = {}): { db: BetterSqlite3.Database; summary: DemoSummary } {
  const connection = openDatabase({ file: join(dir.dir, `${name}.sqlite`) })
  opened.push(connection)
  const summary = seedDemoBoard(connection.raw, { anchor: new Date(ANCHOR), ...options })
  return { db: connection.raw, summary }
}

function all<T = Record<string, unknown>>(db: BetterSqlite3.Database, sql: string, ...params: unknown[]): T[] {
  return db.prepare(sql).all(...params) as T[]
}

function one<T = number>(db: BetterSqlite3.Database, sql: string, ...params: unknown[]): T {
  return db.prepare(sql).pluck().get(...params) as T
}

let first: { db: BetterSqlite3.Database; summary: DemoSummary }
let second: { db: BetterSqlite3.Database; summary: DemoSummary }
let year: { db: BetterSqlite3.Database; summary: DemoSummary }

beforeAll(() => {
  dir = tempDir()
  // The first board hashes its passwords at full cost; the others need not.
  first = board('a')
  second = board('b', { passwordParams: FAST_SCRYPT })
  year = board('year', { fullYear: true, studentsPerSchool: [90, 60], seed: 7, passwordParams: FAST_SCRYPT })
  // Three boards, one hashed at full scrypt cost: more than the default 10 s on a shared machine.
}, 120_000)

afterAll(async () => {
  for (const c of opened) {
    await c.close()
    if (c.raw.open) c.raw.close()
  }
  dir.cleanup()
})

/** The invariants every demo board keeps, whatever its size or anchor. */
function checkInvariants(db: BetterSqlite3.Database, anchorIso: string): void {
  expect(all(db, 'PRAGMA foreign_key_check')).toEqual([])
  expect(one(db, 'PRAGMA foreign_keys')).toBe(1)

  // Names are searchable as the app folds them.
  for (const table of ['students', 'guardians']) {
    for (const r of all<{ first_name: string; last_name: string; search_key: string }>(db, `SELECT first_name, last_name, search_key FROM ${table}`)) {
      expect(r.search_key).toBe(searchKey(r.first_name, r.last_name))
    }
  }

  // Nothing has happened after the anchor.
  for (const [table, column] of [
    ['orders', 'created_at'],
    ['payments', 'created_at'],
    ['consents', 'recorded_at'],
    ['waivers', 'created_at'],
    ['refunds', 'requested_at'],
    ['refunds', 'settled_at'],
    ['refund_events', 'at'],
    ['payment_voids', 'voided_at'],
    ['family_credits', 'created_at'],
    ['refund_resolutions', 'resolved_at'],
  ] as const) {
    expect(one(db, `SELECT count(*) FROM ${table} WHERE ${column} > ?`, anchorIso), `${table}.${column}`).toBe(0)
  }
  expect(one(db, `SELECT count(*) FROM offerings WHERE status <> 'draft' AND opens_at > ?`, anchorIso)).toBe(0)

  // Money: one payment per order, equal to its lines; receipts 1..n per school and series (the
  // board's, and the office kiosk's own for the sales paid with credit).
  expect(
    one(
      db,
      `SELECT count(*) FROM payments p
       WHERE p.amount_cents <> (SELECT sum(amount_cents) FROM order_lines l WHERE l.order_id = p.order_id)
          OR p.school_id <> (SELECT school_id FROM orders o WHERE o.id = p.order_id)`,
    ),
  ).toBe(0)
  expect(one(db, 'SELECT count(*) FROM orders WHERE id NOT IN (SELECT order_id FROM payments)')).toBe(0)
  expect(one(db, 'SELECT count(*) FROM order_lines WHERE amount_cents <> quantity * unit_price_cents')).toBe(0)
  for (const s of all<{ school_id: string; n: number; lo: number; hi: number; d: number }>(
    db,
    'SELECT school_id, count(*) AS n, min(receipt_number) AS lo, max(receipt_number) AS hi, count(DISTINCT receipt_number) AS d FROM payments GROUP BY school_id, receipt_series',
  )) {
    expect([s.lo, s.hi, s.d]).toEqual([1, s.n, s.n])
  }
  // Receipts follow the payments' order in time.
  for (const s of all<{ id: string; series: string }>(db, 'SELECT DISTINCT school_id AS id, receipt_series AS series FROM payments')) {
    const receipts = all<{ receipt_number: number }>(db, 'SELECT receipt_number FROM payments WHERE school_id = ? AND receipt_series = ? ORDER BY created_at, receipt_number', s.id, s.series)
    expect(receipts.map((r) => r.receipt_number)).toEqual(receipts.map((_, i) => i + 1))
  }
  // An order's lines belong to its school; a kiosk sale is the demo processor's (or the family's
  // credit's, with no card), online the board's.
  expect(
    one(
      db,
      `SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN students s ON s.id = l.student_id JOIN offerings f ON f.id = l.offering_id
       WHERE s.school_id <> o.school_id OR f.school_id <> o.school_id`,
    ),
  ).toBe(0)
  expect(one(db, `SELECT count(*) FROM payments WHERE (channel = 'kiosk') <> (processor IN ('demo', 'credit'))`)).toBe(0)
  expect(one(db, `SELECT count(*) FROM payments WHERE processor <> 'credit' AND (card_brand NOT IN ('visa', 'mastercard', 'visa_debit') OR card_last4 NOT GLOB '[0-9][0-9][0-9][0-9]')`)).toBe(0)

  // Refunds never exceed their line, and go back to the payment that took it.
  expect(
    one(
      db,
      `SELECT count(*) FROM (SELECT l.id, l.amount_cents, sum(r.amount_cents) AS refunded FROM refunds r JOIN order_lines l ON l.id = r.order_line_id
         GROUP BY l.id HAVING refunded > l.amount_cents)`,
    ),
  ).toBe(0)
  expect(
    one(
      db,
      `SELECT count(*) FROM refunds r JOIN order_lines l ON l.id = r.order_line_id JOIN payments p ON p.id = r.payment_id
       WHERE p.order_id <> l.order_id OR r.status = 'pending' OR r.settled_at < r.requested_at`,
    ),
  ).toBe(0)
  // A refund that failed was refused by the processor, with its code; one reversed had succeeded.
  // Each failure is settled: credited to the family, or of a voided payment (nothing to give back).
  expect(
    one(
      db,
      `SELECT count(*) FROM refunds r WHERE r.status = 'failed' AND (r.failure_message IS NULL
         OR NOT EXISTS (SELECT 1 FROM refund_events e WHERE e.refund_id = r.id AND e.kind = 'refused' AND e.code = r.failure_message))`,
    ),
  ).toBe(0)
  expect(
    one(
      db,
      `SELECT count(*) FROM refund_states s WHERE s.status = 'failed'
         AND NOT EXISTS (SELECT 1 FROM refund_resolutions z JOIN family_credits c ON c.id = z.credit_id WHERE z.refund_id = s.id AND z.kind = 'credited' AND c.amount_cents = s.amount_cents)
         AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = s.payment_id)`,
    ),
  ).toBe(0)
  // Credit is spent within the family's balance at the school, on that school's office sales only.
  expect(
    one(
      db,
      `SELECT count(*) FROM payments p WHERE p.credit_cents > 0 AND (p.receipt_series <> 'office'
         OR p.credit_cents <> (SELECT sum(c.amount_cents) FROM family_credits c WHERE c.order_id = p.order_id AND c.kind = 'used' AND c.school_id = p.school_id))`,
    ),
  ).toBe(0)

  // Program dates: school days only, pizza on Fridays, each cutoff before its day.
  const dates = all<{ date: string; cutoff_at: string; school_id: string; title_fr: string }>(
    db,
    'SELECT d.date, d.cutoff_at, o.school_id, o.title_fr FROM program_dates d JOIN offerings o ON o.id = d.offering_id',
  )
  expect(dates.length).toBeGreaterThan(0)
  const daysOff = new Set(all<{ k: string }>(db, `SELECT school_id || ' ' || date AS k FROM calendar_days`).map((r) => r.k))
  for (const d of dates) {
    const wd = new Date(`${d.date}T12:00:00Z`).getUTCDay()
    expect(wd === 0 || wd === 6, d.date).toBe(false)
    expect(daysOff.has(`${d.school_id} ${d.date}`), d.date).toBe(false)
    if (d.title_fr.startsWith('Pizza')) expect(wd, d.date).toBe(5)
    // Midnight in Toronto is 04:00 or 05:00 UTC: a cutoff before 04:00 UTC of the day is before it.
    expect(d.cutoff_at < `${d.date}T04:00:00.000Z`, `${d.date} ${d.cutoff_at}`).toBe(true)
  }
  // Program lines name a date and a variant of their own offering; an order's lines come before the cutoff.
  expect(
    one(
      db,
      `SELECT count(*) FROM order_lines l JOIN offerings f ON f.id = l.offering_id
       LEFT JOIN program_dates d ON d.id = l.program_date_id LEFT JOIN offering_variants v ON v.id = l.variant_id
       WHERE (f.kind = 'program' AND (d.offering_id IS NOT f.id OR v.offering_id IS NOT f.id))
          OR (f.kind <> 'program' AND l.program_date_id IS NOT NULL)
          OR (v.id IS NOT NULL AND v.price_cents <> l.unit_price_cents)`,
    ),
  ).toBe(0)
  expect(
    one(db, `SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN program_dates d ON d.id = l.program_date_id WHERE o.created_at >= d.cutoff_at`),
  ).toBe(0)

  // Products: never more than the stock, nor than the limit per student.
  expect(
    one(
      db,
      `SELECT count(*) FROM offerings o WHERE o.stock_limit IS NOT NULL
         AND o.stock_limit < (SELECT coalesce(sum(quantity), 0) FROM order_lines l WHERE l.offering_id = o.id)`,
    ),
  ).toBe(0)
  expect(
    one(
      db,
      `SELECT count(*) FROM (SELECT l.student_id, o.per_student_limit AS lim, sum(l.quantity) AS q FROM order_lines l JOIN offerings o ON o.id = l.offering_id
         WHERE o.per_student_limit IS NOT NULL GROUP BY l.student_id, o.id HAVING q > lim)`,
    ),
  ).toBe(0)
  // One line per student and program date; one fee and one outing line per student at most.
  expect(
    one(db, `SELECT count(*) FROM (SELECT 1 FROM order_lines WHERE program_date_id IS NOT NULL GROUP BY student_id, program_date_id HAVING count(*) > 1)`),
  ).toBe(0)
  expect(
    one(
      db,
      `SELECT count(*) FROM (SELECT l.student_id, l.offering_id FROM order_lines l JOIN offerings o ON o.id = l.offering_id
         WHERE o.kind IN ('fee', 'outing') GROUP BY 1, 2 HAVING count(*) > 1)`,
    ),
  ).toBe(0)
  // Consents: a guardian of the student signs with their own name.
  expect(
    one(
      db,
      `SELECT count(*) FROM consents c JOIN guardians g ON g.id = c.guardian_id
       WHERE c.signed_name <> g.first_name || ' ' || g.last_name
          OR NOT EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.student_id = c.student_id AND sg.guardian_id = c.guardian_id)`,
    ),
  ).toBe(0)
  // Each student has exactly one primary guardian.
  expect(one(db, 'SELECT count(*) FROM students s WHERE (SELECT sum(is_primary) FROM student_guardians sg WHERE sg.student_id = s.id) IS NOT 1')).toBe(0)
  // Waivers stay inside each school's assistance budget.
  expect(
    one(
      db,
      `SELECT count(*) FROM schools sc WHERE sc.assistance_budget_cents <
         (SELECT coalesce(sum(w.amount_cents), 0) FROM waivers w JOIN offerings o ON o.id = w.offering_id WHERE o.school_id = sc.id)`,
    ),
  ).toBe(0)
}

describe('the demo board', () => {
  it('is the same board for the same seed and anchor', () => {
    const dump = (db: BetterSqlite3.Database): unknown[] => [
      all(db, 'SELECT * FROM students ORDER BY id'),
      all(db, 'SELECT * FROM order_lines ORDER BY id'),
      all(db, 'SELECT * FROM guardians ORDER BY id'),
      all(db, 'SELECT * FROM payments ORDER BY id'),
      all(db, 'SELECT * FROM consents ORDER BY id'),
      all(db, 'SELECT * FROM refunds ORDER BY id'),
      all(db, 'SELECT * FROM offerings ORDER BY id'),
      all(db, 'SELECT * FROM program_dates ORDER BY id'),
    ]
    expect(dump(second.db)).toEqual(dump(first.db))
    const { ms: _a, ...a } = first.summary
    const { ms: _b, ...b } = second.summary
    expect(b).toEqual(a)
  })

  it('has unique ids shaped like the app’s UUIDv7 ids', () => {
    const ids = all<{ id: string }>(
      first.db,
      `SELECT id FROM students UNION ALL SELECT id FROM guardians UNION ALL SELECT id FROM orders UNION ALL SELECT id FROM order_lines
       UNION ALL SELECT id FROM payments UNION ALL SELECT id FROM consents UNION ALL SELECT id FROM offerings UNION ALL SELECT id FROM program_dates
       UNION ALL SELECT id FROM classes UNION ALL SELECT id FROM staff UNION ALL SELECT id FROM refunds UNION ALL SELECT id FROM waivers`,
    ).map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('gives another board for another seed', () => {
    const other = board('other', { seed: 99, studentsPerSchool: [30, 20], passwordParams: FAST_SCRYPT })
    expect(other.summary.students).toBe(50)
    const names = (db: BetterSqlite3.Database): string[] => all<{ n: string }>(db, 'SELECT first_name || last_name AS n FROM students ORDER BY id LIMIT 20').map((r) => r.n)
    expect(names(other.db)).not.toEqual(names(first.db))
  })

  it('reports what it wrote', () => {
    const { db, summary } = first
    expect(summary).toMatchObject({
      schools: 2,
      students: one(db, 'SELECT count(*) FROM students'),
      guardians: one(db, 'SELECT count(*) FROM guardians'),
      offerings: one(db, 'SELECT count(*) FROM offerings'),
      orderLines: one(db, 'SELECT count(*) FROM order_lines'),
      payments: one(db, 'SELECT count(*) FROM payments'),
      consents: one(db, 'SELECT count(*) FROM consents'),
    })
    expect(summary.ms).toBeGreaterThan(0)
    expect(JSON.parse(one<string>(db, `SELECT value FROM settings WHERE key = 'demo.board'`))).toMatchObject({ seed: 2026, anchor: ANCHOR })
  })

  it('is a believable pair of schools', () => {
    const { db } = first
    expect(all(db, 'SELECT code, name, time_zone FROM schools ORDER BY code')).toEqual([
      { code: 'SGU', name: 'École élémentaire catholique Saint-Guillaume', time_zone: 'America/Toronto' },
      { code: 'SMA', name: 'École élémentaire catholique Sainte-Marie', time_zone: 'America/Toronto' },
    ])
    const students = one(db, 'SELECT count(*) FROM students')
    expect(students).toBeGreaterThanOrEqual(380)
    expect(students).toBeLessThanOrEqual(420)
    expect(all(db, 'SELECT DISTINCT grade FROM students ORDER BY grade_rank').map((r) => r.grade)).toEqual(['JK', 'SK', '1', '2', '3', '4', '5', '6'])
    const withdrawn = one(db, `SELECT count(*) FROM students WHERE status = 'withdrawn'`)
    expect(withdrawn).toBeGreaterThan(0)
    expect(withdrawn).toBeLessThan(15)
    const alerts = one(db, 'SELECT count(*) FROM students WHERE medical_alert IS NOT NULL')
    expect(alerts).toBeGreaterThan(5)
    expect(alerts).toBeLessThan(40)
    expect(one(db, 'SELECT count(*) FROM students WHERE class_id IS NULL')).toBe(0)
    expect(one(db, `SELECT count(*) FROM classes WHERE name LIKE '%-%'`)).toBeGreaterThan(0)

    // Birth dates fit the grade: a JK child turns 4 in the calendar year school starts.
    for (const s of all<{ grade_rank: number; birth_date: string }>(db, 'SELECT grade_rank, birth_date FROM students')) {
      expect(Number(s.birth_date.slice(0, 4))).toBe(2026 - 5 - s.grade_rank)
    }

    // Families with children in both schools share their guardians.
    const bothSchools = one(
      db,
      `SELECT count(*) FROM (SELECT sg.guardian_id FROM student_guardians sg JOIN students s ON s.id = sg.student_id
         GROUP BY sg.guardian_id HAVING count(DISTINCT s.school_id) = 2)`,
    )
    expect(bothSchools).toBeGreaterThanOrEqual(3)
    expect(one(db, 'SELECT count(*) FROM (SELECT guardian_id FROM student_guardians GROUP BY guardian_id HAVING count(*) >= 2)')).toBeGreaterThan(30)

    const guardians = one(db, 'SELECT count(*) FROM guardians')
    const noEmail = one(db, 'SELECT count(*) FROM guardians WHERE email IS NULL')
    const english = one(db, `SELECT count(*) FROM guardians WHERE preferred_language = 'en'`)
    expect(noEmail / guardians).toBeGreaterThan(0.03)
    expect(noEmail / guardians).toBeLessThan(0.15)
    expect(english / guardians).toBeGreaterThan(0.08)
    expect(english / guardians).toBeLessThan(0.25)
    expect(one(db, 'SELECT count(*) FROM guardians WHERE email_bounced_at IS NOT NULL')).toBe(2)
    expect(one(db, `SELECT count(*) FROM guardians WHERE phone NOT GLOB '[0-9][0-9][0-9]-555-[0-9][0-9][0-9][0-9]'`)).toBe(0)
  })

  it('signs in the three demo staff', async () => {
    const { db } = first
    const staff = all<{ username: string; role: string; display_name: string; password_hash: string }>(db, 'SELECT username, role, display_name, password_hash FROM staff ORDER BY username')
    expect(staff.map((s) => [s.username, s.role, s.display_name])).toEqual([
      ['admin', 'admin', 'Admin Guichet'],
      ['direction', 'principal', 'Marc Gagnon'],
      ['secretaire', 'secretary', 'Sophie Lavoie'],
    ])
    // Full scrypt cost by default (checking one at that cost takes a second: the cheap board shows the passwords).
    expect(staff.every((s) => s.password_hash.startsWith('scrypt$131072$8$1$'))).toBe(true)
    const cheap = all<{ username: string; password_hash: string }>(second.db, 'SELECT username, password_hash FROM staff')
    for (const signIn of DEMO_SIGN_INS) {
      const row = cheap.find((s) => s.username === signIn.username)!
      expect(await verifyPassword(signIn.password, row.password_hash)).toBe(true)
      expect(await verifyPassword('pas-le-bon', row.password_hash)).toBe(false)
    }
  })

  it('has a catalogue under way at the anchor', () => {
    const { db } = first
    const offerings = all<{ code: string; kind: string; status: string; title_fr: string; deadline_at: string }>(
      db,
      'SELECT s.code, o.kind, o.status, o.title_fr, o.deadline_at FROM offerings o JOIN schools s ON s.id = o.school_id',
    )
    for (const code of ['SGU', 'SMA']) {
      const mine = offerings.filter((o) => o.code === code)
      expect(mine.map((o) => o.kind).sort()).toEqual(['consent_form', 'fee', 'outing', 'outing', 'product', 'product', 'program', 'program', 'program'])
      expect(mine.filter((o) => o.status === 'draft')).toHaveLength(1)
      expect(mine.find((o) => o.title_fr === 'Cotisation scolaire 2026-2027')).toBeDefined()
      expect(mine.find((o) => o.kind === 'outing' && o.status === 'published')?.title_fr).toBe('Sortie au Musée canadien de la nature')
      expect(mine.some((o) => o.kind === 'outing' && o.status === 'closed')).toBe(true)
      // Deadlines in the future are still open.
      for (const o of mine) if (o.status === 'published') expect(o.deadline_at > ANCHOR).toBe(true)
    }
    expect(one(db, `SELECT count(*) FROM offering_targets WHERE kind = 'grade'`)).toBeGreaterThan(0)
    expect(one(db, 'SELECT count(*) FROM offerings WHERE id NOT IN (SELECT offering_id FROM offering_targets)')).toBe(0)
    expect(one(db, `SELECT count(*) FROM outings WHERE starts_on > '2026-12-01' AND bus_count = 2 AND seats_per_bus = 48`)).toBe(2)
    expect(one(db, `SELECT count(*) FROM offering_questions`)).toBeGreaterThanOrEqual(10)

    // Activity on both sides of the anchor: pizza Fridays eaten, some bought ahead.
    const pizza = all<{ past: number; ahead: number }>(
      db,
      `SELECT sum(d.date < '2026-11-20') AS past, sum(d.date > '2026-11-20') AS ahead FROM order_lines l
       JOIN program_dates d ON d.id = l.program_date_id JOIN offerings o ON o.id = l.offering_id WHERE o.title_fr LIKE 'Pizza%'`,
    )[0]!
    expect(pizza.past).toBeGreaterThan(500)
    expect(pizza.ahead).toBeGreaterThan(0)
    expect(one(db, `SELECT count(*) FROM orders WHERE channel = 'kiosk'`)).toBeGreaterThan(0)
    expect(one(db, `SELECT count(*) FROM consents WHERE decision = 'withdrawn'`)).toBeGreaterThan(0)
    expect(one(db, 'SELECT count(*) FROM waivers')).toBeGreaterThan(0)
    expect(one(db, 'SELECT count(*) FROM refunds')).toBeGreaterThan(0)
    // What goes wrong with money, at each school: a payment voided by the board and one the
    // processor reported voided, a card refund failed and one reversed, both settled as credit,
    // and credit spent at the office kiosk (once wholly, once with a card for the rest).
    for (const code of ['SGU', 'SMA']) {
      const school = one<string>(db, 'SELECT id FROM schools WHERE code = ?', code)
      const voids = all<{ source: string }>(db, 'SELECT v.source FROM payment_voids v JOIN payments p ON p.id = v.payment_id WHERE p.school_id = ? ORDER BY v.source', school)
      expect(voids.map((v) => v.source)).toEqual(['board', 'processor'])
      expect(one(db, `SELECT count(*) FROM refund_events e JOIN refunds r ON r.id = e.refund_id JOIN payments p ON p.id = r.payment_id WHERE e.kind = 'reversed' AND p.school_id = ?`, school)).toBe(1)
      expect(one(db, `SELECT count(*) FROM family_credits WHERE kind = 'granted' AND school_id = ?`, school)).toBe(2)
      expect(one(db, `SELECT count(*) FROM family_credits WHERE kind = 'used' AND school_id = ?`, school)).toBe(1)
    }
    expect(all<{ processor: string }>(db, `SELECT processor FROM payments WHERE credit_cents > 0 ORDER BY processor`).map((p) => p.processor)).toEqual(['credit', 'demo'])
    // The fee: most families paid it.
    const feeShare = one(
      db,
      `SELECT 1.0 * count(DISTINCT l.student_id) / (SELECT count(*) FROM students) FROM order_lines l JOIN offerings o ON o.id = l.offering_id WHERE o.kind = 'fee'`,
    )
    expect(feeShare).toBeGreaterThan(0.6)
    expect(feeShare).toBeLessThan(0.9)
  })

  it('keeps its invariants under way', () => {
    checkInvariants(first.db, ANCHOR)
  })

  it('keeps its invariants over a whole year, snow day included', () => {
    const { db, summary } = year
    expect(summary.students).toBe(150)
    const lastDay = one<string>(db, 'SELECT max(ends_on) FROM school_years')
    const anchor = one<string>(db, 'SELECT max(created_at) FROM payments')
    expect(anchor.slice(0, 10) <= lastDay).toBe(true)
    checkInvariants(db, `${lastDay}T20:00:00.000Z`)
    expect(one(db, `SELECT count(*) FROM program_dates WHERE status = 'cancelled'`)).toBe(1)
    expect(one(db, `SELECT count(*) FROM refunds WHERE reason = 'Journée de neige — pizza annulée'`)).toBeGreaterThan(0)
    expect(one(db, `SELECT count(*) FROM offerings WHERE status = 'published'`)).toBe(0)
    // Every line of the cancelled day was refunded in full.
    expect(
      one(
        db,
        `SELECT count(*) FROM order_lines l JOIN program_dates d ON d.id = l.program_date_id
         WHERE d.status = 'cancelled' AND l.amount_cents <> coalesce((SELECT sum(amount_cents) FROM refunds r WHERE r.order_line_id = l.id), 0)`,
      ),
    ).toBe(0)
  })

  it.each([
    ['in summer, before the catalogue opens', '2026-07-15T15:00:00.000Z'],
    ['as the catalogue opens', '2026-08-28T15:00:00.000Z'],
    ['on the first morning of school', '2026-09-08T12:00:00.000Z'],
    ['on the night clocks go back', '2026-11-01T06:30:00.000Z'],
    ['after the holidays', '2027-01-08T15:00:00.000Z'],
    ['on the night clocks go forward', '2027-03-14T07:30:00.000Z'],
    ['during March break', '2027-03-17T15:00:00.000Z'],
    ['on the last evening of the year', '2027-06-25T23:00:00.000Z'],
    ['after the last day, before July', '2027-06-30T15:00:00.000Z'],
  ])('keeps its invariants %s', (_label, anchor) => {
    const { db, summary } = board(`at-${anchor.slice(0, 10)}`, { anchor: new Date(anchor), studentsPerSchool: [45, 30], passwordParams: FAST_SCRYPT })
    expect(summary.students).toBe(75)
    checkInvariants(db, anchor)
  })

  it('refuses a database that already has schools', () => {
    expect(() => seedDemoBoard(first.db, { anchor: new Date(ANCHOR) })).toThrow(/already has schools/)
    expect(one(first.db, 'SELECT count(*) FROM schools')).toBe(2)
  })
})
