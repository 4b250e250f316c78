import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedCentral } from '../../central/seed'
import { ParentSimulator, type SimulatorRates } from '../../central/simulator'
import { VirtualClock, type CentralStore } from '../../central/store'
import { ChangesPage, type EntityRecord } from '../../src/shared/sync/protocol'
import { ANCHOR, SMALL, call, enroll, openTestStore, startCentral } from './helpers'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.parse(ANCHOR)
/** Days of a busy board played act by act against the database: more than the default timeouts. */
const SLOW = 180_000

async function board(): Promise<{ store: CentralStore; clock: VirtualClock }> {
  const clock = new VirtualClock(T0)
  const store = await openTestStore(clock)
  await seedCentral(store, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL })
  return { store, clock }
}

/** What `read` gives for each school, end to end. */
async function everySchool<T>(store: CentralStore, read: (schoolId: string) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (const s of await store.schools()) out.push(...(await read(s.id)))
  return out
}

async function feeds(store: CentralStore) {
  const out = []
  for (const s of await store.schools()) out.push(await store.feed(s.id))
  return out
}

describe('determinism', () => {
  it('plays the same changes for the same seed, and others for another seed', async () => {
    const run = async (seed: number) => {
      const { store, clock } = await board()
      const sim = new ParentSimulator({ store, clock, seed })
      const events = await sim.advance(2 * DAY)
      const out = { events, feeds: (await feeds(store)).map((f) => f.map((c) => [c.seq, c.entity, c.id, c.op, c.version, c.data])), emails: await store.emails() }
      await store.close()
      return out
    }
    const a = await run(11)
    const b = await run(11)
    expect(a.events.length).toBeGreaterThan(20)
    expect(b).toEqual(a)
    const c = await run(12)
    expect(c.events).not.toEqual(a.events)
  }, SLOW)
})

