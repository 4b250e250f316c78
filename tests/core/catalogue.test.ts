import { beforeEach, afterEach, describe, expect, it } from 'vitest'
import type { Input } from '../../src/shared/contract'
import { count, ok, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string
let principal: string
const ids = {} as { school: string; ann: string; bob: string; cy: string; mom: string; dad: string }

beforeEach(async () => {
  t = await testCore() // the clock stands at 2026-11-20T15:00Z, a Friday
  const b = t.board
  b.staff('sophie', 'secretary')
  b.staff('marc', 'principal')
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
  ids.school = b.school('École Saint-Test')
  b.year(ids.school)
  b.dayOff(ids.school, '2026-12-04', 'pd_day', 'Journée pédagogique')
  b.dayOff(ids.school, '2026-12-25', 'holiday', 'Noël')
  const c1 = b.klass(ids.school, '1re année A')
  ids.ann = b.student(ids.school, 'Ann', 'Roy', '1', c1)
  ids.bob = b.student(ids.school, 'Bob', 'Roy', '2', c1)
  ids.cy = b.student(ids.school, 'Cy', 'Lee', '5', null)
  ids.mom = b.guardian('Julie', 'Roy', [ids.ann, ids.bob])
  ids.dad = b.guardian('Sam', 'Lee', [ids.cy])
})
afterEach(() => t.cleanup())

/** Moves the clock; the sessions, idle meanwhile, sign in again. */
async function travel(toMs: number) {
  t.clock.ms = toMs
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
}

async function fail(method: string, input: unknown, session = secretary) {
  const result = await t.core.dispatch({ method, input, session })
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
  return result.error
}

type Draft = Input<'catalogue.create'>['draft']

function pizza(over: Partial<Draft> = {}): Draft {
  return {
    kind: 'program',
    titleFr: 'Pizza du vendredi',
    titleEn: 'Friday pizza',
    descriptionFr: 'Une pointe de pizza livrée à la classe.',
    descriptionEn: 'A slice of pizza delivered to the classroom.',
    opensAt: '2026-11-20T16:00:00Z',
    deadlineAt: '2026-12-16T17:00:00Z',
    priceCents: 0,
    feePer: null,
    required: false,
    stockLimit: null,
    perStudentLimit: null,
    reminderDaysBefore: 3,
    targets: [{ kind: 'grade', value: '1' }, { kind: 'grade', value: '2' }],
    variants: [
      { labelFr: 'Fromage', labelEn: 'Cheese', priceCents: 300 },
      { labelFr: 'Pepperoni', labelEn: 'Pepperoni', priceCents: 350 },
    ],
    dates: [
      { date: '2026-12-11', cutoffAt: '2026-12-09T17:00:00Z', supplier: 'Pizza Vanier' },
      { date: '2026-12-18', cutoffAt: '2026-12-16T17:00:00Z', supplier: 'Pizza Vanier' },
    ],
    outing: null,
    questions: [],
    ...over,
  }
}

const rows = (sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).all(...args) as Array<Record<string, unknown>>

describe('creating and editing', () => {
  it('refuses bad input with a clear message per field, and saves nothing', async () => {
    const before = { offerings: count(t.core.connection.raw, 'offerings'), audit: count(t.core.connection.raw, 'audit_log') }
    const bad = pizza({
      titleFr: '  ',
      priceCents: -5,
      deadlineAt: '2026-11-01T00:00:00Z',
      variants: [{ labelFr: 'Fromage', labelEn: null, priceCents: null as never }],
      dates: Array.from({ length: 201 }, (_, i) => ({ date: `2027-01-${String((i % 28) + 1).padStart(2, '0')}`, cutoffAt: '2027-01-01T00:00:00Z', supplier: null })),
    })
    const error = await fail('catalogue.create', { schoolId: ids.school, draft: bad })
    expect(error.code).toBe('INVALID_INPUT')
    const paths = error.issues!.map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['draft.titleFr', 'draft.priceCents', 'draft.variants.0.priceCents', 'draft.dates']))
    expect(error.issues!.every((i) => i.message.length > 0 && !i.message.startsWith('validation.'))).toBe(true)
    expect(count(t.core.connection.raw, 'offerings')).toBe(before.offerings)
    expect(count(t.core.connection.raw, 'audit_log')).toBe(before.audit)
  })

  it('saves a draft whole and gives it back as it was written', async () => {
    const { id, version } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    expect(version).toBe(1)
    const detail = await ok(t.core, 'catalogue.get', { id }, secretary)
    expect(detail).toMatchObject({ status: 'draft', schoolYear: '2026-2027', facts: { paidLines: 0, answers: 0, eligible: 2 } })
    expect(detail.draft.variants.map((v) => [v.labelFr, v.priceCents])).toEqual([['Fromage', 300], ['Pepperoni', 350]])
    expect(detail.draft.dates.map((d) => d.date)).toEqual(['2026-12-11', '2026-12-18'])
    expect(detail.draft.opensAt).toBe('2026-11-20T16:00:00.000Z')
    expect(detail.reminder.at).toBe('2026-12-06T14:00:00.000Z') // 3 days before December's first cutoff (the 9th), 9:00 in Toronto
    expect(rows(`SELECT count(*) AS n FROM outbox`)).toEqual([{ n: 0 }]) // a draft stays local
  })

  it('refuses a stale version: two secretaries, one item', async () => {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    await ok(t.core, 'catalogue.update', { id, version: 1, draft: pizza({ titleFr: 'Pizza' }) }, secretary)
    expect((await fail('catalogue.update', { id, version: 1, draft: pizza({ titleFr: 'Autre' }) })).code).toBe('CONFLICT')
    expect((await ok(t.core, 'catalogue.get', { id }, secretary)).draft.titleFr).toBe('Pizza')
  })

  it('counts eligible students live, as a union of targets', async () => {
    const count = (targets: Input<'catalogue.eligibleCount'>['targets']) => ok(t.core, 'catalogue.eligibleCount', { schoolId: ids.school, targets }, secretary)
    expect(await count([])).toEqual({ eligible: 0 })
    expect(await count([{ kind: 'grade', value: '1' }])).toEqual({ eligible: 1 })
    expect(await count([{ kind: 'grade', value: '1' }, { kind: 'student', value: ids.cy }])).toEqual({ eligible: 2 })
    expect(await count([{ kind: 'school', value: ids.school }])).toEqual({ eligible: 3 })
    expect(await count([{ kind: 'school', value: 'another-school' }])).toEqual({ eligible: 0 })
  })

  it('proposes program dates from the calendar, saying what it skipped and why', async () => {
    const result = await ok(
      t.core,
      'catalogue.proposeDates',
      { schoolId: ids.school, request: { from: '2026-12-01', to: '2026-12-31', weekdays: [5], cutoff: { schoolDaysBefore: 2, time: '12:00' } } },
      secretary,
    )
    expect(result.dates.map((d) => [d.date, d.cutoffAt])).toEqual([
      ['2026-12-11', '2026-12-09T17:00:00.000Z'],
      ['2026-12-18', '2026-12-16T17:00:00.000Z'],
    ])
    expect(result.skipped).toEqual([
      { date: '2026-12-04', reason: 'pd_day', label: 'Journée pédagogique' },
      { date: '2026-12-25', reason: 'holiday', label: 'Noël' },
    ])
  })
})

