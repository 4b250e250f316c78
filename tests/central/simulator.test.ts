import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedCentral } from '../../central/seed'
import { ParentSimulator, type SimulatorRates } from '../../central/simulator'
import { CentralStore, VirtualClock } from '../../central/store'
import { ChangesPage, type EntityRecord } from '../../src/shared/sync/protocol'
import { ANCHOR, SMALL, call, enroll, startCentral } from './helpers'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.parse(ANCHOR)

async function board(): Promise<{ store: CentralStore; clock: VirtualClock }> {
  const clock = new VirtualClock(T0)
  const store = new CentralStore({ clock })
  await seedCentral(store, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL })
  return { store, clock }
}

function feeds(store: CentralStore) {
  return store.schools().map((s) => store.feed(s.id))
}

describe('determinism', () => {
  it('plays the same changes for the same seed, and others for another seed', async () => {
    const run = async (seed: number) => {
      const { store, clock } = await board()
      const sim = new ParentSimulator({ store, clock, seed })
      const events = sim.advance(2 * DAY)
      const out = { events, feeds: feeds(store).map((f) => f.map((c) => [c.seq, c.entity, c.id, c.op, c.version, c.data])), emails: store.emails() }
      store.close()
      return out
    }
    const a = await run(11)
    const b = await run(11)
    expect(a.events.length).toBeGreaterThan(20)
    expect(b).toEqual(a)
    const c = await run(12)
    expect(c.events).not.toEqual(a.events)
  })
})