describe('what the parents do respects the items', () => {
  let store: CentralStore
  let clock: VirtualClock
  let schoolId: string
  let product: EntityRecord<'offering'>
  let program: EntityRecord<'offering'>
  let outing: EntityRecord<'offering'>
  const start = T0
  const events: Awaited<ReturnType<ParentSimulator['advance']>> = []
  const busy: Partial<SimulatorRates> = { visitsPerHour: 80, act: 0.9, withdraw: 0.3, bounce: 0.05, classChangesPerDay: 3, departuresPerDay: 1 }

  beforeAll(async () => {
    ;({ store, clock } = await board())
    schoolId = (await store.schools())[0]!.id
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
    await store.put('offering', outing, { version: 2 })
    await store.put('offering', product, { version: 2 })
    await store.put('offering', program, { version: 2 })
    const sim = new ParentSimulator({ store, clock, seed: 5, rates: busy })
    events.push(...(await sim.advance(4 * DAY)))
  }, SLOW)
  afterAll(async () => await store.close())

  const since = (iso: string) => Date.parse(iso) >= start

  it('orders only on open items, before their deadline and each date before its cutoff', async () => {
    const orders = (await everySchool(store, (id) => store.records('order', id))).filter((o) => since(o.createdAt))
    expect(orders.length).toBeGreaterThan(30)
    expect(orders.every((o) => o.channel === 'online')).toBe(true)
    let dated = 0
    for (const o of orders) {
      const at = Date.parse(o.createdAt)
      for (const l of o.lines) {
        const offering = (await store.record('offering', l.offeringId))!
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

  it('never sells beyond the stock or the limit per student, and pays each order whole', async () => {
    expect(await store.soldQuantity(product.id)).toBe(product.stockLimit)
    const perStudent = await store.rows(sql<{ n: number }>`SELECT student_id, sum(quantity)::int AS n FROM lines WHERE offering_id = ${product.id} GROUP BY student_id`)
    expect(perStudent.every((r) => r.n <= 1)).toBe(true)
    for (const s of await store.schools()) {
      for (const o of (await store.records('offering', s.id)).filter((x) => x.stockLimit !== null)) expect(await store.soldQuantity(o.id)).toBeLessThanOrEqual(o.stockLimit!)
      const orders = new Map((await store.records('order', s.id)).map((o) => [o.id, o]))
      const payments = (await store.records('payment', s.id)).filter((p) => since(p.createdAt))
      for (const p of payments) expect(p.amountCents).toBe(orders.get(p.orderId)!.lines.reduce((n, l) => n + l.amountCents, 0))
      // Receipt numbers are unique per school within each series (the board's, an office kiosk's).
      const all = await store.records('payment', s.id)
      expect(new Set(all.map((p) => `${p.receiptSeries ?? 'board'}:${p.receiptNumber}`)).size).toBe(all.length)
    }
  })

  it('answers consents before the deadline, withdraws only what was granted, and pays an outing only once consented', async () => {
    const consents = (await everySchool(store, (id) => store.records('consent', id))).filter((c) => since(c.recordedAt))
    expect(consents.length).toBeGreaterThan(10)
    const withdrawals = consents.filter((c) => c.decision === 'withdrawn')
    expect(withdrawals.length).toBeGreaterThan(0)
    for (const c of consents) {
      const offering = (await store.record('offering', c.offeringId))!
      expect(['outing', 'consent_form']).toContain(offering.kind)
      expect(Date.parse(c.recordedAt)).toBeLessThan(Date.parse(offering.deadlineAt))
      expect(c).toMatchObject({ channel: 'online', reason: null })
    }
    const all = (await everySchool(store, (id) => store.records('consent', id)))
    for (const w of withdrawals) {
      const earlier = all.filter((c) => c.offeringId === w.offeringId && c.studentId === w.studentId && c.recordedAt < w.recordedAt).sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : 1))
      expect(earlier.at(-1)?.decision).toBe('granted')
    }
    const outingLines = (await everySchool(store, (id) => store.records('order', id))).filter((o) => since(o.createdAt)).flatMap((o) => o.lines.map((l) => ({ l, at: o.createdAt })))
    for (const { l, at } of outingLines) {
      if ((await store.record('offering', l.offeringId))!.kind !== 'outing') continue
      const answer = all.filter((c) => c.offeringId === l.offeringId && c.studentId === l.studentId && c.recordedAt <= at).sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : 1)).at(-1)
      expect(answer?.decision).toBe('granted')
    }
  })

  it('records the emails the board would send, each in the feed, and bounces mark the guardian', async () => {
    const emails = (await store.emails()).filter((e) => since(e.createdAt))
    const orders = events.filter((e) => e.kind === 'order').length
    const consents = events.filter((e) => e.kind === 'consent' || e.kind === 'withdrawal').length
    expect(emails.filter((e) => e.kind === 'receipt')).toHaveLength(orders)
    expect(emails.filter((e) => e.kind === 'consent_recorded')).toHaveLength(consents)
    const bounced = emails.filter((e) => e.status === 'bounced')
    expect(bounced.length).toBeGreaterThan(0)
    for (const b of bounced) expect((await store.record('guardian', b.guardianId))!.emailBouncedAt).not.toBeNull()
    // After a bounce, that address gets no more mail.
    for (const b of bounced) {
      const later = emails.filter((e) => e.guardianId === b.guardianId && e.createdAt > b.createdAt)
      expect(later.every((e) => e.status === 'suppressed')).toBe(true)
    }
    const notified = new Set((await everySchool(store, (id) => store.feed(id))).filter((c) => c.entity === 'notification').map((c) => c.id))
    expect(emails.every((e) => notified.has(e.id))).toBe(true)
  })

  it('moves students between classes and withdraws some, as new versions in the feed', async () => {
    const moves = events.filter((e) => e.kind === 'class_change')
    const departures = events.filter((e) => e.kind === 'departure')
    expect(moves.length).toBeGreaterThan(0)
    expect(departures.length).toBeGreaterThan(0)
    for (const d of departures) expect((await store.record('student', d.id))!.status).toBe('withdrawn')
    const studentChanges = (await store.feed(moves[0]!.schoolId)).filter((c) => c.entity === 'student' && c.id === moves[0]!.id)
    expect(studentChanges.at(-1)!.version).toBeGreaterThan(1)
  })
})

describe('through the server', () => {
  it('plays the parents when the admin asks, and a device pulls what they did', async () => {
    const central = await startCentral({ simulatorSeed: 3, rates: { visitsPerHour: 40 } })
    try {
      const { token } = await enroll(central)
      const head = await central.store.headSeq(central.schoolId)
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
  }, SLOW)
})