describe('the pre-publish checker and publishing', () => {
  it('blocks on errors, asks to confirm warnings, then publishes and writes the outbox in the same transaction', async () => {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza({ targets: [], titleEn: null }) }, secretary)
    const checked = await ok(t.core, 'catalogue.get', { id }, secretary)
    expect(checked.problems.map((p) => [p.code, p.severity, p.field])).toEqual(
      expect.arrayContaining([
        ['check.noTarget', 'error', 'targets'],
        ['check.titleEnMissing', 'warning', 'titleEn'],
      ]),
    )
    const blocked = await fail('catalogue.publish', { id, version: 1 })
    expect(blocked.code).toBe('CHECK_FAILED')
    expect(blocked.issues!.map((i) => i.path)).toContain('targets')
    expect(rows(`SELECT status FROM offerings WHERE id = ?`, id)).toEqual([{ status: 'draft' }])

    const { version } = await ok(t.core, 'catalogue.update', { id, version: 1, draft: pizza({ titleEn: null }) }, secretary)
    const warned = await fail('catalogue.publish', { id, version })
    expect(warned.code).toBe('WARNINGS_UNCONFIRMED')
    expect(warned.issues!.map((i) => i.path)).toContain('titleEn')
    expect(count(t.core.connection.raw, 'outbox')).toBe(0)

    const published = await ok(t.core, 'catalogue.publish', { id, version, confirmWarnings: true }, secretary)
    expect(published).toEqual({ id, version: version + 1, status: 'published' })
    const outbox = rows(`SELECT type, entity_id, base_version, state, data FROM outbox ORDER BY seq`)
    expect(outbox.map((m) => [m.type, m.base_version, m.state])).toEqual([
      ['offering.upsert', version, 'pending'],
      ['offering.publish', version + 1, 'pending'],
    ])
    expect(JSON.parse(String(outbox[0]!.data))).toMatchObject({ id, titleFr: 'Pizza du vendredi', variants: [{ priceCents: 300 }, { priceCents: 350 }] })
    const list = await ok(t.core, 'catalogue.list', {}, secretary)
    expect(list.rows).toEqual([expect.objectContaining({ id, status: 'published', eligible: 2, answered: 0, paid: 0, waitingToSend: 2 })])
  })

  it('never publishes an outing without a chaperone ratio', async () => {
    const outing: Draft = {
      ...pizza(),
      kind: 'outing',
      priceCents: 1800,
      variants: [],
      dates: [],
      outing: { startsOn: '2026-12-10', endsOn: '2026-12-10', startTime: '09:00', endTime: '14:30', destination: 'Musée', venueLimit: 120, busCount: 1, seatsPerBus: 48, staffCount: 2, chaperoneRatio: null },
      questions: [{ kind: 'yes_no', labelFr: 'Médicament?', labelEn: 'Medication?', choices: [], required: true }],
      deadlineAt: '2026-12-03T17:00:00Z',
    }
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: outing }, secretary)
    expect((await fail('catalogue.publish', { id, version: 1, confirmWarnings: true })).issues!.map((i) => i.path)).toContain('outing.chaperoneRatio')
    const { version } = await ok(t.core, 'catalogue.update', { id, version: 1, draft: { ...outing, outing: { ...outing.outing!, chaperoneRatio: 10 } } }, secretary)
    expect((await ok(t.core, 'catalogue.publish', { id, version, confirmWarnings: true }, secretary)).status).toBe('published')
  })
})

