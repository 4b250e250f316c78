import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { MAX_MUTATIONS_PER_REQUEST, OfferingRecord, type ChangesPage, type MutationEnvelope, type MutationResult } from '../../../shared/sync/protocol'
import type { DB } from '../../db/schema'
import { newId } from '../ids'
import { readSecret, putSecret, type SecretBox } from '../secrets'
import { getSetting, setSetting } from '../settings'
import { applyOffering, applyPage, ReceiptCollisionError, statements } from './apply'
import { CentralClient, CentralError } from './http'

/** The device token, sealed by the shell's box (never in clear in the database). */
export const SYNC_TOKEN = 'sync.deviceToken'
const ENROLMENT = 'sync.enrolment'

export interface Enrolment {
  centralUrl: string
  deviceId: string
  deviceName: string
  schools: Array<{ id: string; name: string }>
  /** needs_enrolment: the board refused the token (401); sync stops until staff enrol again. */
  status: 'enrolled' | 'needs_enrolment'
  enrolledAt: string
}

export interface SyncEngineOptions {
  db: Kysely<DB>
  raw: BetterSqlite3.Database
  box: () => SecretBox | undefined
  nowMs: () => number
  logError?: (error: unknown) => void
  fetch?: typeof fetch
  timeoutMs?: number
  pageSize?: number
  /** A catch-up applies the pages it has fetched in one transaction once they hold this many changes (5,000 by default). */
  applyBatch?: number
  /** Exponential backoff with jitter: base·2^attempt, at most maxMs, attempts per call. */
  backoff?: { baseMs?: number; maxMs?: number; attempts?: number }
  random?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface SyncProgress {
  schoolId: string
  phase: 'push' | 'pull'
  startSeq: number
  lastSeq: number
  headSeq: number
}

export interface SyncRunResult {
  ok: boolean
  pushed: number
  pulled: number
  error: { code: string; message: string } | null
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class SyncEngine {
  private running: Promise<SyncRunResult> | null = null
  private stopped = false
  progress: SyncProgress | null = null
  lastError: { code: string; message: string; at: string } | null = null
  lastRunAt: string | null = null
  readonly headSeq = new Map<string, number>()

  constructor(private readonly o: SyncEngineOptions) {}

  private now(): string {
    return new Date(this.o.nowMs()).toISOString()
  }

  get isRunning(): boolean {
    return this.running !== null
  }

  async enrolment(db: Kysely<DB> = this.o.db): Promise<Enrolment | null> {
    const value = await getSetting(db, ENROLMENT)
    return value ? (JSON.parse(value) as Enrolment) : null
  }

  /** Exchanges an enrolment code for a token, sealed; records the schools. Runs in the caller's transaction. */
  async enroll(db: Kysely<DB>, input: { centralUrl: string; code: string; deviceName: string }, now: string): Promise<Enrolment> {
    const box = this.o.box()
    if (!box) throw new CentralError('fatal', 'secrets_unavailable', 'this PC cannot seal the device token')
    const client = new CentralClient({ baseUrl: input.centralUrl, timeoutMs: this.o.timeoutMs ?? 15_000, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) })
    const answer = await client.enroll(input.code, input.deviceName)
    await putSecret(db, box, SYNC_TOKEN, answer.token, now)
    for (const s of answer.schools) {
      // A school this PC does not know yet (a first install): its row, then its feed from 0.
      await db.insertInto('schools').values({ id: s.id, code: s.id, name: s.name }).onConflict((oc) => oc.column('id').doNothing()).execute()
      await db.insertInto('sync_state').values({ school_id: s.id }).onConflict((oc) => oc.column('school_id').doNothing()).execute()
    }
    const enrolment: Enrolment = { centralUrl: input.centralUrl, deviceId: answer.deviceId, deviceName: input.deviceName, schools: answer.schools, status: 'enrolled', enrolledAt: now }
    await setSetting(db, ENROLMENT, JSON.stringify(enrolment))
    this.lastError = null
    return enrolment
  }

  /** Starts a run unless one is going; the background tick and "Synchroniser maintenant" call this. */
  kick(): Promise<SyncRunResult> {
    if (this.stopped) return Promise.resolve({ ok: false, pushed: 0, pulled: 0, error: { code: 'stopped', message: 'sync stopped' } })
    this.running ??= this.run().finally(() => {
      this.running = null
      this.progress = null
    })
    return this.running
  }