describe('what the parents do respects the items', () => {
  let store: CentralStore
  let clock: VirtualClock
  let schoolId: string
  let product: EntityRecord<'offering'>
  let program: EntityRecord<'offering'>
  let outing: EntityRecord<'offering'>
  const start = T0
  const events: ReturnType<ParentSimulator['advance']> = []
  const busy: Partial<SimulatorRates> = { visitsPerHour: 80, act: 0.9, withdraw: 0.3, bounce: 0.05, classChangesPerDay: 3, departuresPerDay: 1 }

  beforeAll(async () => {
    ;({ store, clock } = await board())
    schoolId = store.schools()[0]!.id
    const base = { schoolId, schoolYear: '2026-2027', titleEn: null, descriptionFr: '', descriptionEn: null, feePer: null, required: false, reminderDaysBefore: 3, targets: [{ kind: 'school' as const, value: schoolId }], outing: null, questions: [], cancelReason: null, version: 2 }
    // Few to sell, two days to buy.
    product = {
      ...base,
      id: randomUUID(),
      kind: 'product',
      status: 'published',
      titleFr: 'Billets de spectacle',
      opensAt: new Date(start).toISOString(),
      deadlineAt: new Date(start + 2 * DAY).toISOString(),
      priceCents: 1500,
      stockLimit: 6,
      perStudentLimit: 1,
      variants: [],
      dates: [],
      publishedAt: new Date(start).toISOString(),
    }
    // A program whose dates' cutoffs pass during the run.
    program = {
      ...base,
      id: randomUUID(),
      kind: 'program',
      status: 'published',
      titleFr: 'Soupe du midi',
      opensAt: new Date(start - DAY).toISOString(),
      deadlineAt: new Date(start + 20 * DAY).toISOString(),
      priceCents: 0,
      stockLimit: null,
      perStudentLimit: null,
      variants: [{ id: randomUUID(), labelFr: 'Soupe', labelEn: 'Soup', priceCents: 300, active: true }],
      dates: [2, 3, 4, 5, 6, 7].map((d) => ({ id: randomUUID(), date: new Date(start + d * DAY).toISOString().slice(0, 10), cutoffAt: new Date(start + d * DAY - 36 * HOUR).toISOString(), supplier: null, status: 'scheduled' as const })),
      publishedAt: new Date(start).toISOString(),
    }
    // An outing for the whole school, three days to answer.
    outing = {
      ...base,
      id: randomUUID(),
      kind: 'outing',
      status: 'published',
      titleFr: 'Cabane à sucre',
      opensAt: new Date(start).toISOString(),
      deadlineAt: new Date(start + 3 * DAY).toISOString(),
      priceCents: 1000,
      stockLimit: null,
      perStudentLimit: null,
      variants: [],
      dates: [],
      outing: { startsOn: '2026-12-15', endsOn: '2026-12-15', startTime: '09:00', endTime: '14:00', destination: 'Cabane Chez Ti-Jean', venueLimit: null, busCount: 2, seatsPerBus: 48, staffCount: 4, chaperoneRatio: 10 },
      questions: [{ id: randomUUID(), kind: 'yes_no', labelFr: 'Médicaments?', labelEn: null, choices: [], required: true }],
      publishedAt: new Date(start).toISOString(),
    }
    store.put('offering', outing, { version: 2 })
    store.put('offering', product, { version: 2 })
    store.put('offering', program, { version: 2 })
    const sim = new ParentSimulator({ store, clock, seed: 5, rates: busy })
    events.push(...sim.advance(4 * DAY))
  })
  afterAll(() => store.close())

  const since = (iso: string) => Date.parse(iso) >= start

  it('orders only on open items, before their deadline and each date before its cutoff', () => {
    const orders = store.schools().flatMap((s) => store.records('order', s.id)).filter((o) => since(o.createdAt))
    expect(orders.length).toBeGreaterThan(30)
    expect(orders.every((o) => o.channel === 'online')).toBe(true)
    let dated = 0
    for (const o of orders) {
      const at = Date.parse(o.createdAt)
      for (const l of o.lines) {
        const offering = store.record('offering', l.offeringId)!
        expect(offering.status).toBe('published')
        expect(Date.parse(offering.opensAt)).toBeLessThanOrEqual(at)
        expect(at).toBeLessThan(Date.parse(offering.deadlineAt))
        expect(l.amountCents).toBe(l.quantity * l.unitPriceCents)
        if (l.programDateId) {
          dated += 1
          const date = offering.dates.find((d) => d.id === l.programDateId)!
          expect(date.status).toBe('scheduled')
          expect(at).toBeLessThan(Date.parse(date.cutoffAt))
        }
      }
    }
    expect(dated).toBeGreaterThan(10)
    // The program's first dates closed during the run: some were bought before, none after.
    const lines = orders.flatMap((o) => o.lines.map((l) => ({ ...l, at: o.createdAt })))
    const firstDate = program.dates[0]!
    expect(lines.filter((l) => l.programDateId === firstDate.id).length).toBeGreaterThan(0)
  })

  it('never sells beyond the stock or the limit per student, and pays each order whole', () => {
    expect(store.soldQuantity(product.id)).toBe(product.stockLimit)
    const perStudent = store.db.prepare('SELECT student_id, sum(quantity) AS n FROM lines WHERE offering_id = ? GROUP BY student_id').all(product.id) as Array<{ n: number }>
    expect(perStudent.every((r) => r.n <= 1)).toBe(true)
    for (const s of store.schools()) {
      for (const o of store.records('offering', s.id).filter((x) => x.stockLimit !== null)) expect(store.soldQuantity(o.id)).toBeLessThanOrEqual(o.stockLimit!)
      const orders = new Map(store.records('order', s.id).map((o) => [o.id, o]))
      const payments = store.records('payment', s.id).filter((p) => since(p.createdAt))
      for (const p of payments) expect(p.amountCents).toBe(orders.get(p.orderId)!.lines.reduce((n, l) => n + l.amountCents, 0))
      expect(new Set(store.records('payment', s.id).map((p) => p.receiptNumber)).size).toBe(store.records('payment', s.id).length)
    }
  })

  it('answers consents before the deadline, withdraws only what was granted, and pays an outing only once consented', () => {
    const consents = store.schools().flatMap((s) => store.records('consent', s.id)).filter((c) => since(c.recordedAt))
    expect(consents.length).toBeGreaterThan(10)
    const withdrawals = consents.filter((c) => c.decision === 'withdrawn')
    expect(withdrawals.length).toBeGreaterThan(0)
    for (const c of consents) {
      const offering = store.record('offering', c.offeringId)!
      expect(['outing', 'consent_form']).toContain(offering.kind)
      expect(Date.parse(c.recordedAt)).toBeLessThan(Date.parse(offering.deadlineAt))
      expect(c).toMatchObject({ channel: 'online', reason: null })
    }
    const all = store.schools().flatMap((s) => store.records('consent', s.id))
    for (const w of withdrawals) {
      const earlier = all.filter((c) => c.offeringId === w.offeringId && c.studentId === w.studentId && c.recordedAt < w.recordedAt).sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : 1))
      expect(earlier.at(-1)?.decision).toBe('granted')
    }
    const outingLines = store.schools().flatMap((s) => store.records('order', s.id).filter((o) => since(o.createdAt)).flatMap((o) => o.lines.map((l) => ({ l, at: o.createdAt }))))
    for (const { l, at } of outingLines) {
      if (store.record('offering', l.offeringId)!.kind !== 'outing') continue
      const answer = all.filter((c) => c.offeringId === l.offeringId && c.studentId === l.studentId && c.recordedAt <= at).sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : 1)).at(-1)
      expect(answer?.decision).toBe('granted')
    }
  })

  it('records the emails the board would send, each in the feed, and bounces mark the guardian', () => {
    const emails = store.emails().filter((e) => since(e.createdAt))
    const orders = events.filter((e) => e.kind === 'order').length
    const consents = events.filter((e) => e.kind === 'consent' || e.kind === 'withdrawal').length
    expect(emails.filter((e) => e.kind === 'receipt')).toHaveLength(orders)
    expect(emails.filter((e) => e.kind === 'consent_recorded')).toHaveLength(consents)
    const bounced = emails.filter((e) => e.status === 'bounced')
    expect(bounced.length).toBeGreaterThan(0)
    for (const b of bounced) expect(store.record('guardian', b.guardianId)!.emailBouncedAt).not.toBeNull()
    // After a bounce, that address gets no more mail.
    for (const b of bounced) {
      const later = emails.filter((e) => e.guardianId === b.guardianId && e.createdAt > b.createdAt)
      expect(later.every((e) => e.status === 'suppressed')).toBe(true)
    }
    const notified = new Set(store.schools().flatMap((s) => store.feed(s.id)).filter((c) => c.entity === 'notification').map((c) => c.id))
    expect(emails.every((e) => notified.has(e.id))).toBe(true)
  })

  it('moves students between classes and withdraws some, as new versions in the feed', () => {
    const moves = events.filter((e) => e.kind === 'class_change')
    const departures = events.filter((e) => e.kind === 'departure')
    expect(moves.length).toBeGreaterThan(0)
    expect(departures.length).toBeGreaterThan(0)
    for (const d of departures) expect(store.record('student', d.id)!.status).toBe('withdrawn')
    const studentChanges = store.feed(moves[0]!.schoolId).filter((c) => c.entity === 'student' && c.id === moves[0]!.id)
    expect(studentChanges.at(-1)!.version).toBeGreaterThan(1)
  })
})

describe('through the server', () => {
  it('plays the parents when the admin asks, and a device pulls what they did', async () => {
    const central = await startCentral({ simulatorSeed: 3, rates: { visitsPerHour: 40 } })
    try {
      const { token } = await enroll(central)
      const head = central.store.headSeq(central.schoolId)
      const reply = await call<{ events: number; now: string }>(central, 'POST', '/admin/simulate', { token: central.server.adminKey, body: { minutes: 6 * 60 } })
      expect(reply.status).toBe(200)
      expect(reply.body.events).toBeGreaterThan(0)
      expect(reply.body.now).toBe(new Date(T0 + 6 * HOUR).toISOString())
      const page = ChangesPage.parse((await call(central, 'GET', `/v1/schools/${central.schoolId}/changes?after=${head}&limit=2000`, { token })).body)
      expect(page.changes.length).toBeGreaterThan(0)
      expect(page.changes.every((c) => c.seq > head)).toBe(true)
      expect(new Set(page.changes.map((c) => c.entity))).toContain('notification')
    } finally {
      await central.close()
    }
  })
})