describe('once families have paid', () => {
  async function publishedAndPaid() {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    const { version } = await ok(t.core, 'catalogue.publish', { id, version: 1, confirmWarnings: true }, secretary)
    const detail = await ok(t.core, 'catalogue.get', { id }, secretary)
    const raw = t.core.connection.raw
    raw.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('o1', ?, ?, 'online', ?)`).run(ids.school, ids.mom, '2026-11-21T12:00:00Z')
    raw
      .prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, variant_id, program_date_id, quantity, unit_price_cents, amount_cents) VALUES ('l1', 'o1', ?, ?, ?, ?, 1, 300, 300)`)
      .run(ids.ann, id, detail.draft.variants[0]!.id, detail.draft.dates[0]!.id)
    raw
      .prepare(`INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at) VALUES ('p1', ?, 'o1', 'board', 'ch_1', 'visa', '4242', 300, 'online', 1, ?)`)
      .run(ids.school, '2026-11-21T12:00:00Z')
    return { id, version, detail }
  }

  it('refuses a new price, a narrower target or a paid date taken out, and says what to do instead', async () => {
    const { id, version, detail } = await publishedAndPaid()
    const draft = { ...detail.draft } as Draft
    const repriced = await fail('catalogue.update', { id, version, draft: { ...draft, variants: draft.variants.map((v, i) => (i === 0 ? { ...v, priceCents: 400 } : v)) } })
    expect(repriced.code).toBe('CHANGE_BLOCKED')
    expect(repriced.issues!.map((i) => i.path)).toEqual(['variants.0.priceCents'])
    const narrowed = await fail('catalogue.update', { id, version, draft: { ...draft, targets: [{ kind: 'grade', value: '2' }] } })
    expect(narrowed.issues!.map((i) => i.path)).toEqual(['targets'])
    const dropped = await fail('catalogue.update', { id, version, draft: { ...draft, dates: draft.dates.slice(1) } })
    expect(dropped.code).toBe('CHANGE_BLOCKED')
    expect(rows(`SELECT count(*) AS n FROM program_dates WHERE offering_id = ?`, id)).toEqual([{ n: 2 }])
    expect((await ok(t.core, 'catalogue.get', { id }, secretary)).locks.map((l) => l.field)).toEqual(expect.arrayContaining(['priceCents', 'variants.0.priceCents']))
  })

  it('lets a typo, an added date and (the principal’s, with a reason) a later deadline through, and tells the board', async () => {
    const { id, version, detail } = await publishedAndPaid()
    const draft = { ...detail.draft } as Draft
    const edited = { ...draft, titleFr: 'Pizza du vendredi midi', dates: [...draft.dates, { date: '2027-01-08', cutoffAt: '2027-01-06T17:00:00Z', supplier: null }] }
    expect(await ok(t.core, 'catalogue.update', { id, version, draft: edited }, secretary)).toEqual({ id, version: version + 1 })
    const last = rows(`SELECT type, base_version FROM outbox ORDER BY seq DESC LIMIT 1`)
    expect(last).toEqual([{ type: 'offering.upsert', base_version: version }])
    const later = { ...(await ok(t.core, 'catalogue.get', { id }, secretary)).draft, deadlineAt: '2026-12-17T17:00:00Z' } as Draft
    expect((await fail('catalogue.update', { id, version: version + 1, draft: later })).code).toBe('EXCEPTION_NEEDS_PRINCIPAL')
    await ok(t.core, 'catalogue.update', { id, version: version + 1, draft: later, exceptionReason: 'Le fournisseur accepte une semaine de plus' }, principal)
    expect(rows(`SELECT type FROM outbox ORDER BY seq DESC LIMIT 2`)).toEqual([{ type: 'exception.record' }, { type: 'offering.upsert' }])
  })

  it('leaves cancelling to the principal, with a reason, and then nothing changes', async () => {
    const { id, version } = await publishedAndPaid()
    expect((await fail('catalogue.cancel', { id, version, reason: '' })).code).toBe('INVALID_INPUT')
    expect((await fail('catalogue.cancel', { id, version, reason: 'Fournisseur fermé' })).code).toBe('CANCEL_NEEDS_PRINCIPAL')
    const cancelled = await ok(t.core, 'catalogue.cancel', { id, version, reason: 'Fournisseur fermé' }, principal)
    expect(cancelled.status).toBe('cancelled')
    expect(rows(`SELECT cancel_reason FROM offerings WHERE id = ?`, id)).toEqual([{ cancel_reason: 'Fournisseur fermé' }])
    expect(rows(`SELECT type FROM outbox ORDER BY seq DESC LIMIT 1`)).toEqual([{ type: 'offering.cancel' }])
    const detail = await ok(t.core, 'catalogue.get', { id }, secretary)
    const again = await fail('catalogue.update', { id, version: cancelled.version, draft: { ...detail.draft, titleFr: 'x' } })
    expect(again.code).toBe('CHANGE_BLOCKED')
    expect((await fail('catalogue.publish', { id, version: cancelled.version, confirmWarnings: true })).code).toBe('LIFECYCLE')
  })
})

