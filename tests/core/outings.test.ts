import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, ok, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string
let principal: string
let school: string
let outing: string
const kids: string[] = []
let other: string
const parents: string[] = []

/** 20 students of grade 5, each consenting a minute after the previous one. */
beforeEach(async () => {
  t = await testCore() // 2026-11-20T15:00Z
  const b = t.board
  b.staff('sophie', 'secretary')
  b.staff('marc', 'principal')
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
  school = b.school()
  b.year(school)
  const c5 = b.klass(school, '5e année A')
  kids.length = 0
  parents.length = 0
  for (let i = 0; i < 20; i++) {
    const kid = b.student(school, `Élève${String(i).padStart(2, '0')}`, 'Test', '5', c5, i === 3 ? { medicalAlert: 'Allergie aux arachides' } : {})
    kids.push(kid)
    parents.push(b.guardian(`Parent${i}`, 'Test', [kid]))
  }
  other = b.student(school, 'Autre', 'Année', '2', c5)
  outing = b.offering(school, 'outing', 'Musée', [['grade', '5']], { price: 1500, deadline: '2026-12-01T17:00:00.000Z' })
  t.board.db
    .prepare(`INSERT INTO outings (offering_id, starts_on, ends_on, destination, bus_count, seats_per_bus, staff_count, chaperone_ratio) VALUES (?, '2026-12-10', '2026-12-10', 'Ottawa', 1, 14, 2, 10)`)
    .run(outing)
  for (let i = 0; i < 16; i++) {
    b.consent(outing, kids[i]!, parents[i]!, 'granted', `2026-11-1${i < 10 ? '0' : '1'}T1${i % 10}:00:00.000Z`)
    b.order(school, parents[i]!, [{ student: kids[i]!, offering: outing, cents: 1500 }], true, i + 1)
  }
  b.consent(outing, kids[16]!, parents[16]!, 'declined', '2026-11-12T10:00:00.000Z')
})
afterEach(() => t.cleanup())

