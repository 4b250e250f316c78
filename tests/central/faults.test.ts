import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Faults, parseFault } from '../../central/faults'
import { ChangesPage, ErrorBody, MutationsResponse, type Change, type MutationEnvelope, type MutationResult } from '../../src/shared/sync/protocol'
import { call, enroll, mutation, startCentral, type Reply, type TestCentral } from './helpers'

let central: TestCentral
let token: string
let schoolId: string

beforeAll(async () => {
  central = await startCentral()
  token = (await enroll(central)).token
  schoolId = central.schoolId
})
afterAll(async () => {
  await central.close()
})
beforeEach(() => {
  central.faults.off()
})

/** A waiver on the first published item: a small mutation whose effect is easy to see. */
async function waiver(): Promise<MutationEnvelope> {
  const offering = (await central.store.records('offering', schoolId)).find((o) => o.status === 'published')!
  const student = (await central.store.eligibleStudents(offering))[0]!
  const id = randomUUID()
  return mutation('waiver.record', id, { id, studentId: student.id, offeringId: offering.id, amountCents: 100, createdAt: '2026-11-20T15:00:00.000Z' })
}

const pushPath = () => `/v1/schools/${schoolId}/mutations`
const feedPath = (after: number, limit: number) => `/v1/schools/${schoolId}/changes?after=${after}&limit=${limit}`

describe('each fault kind, asked for by the request', () => {
  it('drop: no answer, the socket closed, and nothing done', async () => {
    const m = await waiver()
    await expect(call(central, 'POST', pushPath(), { token, body: { mutations: [m] }, headers: { 'x-central-fault': 'drop' } })).rejects.toThrow()
    expect(await central.store.record('waiver', m.entityId)).toBeUndefined()
    expect(await central.store.recordedResult(m.id)).toBeUndefined()
    const retry = await call(central, 'POST', pushPath(), { token, body: { mutations: [m] } })
    expect(MutationsResponse.parse(retry.body).results[0]!.status).toBe('applied')
  })

  it('drop_response: committed, the answer lost; the replay is a duplicate', async () => {
    const m = await waiver()
    const before = await central.store.headSeq(schoolId)
    await expect(call(central, 'POST', pushPath(), { token, body: { mutations: [m] }, headers: { 'x-central-fault': 'drop_response' } })).rejects.toThrow()
    expect(await central.store.record('waiver', m.entityId)).toBeDefined()
    const replay = await call(central, 'POST', pushPath(), { token, body: { mutations: [m] } })
    expect(MutationsResponse.parse(replay.body).results[0]).toMatchObject({ status: 'duplicate', seq: before + 1 })
    expect(await central.store.headSeq(schoolId)).toBe(before + 1)
  })

  it('delay: answers, late', async () => {
    const started = Date.now()
    const reply = await call(central, 'GET', feedPath(0, 5), { token, headers: { 'x-central-fault': 'delay=300' } })
    expect(reply.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })

  it('error_500: an internal error, nothing done', async () => {
    const m = await waiver()
    const reply = await call(central, 'POST', pushPath(), { token, body: { mutations: [m] }, headers: { 'x-central-fault': 'error_500' } })
    expect([reply.status, ErrorBody.parse(reply.body).error.code]).toEqual([500, 'internal'])
    expect(await central.store.recordedResult(m.id)).toBeUndefined()
  })

  it('rate_limit: 429 with Retry-After, nothing done', async () => {
    const m = await waiver()
    const reply = await call(central, 'POST', pushPath(), { token, body: { mutations: [m] }, headers: { 'x-central-fault': 'rate_limit=3' } })
    expect(reply.status).toBe(429)
    expect(reply.headers.get('retry-after')).toBe('3')
    expect(ErrorBody.parse(reply.body).error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 3 })
    expect(await central.store.recordedResult(m.id)).toBeUndefined()
  })

  it('page_twice: the previous page again, whatever the cursor', async () => {
    const first = ChangesPage.parse((await call(central, 'GET', feedPath(0, 10), { token })).body)
    const twice = ChangesPage.parse((await call(central, 'GET', feedPath(first.lastSeq, 10), { token, headers: { 'x-central-fault': 'page_twice' } })).body)
    expect(twice).toEqual(first)
    const next = ChangesPage.parse((await call(central, 'GET', feedPath(first.lastSeq, 10), { token })).body)
    expect(next.changes[0]!.seq).toBe(first.lastSeq + 1)
  })

  it('ignores a header it does not know', async () => {
    expect(parseFault('explode')).toBeNull()
    expect(parseFault('delay=-1')).toBeNull()
    expect((await call(central, 'GET', feedPath(0, 1), { token, headers: { 'x-central-fault': 'explode' } })).status).toBe(200)
  })
})