describe('as time passes', () => {
  it('closes an item at its deadline, once, and tells the board', async () => {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    await ok(t.core, 'catalogue.publish', { id, version: 1, confirmWarnings: true }, secretary)
    await travel(Date.parse('2026-12-16T17:00:00Z') - 1)
    expect((await ok(t.core, 'catalogue.list', {}, secretary)).rows[0]!.status).toBe('published')
    t.clock.ms += 1
    expect((await ok(t.core, 'catalogue.list', {}, secretary)).rows[0]!.status).toBe('closed') // before any tick
    expect(await t.core.runScheduledWork()).toMatchObject({ closed: 1 })
    expect(await t.core.runScheduledWork()).toMatchObject({ closed: 0 })
    expect(rows(`SELECT status FROM offerings`)).toEqual([{ status: 'closed' }])
    expect(rows(`SELECT type FROM outbox ORDER BY seq DESC LIMIT 1`)).toEqual([{ type: 'offering.close' }])
    expect(rows(`SELECT actor, action FROM audit_log WHERE action = 'catalogue.autoClose'`)).toEqual([{ actor: 'Guichet', action: 'catalogue.autoClose' }])
  })

  it('reminds, once and at its time, only the families who have not answered', async () => {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza({ targets: [{ kind: 'school', value: ids.school }] }) }, secretary)
    await ok(t.core, 'catalogue.publish', { id, version: 1, confirmWarnings: true }, secretary)
    const [first] = rows(`SELECT id FROM program_dates WHERE offering_id = ? ORDER BY date`, id) as { id: string }[]
    t.board.order(ids.school, ids.dad, [{ student: ids.cy, offering: id, cents: 300, programDate: first!.id }], true)
    // Julie's card was declined: an order line with no payment is not an answer.
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: id, cents: 300, programDate: first!.id }], false)
    // December's dates: the first cutoff is 9 December, so the reminder goes on the 6th at 9:00.
    await travel(Date.parse('2026-12-06T14:00:00Z') - 1)
    expect(await t.core.runScheduledWork()).toMatchObject({ reminders: 0 })
    t.clock.ms += 1
    expect(await t.core.runScheduledWork()).toMatchObject({ reminders: 1 })
    expect(await t.core.runScheduledWork()).toMatchObject({ reminders: 0 })
    const [mutation] = rows(`SELECT type, data FROM outbox WHERE type = 'notification.request'`)
    expect(JSON.parse(String(mutation!.data))).toEqual({ offeringId: id, kind: 'reminder', guardianIds: [ids.mom], period: '2026-12' })
    const detail = await ok(t.core, 'catalogue.get', { id }, secretary)
    expect(detail.reminder.runs).toEqual([{ sentAt: '2026-12-06T14:00:00.000Z', familyCount: 1, period: '2026-12', outcome: 'sent' }])
  })
})

