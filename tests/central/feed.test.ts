import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedCentral } from '../../central/seed'
import { VirtualClock } from '../../central/store'
import { openDatabase } from '../../src/core/db/connection'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { ChangesPage, ErrorBody, MAX_PAGE_SIZE, type Change } from '../../src/shared/sync/protocol'
import { FAST_SCRYPT } from '../core/fixtures'
import { ANCHOR, SMALL, call, enroll, openTestStore, startCentral, type TestCentral } from './helpers'

let central: TestCentral
let token: string

beforeAll(async () => {
  central = await startCentral()
  token = (await enroll(central)).token
})
afterAll(async () => {
  await central.close()
})

async function page(schoolId: string, after: number, limit: number, withEntities?: string): Promise<ChangesPage> {
  const reply = await call(central, 'GET', `/v1/schools/${schoolId}/changes?after=${after}&limit=${limit}${withEntities === undefined ? '' : `&with=${withEntities}`}`, { token })
  expect(reply.status).toBe(200)
  return ChangesPage.parse(reply.body)
}

/** The whole feed as Guichet reads it, family credits included (the demo board has some). */
async function pullAll(schoolId: string, limit: number, from = 0): Promise<{ changes: Change[]; pages: number; cursor: number }> {
  const changes: Change[] = []
  let cursor = from
  let pages = 0
  for (;;) {
    const p = await page(schoolId, cursor, limit, 'credit')
    pages += 1
    changes.push(...p.changes)
    cursor = p.lastSeq
    if (!p.hasMore) return { changes, pages, cursor }
  }
}