describe('scripted and seeded faults', () => {
  it('gives the next requests to one endpoint a scripted fault, in process or over the admin route', async () => {
    central.faults.inject('error_500', { endpoint: 'mutations', times: 2 })
    expect((await call(central, 'GET', feedPath(0, 1), { token })).status).toBe(200)
    expect((await call(central, 'POST', pushPath(), { token, body: { mutations: [await waiver()] } })).status).toBe(500)
    expect((await call(central, 'POST', pushPath(), { token, body: { mutations: [await waiver()] } })).status).toBe(500)
    expect((await call(central, 'POST', pushPath(), { token, body: { mutations: [await waiver()] } })).status).toBe(200)

    const admin = { token: central.server.adminKey }
    expect((await call(central, 'POST', '/admin/faults/next', { ...admin, body: { kind: 'rate_limit', retryAfterSeconds: 7, endpoint: 'changes' } })).status).toBe(200)
    const limited = await call(central, 'GET', feedPath(0, 1), { token })
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7'])
    const state = await call<{ log: Array<{ kind: string; endpoint: string; source: string }> }>(central, 'GET', '/admin/faults', admin)
    expect(state.body.log.filter((e) => e.source === 'script').map((e) => [e.endpoint, e.kind])).toEqual([
      ['mutations', 'error_500'],
      ['mutations', 'error_500'],
      ['changes', 'rate_limit'],
    ])
  })

  it('draws the same faults for the same seed and the same requests', () => {
    const draw = (seed: number) => {
      const faults = new Faults({ seed, rates: { drop: 0.1, drop_response: 0.1, delay: 0.1, error_500: 0.1, rate_limit: 0.1, page_twice: 0.1 } })
      return Array.from({ length: 200 }, (_, i) => faults.decide(i % 3 === 0 ? 'changes' : 'mutations', undefined)?.kind ?? null)
    }
    const a = draw(42)
    expect(draw(42)).toEqual(a)
    expect(draw(43)).not.toEqual(a)
    for (const kind of ['drop', 'drop_response', 'delay', 'error_500', 'rate_limit', 'page_twice']) expect(a).toContain(kind)
    expect(a.filter((k) => k === null).length).toBeGreaterThan(50)
    expect(() => new Faults({ rates: { drop: 0.7, error_500: 0.5 } })).toThrow()
  })

  it('with a quarter of the answers lost and more faults besides, a retrying client pushes everything once and pulls the same feed', async () => {
    const mutations: MutationEnvelope[] = []
    for (let i = 0; i < 60; i++) mutations.push(await waiver())
    const before = await central.store.headSeq(schoolId)
    const clean = await pullAll(before)
    expect(clean).toEqual([])

    central.faults.configure({ seed: 2026, rates: { drop: 0.1, drop_response: 0.25, error_500: 0.1, rate_limit: 0.1, delay: 0.05, page_twice: 0.1 }, delayMs: 5, retryAfterSeconds: 0 })
    const results = new Map<string, MutationResult>()
    let attempts = 0
    for (let i = 0; i < mutations.length; i += 7) {
      const batch = mutations.slice(i, i + 7)
      const reply = await retried(() => {
        attempts += 1
        return call(central, 'POST', pushPath(), { token, body: { mutations: batch } })
      })
      for (const r of MutationsResponse.parse(reply.body).results) results.set(r.id, r)
    }
    expect(attempts).toBeGreaterThan(mutations.length / 7 + 2)
    expect([...results.values()].every((r) => r.status === 'applied' || r.status === 'duplicate')).toBe(true)
    expect(results.size).toBe(mutations.length)
    const counts = central.faults.counts()
    expect(counts.drop_response ?? 0).toBeGreaterThan(0)

    // Everything once in the feed, and a client pulling through the faults ends with the same records.
    central.faults.off()
    const feed = await pullAll(before)
    expect(feed.map((c) => c.id).sort()).toEqual(mutations.map((m) => m.entityId).sort())
    central.faults.configure({ seed: 7, rates: { drop: 0.1, drop_response: 0.25, error_500: 0.1, page_twice: 0.2 } })
    const faulty = await pullAll(before, 4)
    expect(faulty).toEqual(feed)
    expect(central.faults.counts().page_twice ?? 0).toBeGreaterThan(0)
  })
})

/** A client's pull: retries failed requests, applies pages by id and version, stores lastSeq. */
async function pullAll(after: number, limit = 500): Promise<Change[]> {
  const state = new Map<string, Change>()
  let cursor = after
  for (let guard = 0; guard < 1_000; guard++) {
    const reply = await retried(() => call(central, 'GET', feedPath(cursor, limit), { token }))
    const page = ChangesPage.parse(reply.body)
    for (const c of page.changes) {
      const key = `${c.entity}:${c.id}`
      if ((state.get(key)?.version ?? 0) < c.version) state.set(key, c)
    }
    cursor = page.lastSeq
    if (!page.hasMore && page.lastSeq >= page.headSeq) return [...state.values()].sort((a, b) => a.seq - b.seq)
  }
  throw new Error('the pull did not end')
}

/** What a client retries: a lost connection (fetch's TypeError), a 500 or a 429. Anything else, or a
 * twentieth failure in a row (seeded faults at these rates never come that close), fails the test at once. */
async function retried<T>(request: () => Promise<Reply<T>>): Promise<Reply<T>> {
  const seen: string[] = []
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const reply = await request()
      if (reply.status === 200) return reply
      if (reply.status !== 500 && reply.status !== 429) throw new Error(`not a fault a client retries: ${reply.status} ${JSON.stringify(reply.body)}`)
      seen.push(String(reply.status))
    } catch (e) {
      if (!(e instanceof TypeError && e.message === 'fetch failed')) throw e
      seen.push('connection lost')
    }
  }
  throw new Error(`still failing after 20 attempts: ${seen.join(', ')}`)
}