describe('a date called off', () => {
  it('cancels one paid date as the principal’s call, tells the board, and leaves the refunds to a job', async () => {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    const { version } = await ok(t.core, 'catalogue.publish', { id, version: 1, confirmWarnings: true }, secretary)
    const [first] = rows(`SELECT id, date FROM program_dates WHERE offering_id = ? ORDER BY date`, id) as { id: string; date: string }[]
    t.board.order(ids.school, ids.mom, [{ student: ids.ann, offering: id, cents: 300, programDate: first!.id }], true)
    const bySecretary = await fail('catalogue.cancelDate', { id, version, programDateId: first!.id, reason: 'Tempête' })
    expect(bySecretary.code).toBe('CANCEL_NEEDS_PRINCIPAL')
    const outboxBefore = count(t.core.connection.raw, 'outbox')
    const r = await ok(t.core, 'catalogue.cancelDate', { id, version, programDateId: first!.id, reason: 'Tempête' }, principal)
    expect(r).toEqual({ id, version: version + 1, paidLines: 1 })
    expect(rows(`SELECT status, cancel_reason FROM program_dates WHERE id = ?`, first!.id)).toEqual([{ status: 'cancelled', cancel_reason: 'Tempête' }])
    const last = rows(`SELECT type, data FROM outbox ORDER BY seq DESC LIMIT 1`)[0]!
    expect(count(t.core.connection.raw, 'outbox')).toBe(outboxBefore + 1)
    expect(JSON.parse(String(last.data)).dates[0]).toMatchObject({ date: first!.date, status: 'cancelled' })
    const twice = await fail('catalogue.cancelDate', { id, version: version + 1, programDateId: first!.id, reason: 'Tempête' }, principal)
    expect(twice.code).toBe('LIFECYCLE')
  })
})