describe('the change feed', () => {
  it('bootstraps from 0 in pages whose seqs follow each other, each page with its cursor', async () => {
    const head = await central.store.headSeq(central.schoolId)
    expect(head).toBeGreaterThan(300)
    const { changes, pages, cursor } = await pullAll(central.schoolId, 37)
    expect(pages).toBe(Math.ceil(head / 37))
    expect(changes.map((c) => c.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1))
    expect(cursor).toBe(head)

    const first = await page(central.schoolId, 0, 37)
    expect(first).toMatchObject({ lastSeq: 37, hasMore: true, headSeq: head })
    expect(first.changes.at(-1)!.seq).toBe(37)
    // Reading is idempotent: the same cursor gives the same page.
    expect(await page(central.schoolId, 0, 37)).toEqual(first)

    // At the end: an empty page keeps the cursor where it is.
    expect(await page(central.schoolId, head, 50)).toEqual({ changes: [], lastSeq: head, hasMore: false, headSeq: head })
  })

  it('sends every record of the school once at bootstrap, parents before children', async () => {
    const { changes } = await pullAll(central.schoolId, 500)
    const kinds = new Map<string, number>()
    for (const c of changes) kinds.set(c.entity, (kinds.get(c.entity) ?? 0) + 1)
    const count = async (entity: 'student' | 'offering' | 'order' | 'payment' | 'consent' | 'class') => (await central.store.records(entity, central.schoolId)).length
    for (const entity of ['student', 'offering', 'order', 'payment', 'consent', 'class'] as const) expect(kinds.get(entity)).toBe(await count(entity))
    expect(kinds.get('guardian')).toBe((await central.store.guardianIdsOfSchool(central.schoolId)).length)
    expect(new Set(changes.map((c) => `${c.entity}:${c.id}`)).size).toBe(changes.length)

    const seqOf = new Map(changes.map((c) => [`${c.entity}:${c.id}`, c.seq]))
    for (const c of changes) {
      if (c.entity === 'student') for (const g of c.data!.guardians) expect(seqOf.get(`guardian:${g.guardianId}`)!).toBeLessThan(c.seq)
      if (c.entity === 'student' && c.data!.classId) expect(seqOf.get(`class:${c.data!.classId}`)!).toBeLessThan(c.seq)
      if (c.entity === 'payment') expect(seqOf.get(`order:${c.data!.orderId}`)!).toBeLessThan(c.seq)
      if (c.entity === 'order') for (const l of c.data!.lines) expect(seqOf.get(`offering:${l.offeringId}`)!).toBeLessThan(c.seq)
      if (c.entity === 'consent') expect(seqOf.get(`student:${c.data!.studentId}`)!).toBeLessThan(c.seq)
    }
  })

  it('puts a guardian with children in two schools in both feeds', async () => {
    const other = await central.store.guardianIdsOfSchool(central.otherSchoolId)
    const both = (await central.store.guardianIdsOfSchool(central.schoolId)).filter((g) => other.includes(g))
    expect(both.length).toBeGreaterThan(0)
    const a = (await pullAll(central.schoolId, 1000)).changes.find((c) => c.entity === 'guardian' && c.id === both[0])
    const b = (await pullAll(central.otherSchoolId, 1000)).changes.find((c) => c.entity === 'guardian' && c.id === both[0])
    expect(a!.data).toEqual(b!.data)
  })

  it('gives a client that stored its cursor only what changed since, and the record whole', async () => {
    const cursor = await central.store.headSeq(central.schoolId)
    const offering = (await central.store.records('offering', central.schoolId)).find((o) => o.status === 'published')!
    const edit = await call(central, 'POST', `/admin/offerings/${offering.id}/edit`, { token: central.server.adminKey, body: { titleFr: 'Titre changé par le conseil' } })
    expect(edit.status).toBe(200)
    const next = await page(central.schoolId, cursor, 100)
    expect(next.changes).toHaveLength(1)
    expect(next.changes[0]).toMatchObject({ seq: cursor + 1, entity: 'offering', id: offering.id, op: 'upsert', version: 2 })
    expect(next.changes[0]!.data).toMatchObject({ ...offering, titleFr: 'Titre changé par le conseil', version: 2 })
    expect(next).toMatchObject({ lastSeq: cursor + 1, hasMore: false })
    // The other school's feed did not move.
    expect((await page(central.otherSchoolId, await central.store.headSeq(central.otherSchoolId), 10)).changes).toEqual([])
  })

  it('serves an entity added after v1 only to a client that asks for it, moving every cursor past it', async () => {
    const cursor = await central.store.headSeq(central.schoolId)
    const guardianId = (await central.store.records('order', central.schoolId))[0]!.guardianId
    // A family credit the board holds (its rules are the mutation's; here only the feed matters).
    await central.store.put('credit', { id: 'credit-feed-1', schoolId: central.schoolId, guardianId, kind: 'granted', amountCents: 500, refundId: 'refund-x', orderId: null, reason: 'Carte expirée', createdAt: ANCHOR })
    const offering = (await central.store.records('offering', central.schoolId)).find((o) => o.status === 'published')!
    await call(central, 'POST', `/admin/offerings/${offering.id}/edit`, { token: central.server.adminKey, body: { titleFr: 'Après le crédit' } })

    // An older client (no `with`): the credit is left out, the cursor moves past it all the same.
    const older = await page(central.schoolId, cursor, 100)
    expect(older.changes.map((c) => c.entity)).toEqual(['offering'])
    expect(older).toMatchObject({ lastSeq: cursor + 2, hasMore: false })
    // A page holding only the credit: empty, but its cursor still moves.
    expect(await page(central.schoolId, cursor, 1)).toMatchObject({ changes: [], lastSeq: cursor + 1, hasMore: true })
    // Guichet asks for it.
    const current = await page(central.schoolId, cursor, 100, 'credit')
    expect(current.changes.map((c) => [c.entity, c.id])).toEqual([
      ['credit', 'credit-feed-1'],
      ['offering', offering.id],
    ])
    expect((await page(central.schoolId, cursor, 100, 'nothing,credit ')).changes).toHaveLength(2)
  })

  it('applies to a client store the same whether a page comes once or twice', async () => {
    const apply = (state: Map<string, { version: number; data: unknown }>, changes: Change[]) => {
      for (const c of changes) {
        const key = `${c.entity}:${c.id}`
        const have = state.get(key)
        if (!have || have.version < c.version) state.set(key, { version: c.version, data: c.data })
      }
    }
    const { changes } = await pullAll(central.schoolId, 200)
    const once = new Map<string, { version: number; data: unknown }>()
    apply(once, changes)
    const twice = new Map<string, { version: number; data: unknown }>()
    apply(twice, changes.slice(0, 300))
    apply(twice, changes.slice(0, 300))
    apply(twice, changes)
    expect(twice).toEqual(once)
  })

  it('refuses a cursor or a page size out of bounds', async () => {
    for (const query of ['after=-1', 'after=abc', 'limit=0', `limit=${MAX_PAGE_SIZE + 1}`, 'limit=2.5']) {
      const reply = await call(central, 'GET', `/v1/schools/${central.schoolId}/changes?${query}`, { token })
      expect(reply.status, query).toBe(400)
      expect(ErrorBody.parse(reply.body).error.code).toBe('bad_request')
    }
    const defaults = ChangesPage.parse((await call(central, 'GET', `/v1/schools/${central.schoolId}/changes`, { token })).body)
    expect(defaults.changes).toHaveLength(Math.min(500, await central.store.headSeq(central.schoolId)))
  })
})

