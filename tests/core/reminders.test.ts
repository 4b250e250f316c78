import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ok, testCore } from './fixtures'

/**
 * Who is reminded, and when (services/scheduled-work.ts, services/answered.ts): answered means
 * paid or waived, and for an outing a consent given (and settled) or refused; a program reminds
 * once per month of dates; a reminder is decided from complete data and never silently dropped.
 */

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string
const ids = {} as { school: string; ann: string; bob: string; cy: string; dee: string; mom: string; dad: string; gran: string }
const raw = () => t.core.connection.raw
const rows = (sql: string, ...args: unknown[]) => raw().prepare(sql).all(...args) as Array<Record<string, unknown>>

beforeEach(async () => {
  t = await testCore() // 2026-11-20T15:00Z
  const b = t.board
  b.staff('sophie', 'secretary')
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  ids.school = b.school('École Saint-Rappel')
  b.year(ids.school)
  const c1 = b.klass(ids.school, '3e année A')
  ids.ann = b.student(ids.school, 'Ann', 'Roy', '3', c1)
  ids.bob = b.student(ids.school, 'Bob', 'Roy', '3', c1)
  ids.cy = b.student(ids.school, 'Cy', 'Lee', '3', c1)
  ids.dee = b.student(ids.school, 'Dee', 'Ng', '3', c1)
  ids.mom = b.guardian('Julie', 'Roy', [ids.ann, ids.bob])
  ids.dad = b.guardian('Sam', 'Lee', [ids.cy])
  ids.gran = b.guardian('Lin', 'Ng', [ids.dee])
})
afterEach(() => t.cleanup())

/** After the clock moved, the idle session is locked: sign in again. */
const signIn = async () => (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token

/** A published item of the whole school, deadline 1 December 17:00Z: its reminder goes on 28 November at 9:00 (14:00Z). */
function item(kind: 'product' | 'fee' | 'outing' | 'consent_form', price: number, extra: { feePer?: 'family' } = {}): string {
  const id = t.board.offering(ids.school, kind, `Article ${kind}`, [['school', ids.school]], { price })
  raw().prepare(`UPDATE offerings SET published_at = ?, reminder_days_before = 3, fee_per = ? WHERE id = ?`).run('2026-11-20T15:00:00.000Z', extra.feePer ?? null, id)
  return id
}
const AT = Date.parse('2026-11-28T14:00:00.000Z')

async function remindedAt(ms: number): Promise<string[][]> {
  t.clock.ms = ms
  await t.core.runScheduledWork()
  return rows(`SELECT data FROM outbox WHERE type = 'notification.request' ORDER BY seq`).map((r) => (JSON.parse(String(r.data)) as { guardianIds: string[] }).guardianIds)
}

function waive(offeringId: string, studentId: string, cents: number) {
  raw()
    .prepare(`INSERT INTO waivers (id, student_id, offering_id, amount_cents, reason, created_at) VALUES (?, ?, ?, ?, 'Aide', ?)`)
    .run(`w-${studentId}`, studentId, offeringId, cents, '2026-11-20T15:00:00.000Z')
}

describe('who has answered', () => {
  it('a product: a paid line answers, a declined card (a line with no payment) does not', async () => {
    const id = item('product', 500)
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: id, cents: 500 }, { student: ids.bob, offering: id, cents: 500 }], true)
    t.board.order(ids.school, ids.dad, [{ student: ids.cy, offering: id, cents: 500 }], false)
    expect(await remindedAt(AT)).toEqual([[ids.dad, ids.gran].sort()])
  })

  it('a fee: a waived student is not reminded, and a family fee paid for one child answers for the sibling', async () => {
    const fee = item('fee', 2500, { feePer: 'family' })
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: fee, cents: 2500 }], true)
    waive(fee, ids.cy, 2500)
    waive(fee, ids.dee, 1000) // in part: still owes the rest
    expect(await remindedAt(AT)).toEqual([[ids.gran]])
  })

  it('a fee per student: paying for one child does not answer for the other', async () => {
    const fee = item('fee', 2500)
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: fee, cents: 2500 }], true)
    waive(fee, ids.cy, 2500)
    waive(fee, ids.dee, 2500)
    expect(await remindedAt(AT)).toEqual([[ids.mom]])
  })

  it('an outing: a consent given and unpaid is not an answer; refused, paid or waived is', async () => {
    const outing = item('outing', 1500)
    t.board.consent(outing, ids.ann, ids.mom, 'granted', '2026-11-21T12:00:00.000Z') // not paid
    t.board.consent(outing, ids.bob, ids.mom, 'declined', '2026-11-21T12:00:00.000Z')
    t.board.consent(outing, ids.cy, ids.dad, 'granted', '2026-11-21T12:00:00.000Z')
    t.board.order(ids.school, ids.dad, [{ student: ids.cy, offering: outing, cents: 1500 }], true)
    t.board.consent(outing, ids.dee, ids.gran, 'granted', '2026-11-21T12:00:00.000Z')
    waive(outing, ids.dee, 1500)
    expect(await remindedAt(AT)).toEqual([[ids.mom]])
  })

  it('the call list counts the same answers', async () => {
    const outing = item('outing', 1500)
    t.board.consent(outing, ids.ann, ids.mom, 'granted', '2026-11-21T12:00:00.000Z')
    t.board.consent(outing, ids.bob, ids.mom, 'declined', '2026-11-21T12:00:00.000Z')
    t.board.consent(outing, ids.cy, ids.dad, 'granted', '2026-11-21T12:00:00.000Z')
    t.board.order(ids.school, ids.dad, [{ student: ids.cy, offering: outing, cents: 1500 }], true)
    waive(outing, ids.dee, 1500)
    t.board.consent(outing, ids.dee, ids.gran, 'granted', '2026-11-21T12:00:00.000Z')
    const list = await ok(t.core, 'reports.callList', {}, secretary)
    expect(list.families.map((f) => [f.guardianId, f.children.map((c) => c.studentId)])).toEqual([[ids.mom, [ids.ann]]])
  })
})