describe('outings', () => {
  it('counts the seats after the adults, waitlists the rest in consent order, and lists who has not answered', async () => {
    const d = await ok(t.core, 'outings.get', { id: outing }, secretary)
    // Another item for the whole school does not make its students eligible for this outing.
    t.board.offering(school, 'fee', 'Cotisation', [['school', school]], { price: 2000 })
    expect((await ok(t.core, 'outings.get', { id: outing }, secretary)).totals.eligible).toBe(20)
    expect(d.capacity).toBe(12) // 14 seats less 2 staff
    expect(d.totals).toMatchObject({ eligible: 20, consented: 16, declined: 1, noAnswer: 3, confirmed: 12, waitlisted: 4, paid: 16 })
    expect(d.waitlist.map((w) => w.position)).toEqual([1, 2, 3, 4])
    expect(d.chaperones).toMatchObject({ needed: 2, covering: 0, shortBy: 2 })
    const calls = await ok(t.core, 'outings.callList', { id: outing }, secretary)
    expect(calls.rows.map((r) => r.students[0])).toEqual(['Élève17 Test', 'Élève18 Test', 'Élève19 Test'])
  })

  it('refuses a ratio of 0 or negative seats with the field’s message, and changes nothing', async () => {
    const plan = { busCount: 1, seatsPerBus: 14, staffCount: 2, venueLimit: null, bands: [], chaperoneRatio: 0 }
    const before = (await ok(t.core, 'outings.get', { id: outing }, secretary)).plan
    for (const bad of [plan, { ...plan, chaperoneRatio: 10, seatsPerBus: -4 }, { ...plan, chaperoneRatio: 10, venueLimit: 0 }]) {
      const r = await t.core.dispatch({ method: 'outings.setPlan', input: { id: outing, plan: bad }, session: secretary })
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT')
        expect(r.error.issues?.[0]?.message).not.toMatch(/Valeur invalide/)
      }
    }
    expect((await ok(t.core, 'outings.get', { id: outing }, secretary)).plan).toEqual(before)
  })

  it('promotes the waitlist in order when a bus is added, and asks before moving anyone back', async () => {
    const d = await ok(t.core, 'outings.get', { id: outing }, secretary)
    const waiting = d.waitlist.map((w) => w.studentId)
    const more = await ok(t.core, 'outings.setPlan', { id: outing, plan: { ...d.plan, busCount: 2 } }, secretary)
    expect(more.promoted.map((p) => p.studentId)).toEqual(waiting)
    expect((await ok(t.core, 'outings.get', { id: outing }, secretary)).totals.waitlisted).toBe(0)

    const fewer = await t.core.dispatch({ method: 'outings.setPlan', input: { id: outing, plan: { ...d.plan, busCount: 1 } }, session: secretary })
    expect(fewer.ok || fewer.error.code).toBe('OUTING_MOVES_UNCONFIRMED')
    const preview = await ok(t.core, 'outings.previewPlan', { id: outing, plan: { ...d.plan, busCount: 1 } }, secretary)
    expect(preview.movedToWaitlist.map((p) => p.studentId)).toEqual(waiting)
    const back = await ok(t.core, 'outings.setPlan', { id: outing, plan: { ...d.plan, busCount: 1 }, confirmMoves: true }, secretary)
    expect(back.movedToWaitlist.map((p) => p.studentId)).toEqual(waiting)
    expect((await ok(t.core, 'outings.get', { id: outing }, secretary)).waitlist.map((w) => w.studentId)).toEqual(waiting)
  })

  it('counts chaperones needed per band of grades, and refuses a band without grades', async () => {
    const d = await ok(t.core, 'outings.get', { id: outing }, secretary)
    await ok(t.core, 'outings.setPlan', { id: outing, plan: { ...d.plan, bands: [{ grades: ['5'], studentsPerAdult: 4 }] } }, secretary)
    const after = await ok(t.core, 'outings.get', { id: outing }, secretary)
    expect(after.plan.bands).toEqual([{ grades: ['5'], studentsPerAdult: 4 }])
    expect(after.chaperones.needed).toBe(3) // 12 confirmed grade-5 students, 1 adult per 4
    const empty = await t.core.dispatch({ method: 'outings.setPlan', input: { id: outing, plan: { ...d.plan, bands: [{ grades: [], studentsPerAdult: 4 }] } }, session: secretary })
    expect(empty.ok || empty.error.code).toBe('INVALID_INPUT')
  })

  it('keeps a chaperone whose check expires before the outing, as not covering, with the reason', async () => {
    const good = await ok(t.core, 'outings.addChaperone', { id: outing, name: 'Jeanne Roy', phone: '613-555-0101', policeCheckExpiresOn: '2027-05-01' }, secretary)
    const late = await ok(t.core, 'outings.addChaperone', { id: outing, name: 'Paul Roy', phone: null, policeCheckExpiresOn: '2026-12-05' }, secretary)
    expect(good).toMatchObject({ covers: true, reason: null })
    expect(late).toMatchObject({ covers: false, reason: 'checkExpiresBeforeOuting' })
    const d = await ok(t.core, 'outings.get', { id: outing }, secretary)
    expect(d.chaperones.covering).toBe(1)
    expect(d.capacity).toBe(10) // the two volunteers ride the bus too
    const twice = await t.core.dispatch({ method: 'outings.addChaperone', input: { id: outing, name: 'jeanne roy', phone: null, policeCheckExpiresOn: null }, session: secretary })
    expect(twice.ok).toBe(false)
  })

  it('leaves withdrawals before the deadline to the family, and after it to the principal with a reason', async () => {
    const early = await t.core.dispatch({ method: 'outings.withdrawException', input: { id: outing, studentId: kids[0], reason: 'Malade' }, session: principal })
    expect(early.ok).toBe(false)
    t.clock.ms = Date.parse('2026-12-02T15:00:00Z')
    principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
    secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
    const bySecretary = await t.core.dispatch({ method: 'outings.withdrawException', input: { id: outing, studentId: kids[0], reason: 'Malade' }, session: secretary })
    expect(bySecretary.ok || bySecretary.error.code).toBe('FORBIDDEN')
    const before = await ok(t.core, 'outings.get', { id: outing }, principal)
    const consents = count(t.board.db, 'consents')
    const r = await ok(t.core, 'outings.withdrawException', { id: outing, studentId: kids[0]!, reason: 'Le parent a appelé : enfant malade' }, principal)
    expect(r.promoted.map((p) => p.studentId)).toEqual([before.waitlist[0]!.studentId])
    expect(count(t.board.db, 'consents')).toBe(consents + 1)
    const audit = t.board.db.prepare(`SELECT after FROM audit_log WHERE entity = 'consent' ORDER BY seq DESC LIMIT 1`).get() as { after: string }
    expect(audit.after).toContain('enfant malade')
    // The board hears of it, so the parents' portal agrees: the withdrawal, then the exception.
    const sent = t.board.db.prepare(`SELECT type, data FROM outbox ORDER BY seq DESC LIMIT 2`).all() as Array<{ type: string; data: string }>
    expect(sent.map((m) => m.type)).toEqual(['exception.record', 'consent.record'])
    expect(JSON.parse(sent[1]!.data)).toMatchObject({ studentId: kids[0], decision: 'withdrawn', channel: 'office', reason: 'Le parent a appelé : enfant malade' })
    expect(JSON.parse(sent[0]!.data)).toMatchObject({ kind: 'late_withdrawal', offeringId: outing, studentId: kids[0], reason: 'Le parent a appelé : enfant malade' })
    // A student the outing is not for is named, not shown by id; nothing is written.
    const notEligible = await t.core.dispatch({ method: 'outings.withdrawException', input: { id: outing, studentId: other, reason: 'Malade' }, session: principal })
    expect(notEligible.ok).toBe(false)
    if (!notEligible.ok) expect(notEligible.error.issues?.[0]?.message).toBe('Autre Année n’est pas admissible à cette sortie : il n’y a rien à retirer.')
    expect(count(t.board.db, 'consents')).toBe(consents + 1)
  })

  it('prints the roster by bus with the confirmed students and their alerts', async () => {
    const file = await ok(t.core, 'outings.document', { id: outing, document: 'roster' }, secretary)
    expect(file.fileName).toMatch(/\.pdf$/)
    const { pdfPages } = await import('../support/pdf-text')
    const text = (await pdfPages(Buffer.from(file.base64, 'base64'))).join('\n').replace(/\s+/g, ' ')
    expect(text).toContain('Allergie aux arachides')
    const d = await ok(t.core, 'outings.get', { id: outing }, secretary)
    for (const s of d.students.filter((x) => x.state === 'confirmed')) expect(text).toContain(s.name.split(' ')[0]!)
    for (const w of d.waitlist) expect(text).not.toContain(w.name.split(' ')[0]!)
  })
})