describe('the central store of the demo board', () => {
  it('agrees with a fresh Guichet demo database on schools, classes, students, guardians and published items', async () => {
    const guichet = openDatabase({ file: ':memory:' })
    const store = await openTestStore(new VirtualClock(Date.parse(ANCHOR)))
    try {
      await seedCentral(store, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL })
      seedDemoBoard(guichet.raw, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL, passwordParams: FAST_SCRYPT })
      const rows = <T>(sql: string) => guichet.raw.prepare(sql).all() as T[]

      expect((await store.schools()).map((s) => [s.id, s.name]).sort()).toEqual(rows<{ id: string; name: string }>('SELECT id, name FROM schools').map((s) => [s.id, s.name]).sort())
      const students = rows<{ id: string; school_id: string; class_id: string; first_name: string; grade: string; status: string }>('SELECT * FROM students')
      expect(students.length).toBe(SMALL[0] + SMALL[1])
      for (const s of students) {
        expect(await store.record('student', s.id)).toMatchObject({ schoolId: s.school_id, classId: s.class_id, firstName: s.first_name, grade: s.grade, status: s.status })
      }
      for (const g of rows<{ id: string; email: string | null; version: number }>('SELECT * FROM guardians')) {
        expect(await store.record('guardian', g.id)).toMatchObject({ email: g.email, version: g.version })
      }
      const offerings = rows<{ id: string; status: string; version: number; title_fr: string; deadline_at: string }>('SELECT * FROM offerings')
      for (const o of offerings) {
        const central = await store.record('offering', o.id)
        if (o.status === 'draft') expect(central).toBeUndefined()
        else expect(central).toMatchObject({ status: o.status, version: o.version, titleFr: o.title_fr, deadlineAt: o.deadline_at })
      }
      expect(offerings.some((o) => o.status === 'draft')).toBe(true)
      const count = (table: string) => (guichet.raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number)
      const centralCount = async (entity: 'order' | 'payment' | 'consent' | 'refund' | 'waiver') => {
        let n = 0
        for (const s of await store.schools()) n += (await store.records(entity, s.id)).length
        return n
      }
      expect(await centralCount('order')).toBe(count('orders'))
      expect(await centralCount('payment')).toBe(count('payments'))
      expect(await centralCount('consent')).toBe(count('consents'))
      expect(await centralCount('refund')).toBe(count('refunds'))
      expect(await centralCount('waiver')).toBe(count('waivers'))
    } finally {
      await store.close()
      await guichet.close()
    }
  })
})