describe('a program reminds before each month of dates', () => {
  function pizza(): { id: string; dates: Record<string, string> } {
    const id = t.board.offering(ids.school, 'program', 'Pizza', [['school', ids.school]], { deadline: '2027-06-09T16:00:00.000Z' })
    raw().prepare(`UPDATE offerings SET published_at = ?, reminder_days_before = 3 WHERE id = ?`).run('2026-11-20T15:00:00.000Z', id)
    const dates: Record<string, string> = {}
    for (const [date, cutoff] of [
      ['2026-12-04', '2026-12-02T17:00:00.000Z'],
      ['2026-12-11', '2026-12-09T17:00:00.000Z'],
      ['2027-01-08', '2027-01-06T17:00:00.000Z'],
      ['2027-06-11', '2027-06-09T16:00:00.000Z'],
    ]) {
      dates[date!] = `pd-${date}`
      raw().prepare(`INSERT INTO program_dates (id, offering_id, date, cutoff_at) VALUES (?, ?, ?, ?)`).run(`pd-${date}`, id, date, cutoff)
    }
    return { id, dates }
  }

  it('once per month, a few days before its first cutoff, to the families who ordered nothing in it', async () => {
    const { id, dates } = pizza()
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: id, cents: 300, programDate: dates['2026-12-11']! }], true) // Bob not
    t.board.order(ids.school, ids.dad, [{ student: ids.cy, offering: id, cents: 300, programDate: dates['2027-01-08']! }], true, 2) // January only
    expect(await remindedAt(Date.parse('2026-11-29T13:59:59.000Z'))).toEqual([])
    // December: 3 days before 2 December, 9:00.
    expect(await remindedAt(Date.parse('2026-11-29T14:00:00.000Z'))).toEqual([[ids.mom, ids.dad, ids.gran].sort()])
    // Every minute after, nothing more: never a weekly message to a family who chose not to order.
    expect(await remindedAt(Date.parse('2026-12-05T14:00:00.000Z'))).toHaveLength(1)
    // January: 3 January, to those who ordered nothing in January.
    const january = await remindedAt(Date.parse('2027-01-03T14:00:00.000Z'))
    expect(january).toHaveLength(2)
    expect(january[1]).toEqual([ids.mom, ids.gran].sort())
    expect(rows(`SELECT period, outcome FROM reminder_runs ORDER BY period`)).toEqual([
      { period: '2026-12', outcome: 'sent' },
      { period: '2027-01', outcome: 'sent' },
    ])
    const detail = await ok(t.core, 'catalogue.get', { id }, await signIn())
    expect(detail.reminder.at).toBe('2027-06-06T13:00:00.000Z') // June's, not a year-late one
  })
})