describe('copies, templates and the month view', () => {
  it('duplicates for next year on the same weekdays, as a draft', async () => {
    const { id } = await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    t.core.connection.raw.prepare(`INSERT INTO school_years (id, school_id, label, starts_on, ends_on) VALUES ('y2', ?, '2027-2028', '2027-09-07', '2028-06-23')`).run(ids.school)
    const copy = await ok(t.core, 'catalogue.duplicate', { id, nextYear: true }, secretary)
    const detail = await ok(t.core, 'catalogue.get', { id: copy.id }, secretary)
    expect(detail.status).toBe('draft')
    expect(detail.draft.dates.map((d) => d.date)).toEqual(['2027-12-10', '2027-12-17'])
    expect(detail.draft.dates.every((d) => new Date(`${d.date}T12:00:00Z`).getUTCDay() === 5)).toBe(true)
    expect(detail.draft.variants.map((v) => v.labelFr)).toEqual(['Fromage', 'Pepperoni'])
    expect(detail.draft.variants.every((v) => v.id !== undefined)).toBe(true) // new rows of its own
  })

  it('starts a consent form from a template, in both languages', async () => {
    const { id } = await ok(t.core, 'catalogue.fromTemplate', { schoolId: ids.school, template: 'photos' }, secretary)
    const detail = await ok(t.core, 'catalogue.get', { id }, secretary)
    expect(detail.draft).toMatchObject({ kind: 'consent_form', priceCents: 0, titleFr: expect.stringContaining('photos'), titleEn: expect.stringContaining('photos') })
    expect(detail.draft.questions).toHaveLength(1)
  })

  it('shows a month of program dates and outings, with the days off', async () => {
    await ok(t.core, 'catalogue.create', { schoolId: ids.school, draft: pizza() }, secretary)
    const month = await ok(t.core, 'catalogue.month', { schoolId: ids.school, month: '2026-12' }, secretary)
    expect(month.entries.map((e) => [e.date, e.titleFr])).toEqual([
      ['2026-12-11', 'Pizza du vendredi'],
      ['2026-12-18', 'Pizza du vendredi'],
    ])
    expect(month.daysOff.map((d) => d.date)).toEqual(['2026-12-04', '2026-12-25'])
  })
})

describe('the school calendar', () => {
  it('imports a file whole, or nothing when a line is wrong', async () => {
    const bad = 'date,type,libelle_fr,libelle_en\n2027-01-15,pedagogique,Journée pédagogique,PD day\n2027-13-01,conge,Oups,\n'
    const preview = await ok(t.core, 'calendar.previewImport', { schoolId: ids.school, text: bad }, secretary)
    expect(preview.ok).toBe(false)
    expect(preview.errors[0]).toMatchObject({ line: 3, fatal: true })
    expect((await fail('calendar.import', { schoolId: ids.school, text: bad })).code).toBe('IMPORT_FAILED')
    expect(rows(`SELECT count(*) AS n FROM calendar_days`)).toEqual([{ n: 2 }])
    const good = 'date,type,libelle_fr,libelle_en\n2027-01-15,pedagogique,Journée pédagogique,PD day\n2026-12-25,ferie,Noël,Christmas\n'
    expect(await ok(t.core, 'calendar.previewImport', { schoolId: ids.school, text: good }, secretary)).toMatchObject({ ok: true, added: 1, changed: 1, unchanged: 0 })
    const view = await ok(t.core, 'calendar.import', { schoolId: ids.school, text: good }, secretary)
    expect(view.daysOff.map((d) => [d.date, d.kind])).toEqual([
      ['2026-12-04', 'pd_day'],
      ['2026-12-25', 'holiday'],
      ['2027-01-15', 'pd_day'],
    ])
  })

  it('leaves the school year to the principal', async () => {
    expect((await fail('calendar.setYear', { schoolId: ids.school, label: '2027-2028', startsOn: '2027-09-07', endsOn: '2028-06-23' })).code).toBe('FORBIDDEN')
    const view = await ok(t.core, 'calendar.setYear', { schoolId: ids.school, label: '2027-2028', startsOn: '2027-09-07', endsOn: '2028-06-23' }, principal)
    expect(view.year).toEqual({ label: '2027-2028', startsOn: '2027-09-07', endsOn: '2028-06-23' })
    // A year that ends before it starts is refused with its own words, and nothing changes.
    const backwards = await t.core.dispatch({ method: 'calendar.setYear', input: { schoolId: ids.school, label: '2027-2028', startsOn: '2028-06-23', endsOn: '2027-09-07' }, session: principal })
    expect(backwards.ok).toBe(false)
    if (!backwards.ok) expect(backwards.error.issues).toEqual([expect.objectContaining({ path: 'endsOn', message: 'L’année scolaire doit finir après son premier jour : vérifiez les deux dates.' })])
    expect(t.board.db.prepare(`SELECT starts_on, ends_on FROM school_years WHERE school_id = ? AND label = '2027-2028'`).all(ids.school)).toEqual([{ starts_on: '2027-09-07', ends_on: '2028-06-23' }])
  })
})
