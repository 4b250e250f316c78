import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ok, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let session: string
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await testCore()
  const b = t.board
  b.staff('sophie', 'secretary')
  session = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  ids.north = b.school('École Nord')
  ids.south = b.school('École Sud')
  ids.n3 = b.klass(ids.north, '3e année A')
  ids.n5 = b.klass(ids.north, '5e année B')
  ids.s1 = b.klass(ids.south, '1re année A')
  ids.helene = b.student(ids.north, 'Hélène', 'Bélanger-Côté', '3', ids.n3, { medicalAlert: 'Allergie aux arachides' })
  ids.louis = b.student(ids.north, 'Louis', 'Bélanger-Côté', '5', ids.n5)
  ids.emile = b.student(ids.south, 'Émile', 'Bélanger-Côté', '1', ids.s1)
  ids.zoe = b.student(ids.north, 'Zoé', 'Abel', 'JK', null)
  ids.gone = b.student(ids.north, 'Paul', 'Abel', '5', ids.n5, { status: 'withdrawn' })
  for (let i = 0; i < 60; i++) b.student(ids.south, `Prénom${String(i).padStart(2, '0')}`, 'Tremblay', 'SK', ids.s1)
  ids.mom = b.guardian('Isabelle', 'Côté', [ids.helene, ids.louis, ids.emile], { language: 'en' })
  ids.dad = b.guardian('Marc', 'Bélanger', [ids.helene, ids.louis, ids.emile], { email: null })

  // Items of the north school: a fee for everyone, a grade-5 outing, a draft, an item of the south school.
  ids.fee = b.offering(ids.north, 'fee', 'Cotisation', [['school', ids.north]], { price: 2500, deadline: '2026-10-01T04:00:00.000Z' })
  ids.outing = b.offering(ids.north, 'outing', 'Musée', [['grade', '5']], { price: 1800, deadline: '2026-12-05T05:00:00.000Z' })
  ids.draft = b.offering(ids.north, 'product', 'T-shirt', [['school', ids.north]], { status: 'draft' })
  ids.southFee = b.offering(ids.south, 'fee', 'Cotisation Sud', [['school', ids.south]], { price: 2000 })
  ids.named = b.offering(ids.north, 'product', 'Agenda', [['student', ids.zoe]], { price: 800 })

  const paid = b.order(ids.north, ids.mom, [{ student: ids.helene, offering: ids.fee, cents: 2500 }, { student: ids.louis, offering: ids.outing, cents: 1800 }], true, 1)
  b.order(ids.north, ids.mom, [{ student: ids.louis, offering: ids.fee, cents: 2500 }], false)
  t.core.connection.raw
    .prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at) VALUES ('r', ?, ?, 500, 'partiel', 'succeeded', 'k', '2026-11-01T00:00:00Z')`)
    .run(paid.paymentId, paid.lineIds[1])
  t.core.connection.raw
    .prepare(`INSERT INTO waivers (id, student_id, offering_id, amount_cents, reason, created_at) VALUES ('w', ?, ?, 2500, 'confidentiel', '2026-11-01T00:00:00Z')`)
    .run(ids.louis, ids.fee)
  b.consent(ids.outing, ids.louis, ids.mom, 'granted', '2026-11-02T10:00:00.000Z')
  b.consent(ids.outing, ids.louis, ids.dad, 'withdrawn', '2026-11-03T10:00:00.000Z')
})
afterAll(() => t.cleanup())

const search = (input: Parameters<typeof ok<'students.search'>>[2]) => ok(t.core, 'students.search', input, session)

describe('students.search', () => {
  it('finds by the start of any word, ignoring accents, case and word order', async () => {
    const names = async (query: string) => (await search({ query })).rows.map((r) => r.firstName).sort()
    expect(await names('belanger')).toEqual(['Hélène', 'Louis', 'Émile'].sort())
    expect(await names('COTE hel')).toEqual(['Hélène'])
    expect(await names('emile')).toEqual(['Émile'])
    expect(await names('langer')).toEqual([])
    expect((await search({ query: '%_' })).total).toBe(64) // not wildcards: folded away, so no filter (active only)
  })

  it('filters by school, grade, class and status', async () => {
    expect((await search({ schoolId: ids.north })).total).toBe(3)
    expect((await search({ schoolId: ids.north, status: 'all' })).total).toBe(4)
    expect((await search({ status: 'withdrawn' })).rows.map((r) => r.firstName)).toEqual(['Paul'])
    expect((await search({ grade: '5', status: 'all' })).total).toBe(2)
    expect((await search({ classId: ids.s1 })).total).toBe(61)
  })

  it('sorts in SQL, grades in school order, and pages with a stable total', async () => {
    const byGrade = await search({ schoolId: ids.north, sort: { field: 'grade', direction: 'asc' } })
    expect(byGrade.rows.map((r) => r.grade)).toEqual(['JK', '3', '5'])
    const desc = await search({ schoolId: ids.north, sort: { field: 'grade', direction: 'desc' } })
    expect(desc.rows.map((r) => r.grade)).toEqual(['5', '3', 'JK'])
    const page1 = await search({ query: 'tremblay', limit: 25, offset: 0, sort: { field: 'firstName', direction: 'asc' } })
    const page3 = await search({ query: 'tremblay', limit: 25, offset: 50, sort: { field: 'firstName', direction: 'asc' } })
    expect(page1.total).toBe(60)
    expect(page1.rows[0]!.firstName).toBe('Prénom00')
    expect(page3.rows.map((r) => r.firstName)).toEqual(Array.from({ length: 10 }, (_, i) => `Prénom${50 + i}`))
  })

  it('sorts names in French order, accents folded', async () => {
    const rows = (await search({ schoolId: ids.north, status: 'all', sort: { field: 'firstName', direction: 'asc' } })).rows
    expect(rows.map((r) => r.firstName)).toEqual(['Hélène', 'Louis', 'Paul', 'Zoé'])
    const south = (await search({ query: 'belanger', sort: { field: 'firstName', direction: 'asc' } })).rows
    expect(south.map((r) => r.firstName)).toEqual(['Émile', 'Hélène', 'Louis'])
  })

  it('says which students carry a medical alert, without the alert text in the grid', async () => {
    const row = (await search({ query: 'helene' })).rows[0]!
    expect(row).toMatchObject({ hasMedicalAlert: true, className: '3e année A', schoolName: 'École Nord' })
    expect(JSON.stringify(row)).not.toContain('arachides')
  })
})

describe('families.ofStudent', () => {
  it('gathers the guardians and every child across schools', async () => {
    const family = await ok(t.core, 'families.ofStudent', { studentId: ids.emile! }, session)
    expect(family.guardians.map((g) => [g.firstName, g.email, g.preferredLanguage])).toEqual([
      ['Marc', null, 'fr'],
      ['Isabelle', 'isabelle@example.org', 'en'],
    ])
    expect(family.guardians[0]!.relationships).toHaveLength(3)
    expect(family.children.map((c) => [c.student.firstName, c.student.schoolName])).toEqual([
      ['Hélène', 'École Nord'],
      ['Louis', 'École Nord'],
      ['Émile', 'École Sud'],
    ])
    expect(family.children[0]!.student.medicalAlert).toBe('Allergie aux arachides')
  })

  it('lists each child’s items with money and consent as the ledger has them', async () => {
    const family = await ok(t.core, 'families.ofStudent', { studentId: ids.helene! }, session)
    const items = (first: string) => family.children.find((c) => c.student.firstName === first)!.items
    const pick = (first: string, title: string) => items(first).find((i) => i.titleFr === title)
    expect(items('Hélène').map((i) => i.titleFr)).toEqual(['Cotisation']) // not grade 5, no draft
    expect(pick('Hélène', 'Cotisation')).toMatchObject({ orderedCents: 2500, paidCents: 2500, refundedCents: 0, consent: null, needsConsent: false })
    expect(items('Louis').map((i) => i.titleFr)).toEqual(['Cotisation', 'Musée'])
    expect(pick('Louis', 'Cotisation')).toMatchObject({ orderedCents: 2500, paidCents: 0, waivedCents: 2500 })
    expect(pick('Louis', 'Musée')).toMatchObject({ paidCents: 1800, refundedCents: 500, consent: 'withdrawn', needsConsent: true })
    expect(items('Émile').map((i) => i.titleFr)).toEqual(['Cotisation Sud'])
  })

  it('shows an item aimed at a named student to that student only', async () => {
    const family = await ok(t.core, 'families.ofStudent', { studentId: ids.zoe! }, session)
    expect(family.guardians).toEqual([])
    expect(family.children.map((c) => c.items.map((i) => i.titleFr))).toEqual([['Cotisation', 'Agenda']])
  })

  it('refuses an unknown student with a clear message', async () => {
    const result = await t.core.dispatch({ method: 'families.ofStudent', input: { studentId: 'nobody' }, session })
    expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Cet élève est introuvable. Rechargez l’écran et réessayez : l’information a peut-être changé entre-temps.' } })
  })
})