describe('a reminder is not lost', () => {
  it('goes late when the PC was off past its time, while the deadline is ahead', async () => {
    item('product', 500)
    expect(await remindedAt(Date.parse('2026-11-21T10:00:00.000Z'))).toEqual([])
    expect(await remindedAt(Date.parse('2026-11-30T20:00:00.000Z'))).toHaveLength(1)
    expect(rows(`SELECT due_at, sent_at, outcome FROM reminder_runs`)).toEqual([{ due_at: '2026-11-28T14:00:00.000Z', sent_at: '2026-11-30T20:00:00.000Z', outcome: 'sent' }])
  })

  it('is recorded as missed, and audited, when the PC was off past the deadline', async () => {
    const id = item('product', 500)
    expect(await remindedAt(Date.parse('2026-11-21T10:00:00.000Z'))).toEqual([])
    expect(await remindedAt(Date.parse('2026-12-03T08:00:00.000Z'))).toEqual([])
    expect(rows(`SELECT period, outcome, family_count, outbox_id FROM reminder_runs`)).toEqual([{ period: '', outcome: 'missed', family_count: 0, outbox_id: null }])
    expect(rows(`SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq`, id).map((r) => r.action)).toEqual(['catalogue.reminderMissed', 'catalogue.autoClose'])
    const detail = await ok(t.core, 'catalogue.get', { id }, await signIn())
    expect(detail.reminder.runs).toEqual([{ sentAt: '2026-12-03T08:00:00.000Z', familyCount: 0, period: '', outcome: 'missed' }])
  })

  it('at a school that syncs, waits for a pull of the board’s feed after its time, so an online payment counts', async () => {
    const id = item('product', 500)
    raw()
      .prepare(`INSERT INTO settings (key, value) VALUES ('sync.enrolment', ?)`)
      .run(JSON.stringify({ centralUrl: 'http://127.0.0.1:1', deviceId: 'd', deviceName: 'PC', schools: [{ id: ids.school, name: 'École' }], status: 'enrolled', enrolledAt: '2026-11-01T00:00:00.000Z' }))
    raw().prepare(`INSERT INTO sync_state (school_id, last_seq, last_pull_at) VALUES (?, 10, ?)`).run(ids.school, '2026-11-28T13:00:00.000Z')
    t.clock.ms = AT + 60_000
    expect(await t.core.runScheduledWork()).toMatchObject({ reminders: 0, waiting: 1 })
    // The pull brings Julie's online payment, then the reminder goes without her.
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: id, cents: 500 }, { student: ids.bob, offering: id, cents: 500 }], true)
    raw().prepare(`UPDATE sync_state SET last_pull_at = ? WHERE school_id = ?`).run(new Date(AT + 90_000).toISOString(), ids.school)
    expect(await remindedAt(AT + 120_000)).toEqual([[ids.dad, ids.gran].sort()])
  })
})