  /** Waits for the current run, and stops starting new ones. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.running?.catch(() => undefined)
  }

  private async run(): Promise<SyncRunResult> {
    const result: SyncRunResult = { ok: true, pushed: 0, pulled: 0, error: null }
    const enrolment = await this.enrolment()
    const box = this.o.box()
    if (!enrolment || enrolment.status !== 'enrolled' || !box) return { ...result, ok: false, error: { code: enrolment ? 'needs_enrolment' : 'not_enrolled', message: '' } }
    const token = (await readSecret(this.o.db, box, SYNC_TOKEN))?.value
    if (!token) return this.fail(result, 'needs_enrolment', 'the device token cannot be opened on this PC', true)
    const client = new CentralClient({ baseUrl: enrolment.centralUrl, token, timeoutMs: this.o.timeoutMs ?? 15_000, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) })
    this.lastRunAt = this.now()
    for (const school of enrolment.schools) {
      try {
        result.pushed += await this.push(client, school.id)
        result.pulled += await this.pull(client, school.id)
        // What the pull made possible (nothing, usually) and what staff did meanwhile.
        result.pushed += await this.push(client, school.id)
      } catch (error) {
        if (error instanceof CentralError && error.kind === 'unauthorized') return this.fail(result, 'unauthorized', error.message, true)
        const code = error instanceof CentralError ? error.code : error instanceof ReceiptCollisionError ? 'receipt_collision' : 'internal'
        const message = (error as Error).message
        if (!(error instanceof CentralError)) this.o.logError?.(error)
        await this.o.db.updateTable('sync_state').set({ last_error: JSON.stringify({ code, message, at: this.now() }) }).where('school_id', '=', school.id).execute()
        this.fail(result, code, message, false)
      }
    }
    if (result.ok) this.lastError = null
    return result
  }

  private async fail(result: SyncRunResult, code: string, message: string, unenrol: boolean): Promise<SyncRunResult> {
    result.ok = false
    result.error = { code, message }
    this.lastError = { code, message, at: this.now() }
    if (unenrol) {
      const enrolment = await this.enrolment()
      if (enrolment) await setSetting(this.o.db, ENROLMENT, JSON.stringify({ ...enrolment, status: 'needs_enrolment' }))
    }
    return result
  }

  /** Retries a call that failed in transit: Retry-After when the board gives one, else base·2^n with jitter. */
  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    const { baseMs = 500, maxMs = 60_000, attempts = 6 } = this.o.backoff ?? {}
    const random = this.o.random ?? Math.random
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn()
      } catch (error) {
        if (!(error instanceof CentralError) || error.kind !== 'retryable' || attempt + 1 >= attempts || this.stopped) throw error
        const ceiling = Math.min(maxMs, baseMs * 2 ** attempt)
        const wait = error.retryAfterMs ?? ceiling / 2 + random() * (ceiling / 2)
        await (this.o.sleep ?? sleepReal)(wait)
      }
    }
  }

  async pull(client: CentralClient, schoolId: string): Promise<number> {
    const row = await this.o.db.selectFrom('sync_state').select('last_seq').where('school_id', '=', schoolId).executeTakeFirst()
    let after = row?.last_seq ?? 0
    const startSeq = after
    let applied = 0
    let replays = 0
    // Pages fetched and not yet applied: a long catch-up applies several in one transaction (one
    // commit, not one per page), each page with its cursor as before. No transaction is held
    // while a page travels.
    const batch: ChangesPage[] = []
    let batched = 0
    const flush = async () => {
      if (batch.length === 0) return
      const pages = batch.splice(0)
      batched = 0
      applied += await this.applyPages(schoolId, pages)
    }
    try {
      for (;;) {
        const page = await this.withRetry(() => client.changes(schoolId, after, this.o.pageSize ?? 1000))
        // A page delivered again (a retry, a lost answer) holds nothing after our cursor: applying
        // it changes nothing, and its hasMore is stale, so the next page is asked again.
        const replay = page.changes.length > 0 && page.changes.every((c) => c.seq <= after)
        batch.push(page)
        batched += page.changes.length
        after = Math.max(after, page.lastSeq)
        this.headSeq.set(schoolId, page.headSeq)
        const more = (replay && ++replays <= 10) || page.hasMore
        if (!more || batched >= (this.o.applyBatch ?? 5000)) await flush()
        this.progress = { schoolId, phase: 'pull', startSeq, lastSeq: after, headSeq: page.headSeq }
        if (!more) break
      }
    } catch (error) {
      // What came before the failure is kept.
      await flush()
      throw error
    }
    return applied
  }

  /**
   * The pages and their cursor in one transaction, on the connection Kysely serialises (each
   * page's own transaction nests as a savepoint). When that fails, the pages are applied one by
   * one, each in its own transaction: the pages before the failing one are kept, as they would
   * have been page by page, and the failure is thrown at the page that has it.
   */
  private async applyPages(schoolId: string, pages: ChangesPage[]): Promise<number> {
    const now = this.now()
    const raw = this.o.raw
    return this.o.db.connection().execute(async () => {
      if (pages.length > 1) {
        try {
          return raw.transaction(() => pages.reduce((n, page) => n + applyPage(raw, schoolId, page, now).applied, 0)).immediate()
        } catch {
          // one by one, below
        }
      }
      let applied = 0
      for (const page of pages) applied += applyPage(raw, schoolId, page, now).applied
      return applied
    })
  }

  async push(client: CentralClient, schoolId: string): Promise<number> {
    let done = 0
    for (;;) {
      // In order; a mutation behind an unsettled conflict or rejection on its own entity waits.
      const rows = await this.o.db
        .selectFrom('outbox as o')
        .selectAll('o')
        .where('o.school_id', '=', schoolId)
        .where('o.state', '=', 'pending')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('outbox as b')
                .select('b.seq')
                .whereRef('b.entity_id', '=', 'o.entity_id')
                .whereRef('b.seq', '<', 'o.seq')
                .where('b.state', 'in', ['conflict', 'rejected'])
                .where('b.resolution', 'is', null),
            ),
          ),
        )
        .orderBy('o.seq')
        .limit(MAX_MUTATIONS_PER_REQUEST)
        .execute()
      if (rows.length === 0) break
      this.progress = { schoolId, phase: 'push', startSeq: 0, lastSeq: done, headSeq: done + rows.length }
      const mutations: MutationEnvelope[] = rows.map((r) => ({
        id: r.id,
        type: r.type,
        entityId: r.entity_id,
        baseVersion: r.base_version,
        data: JSON.parse(r.data) as unknown,
        createdAt: r.created_at,
      }))
      const { results } = await this.withRetry(() => client.mutations(schoolId, mutations))
      const byId = new Map(results.map((r) => [r.id, r]))
      const now = this.now()
      let settled = 0
      await this.o.db.transaction().execute(async (trx) => {
        for (const row of rows) {
          const r = byId.get(row.id)
          if (!r) continue
          const held = r.status === 'rejected' && r.error?.code === 'held_back'
          if (!held) settled++
          await trx
            .updateTable('outbox')
            .set({
              state: held ? 'pending' : r.status,
              result: JSON.stringify(r),
              attempts: row.attempts + 1,
              last_attempt_at: now,
            })
            .where('id', '=', row.id)
            .execute()
        }
        await trx.updateTable('sync_state').set({ last_push_at: now }).where('school_id', '=', schoolId).execute()
      })
      done += settled
      if (settled === 0) break
    }
    return done
  }

  /**
   * Staff's choice on a conflict. ours: the mutation and the ones of ours held behind it are sent
   * again, rebased on the board's version (new ids, the same order). theirs: the board's item is
   * applied and ours on that item are dropped (the rows stay, marked, and the call is audited).
   */
  async resolveConflict(db: Kysely<DB>, mutationId: string, choice: 'ours' | 'theirs', staffId: string | null, now: string): Promise<{ offeringId: string; serverVersion: number }> {
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', mutationId).where('state', '=', 'conflict').where('resolution', 'is', null).executeTakeFirst()
    if (!row || !row.result) throw new Error('NOT_FOUND')
    const result = JSON.parse(row.result) as MutationResult
    const current = OfferingRecord.parse(result.current)
    const later = await db.selectFrom('outbox').selectAll().where('entity_id', '=', row.entity_id).where('state', '=', 'pending').where('seq', '>', row.seq).orderBy('seq').execute()
    if (choice === 'theirs') {
      // The handler's transaction holds the connection: the raw statements run inside it.
      const st = statements(this.o.raw)
      applyOffering(st, current, current.version, now, true)
      await db.updateTable('outbox').set({ resolution: 'theirs', resolved_at: now, resolved_by: staffId }).where('id', '=', row.id).execute()
      for (const l of later) {
        await db
          .updateTable('outbox')
          .set({ state: 'rejected', resolution: 'superseded', resolved_at: now, resolved_by: staffId, result: JSON.stringify({ id: l.id, status: 'rejected', error: { code: 'superseded', message: `dropped with ${row.id}` } }) })
          .where('id', '=', l.id)
          .execute()
      }
    } else {
      const delta = current.version - (row.base_version ?? 0)
      for (const m of [row, ...later]) {
        const data = JSON.parse(m.data) as Record<string, unknown>
        if (typeof data.version === 'number') data.version += delta
        await db
          .insertInto('outbox')
          .values({ id: newId(), school_id: m.school_id, type: m.type, entity_id: m.entity_id, base_version: (m.base_version ?? 0) + delta, data: JSON.stringify(data), created_at: now })
          .execute()
        await db
          .updateTable('outbox')
          .set(m.id === row.id ? { resolution: 'ours', resolved_at: now, resolved_by: staffId } : { state: 'rejected', resolution: 'superseded', resolved_at: now, resolved_by: staffId, result: JSON.stringify({ id: m.id, status: 'rejected', error: { code: 'superseded', message: `resent after ${row.id}` } }) })
          .where('id', '=', m.id)
          .execute()
      }
      await db.updateTable('offerings').set((eb) => ({ version: eb('version', '+', delta) })).where('id', '=', row.entity_id).execute()
    }
    return { offeringId: row.entity_id, serverVersion: current.version }
  }
}
