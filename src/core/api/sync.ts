import type { ConflictSide, SyncConflict, SyncRejection, SyncState } from '../../shared/contract/sync'
import { GuichetError } from '../../shared/errors'
import { OfferingRecord, OfferingUpsertData, type MutationResult } from '../../shared/sync/protocol'
import { CentralError } from '../services/sync'
import type { HandlerContext, Handlers } from './types'

type SyncMethod = 'sync.state' | 'sync.enroll' | 'sync.now' | 'sync.conflicts' | 'sync.rejections' | 'sync.resolveConflict' | 'sync.acknowledgeRejection'

const parseError = (text: string | null) => {
  if (!text) return null
  try {
    const e = JSON.parse(text) as { code?: string; message?: string; at?: string }
    return e.code && e.at ? { code: e.code, message: e.message ?? '', at: e.at } : null
  } catch {
    return null
  }
}

export async function syncState(ctx: HandlerContext): Promise<SyncState> {
  const engine = ctx.core.sync
  const enrolment = await engine.enrolment(ctx.db)
  const states = await ctx.db
    .selectFrom('sync_state as s')
    .innerJoin('schools as c', 'c.id', 's.school_id')
    .select(['s.school_id', 'c.name', 's.last_seq', 's.last_pull_at', 's.last_push_at', 's.last_error'])
    .orderBy('c.name')
    .execute()
  const counts = await ctx.db
    .selectFrom('outbox')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('state', '=', 'pending').as('waiting'),
      eb.fn.countAll<number>().filterWhere((w) => w.and([w('state', '=', 'conflict'), w('resolution', 'is', null)])).as('conflicts'),
      eb.fn.countAll<number>().filterWhere((w) => w.and([w('state', '=', 'rejected'), w('resolution', 'is', null)])).as('rejections'),
    ])
    .executeTakeFirstOrThrow()
  const enrolledIds = new Set(enrolment?.schools.map((s) => s.id) ?? [])
  const schools = states.filter((s) => enrolledIds.has(s.school_id))
  const lastSuccessAt = schools.reduce<string | null>((m, s) => (s.last_pull_at && (!m || s.last_pull_at > m) ? s.last_pull_at : m), null)
  return {
    enrolment: enrolment ? (enrolment.status === 'enrolled' ? 'enrolled' : 'needs_enrolment') : 'none',
    centralUrl: enrolment?.centralUrl ?? null,
    deviceName: enrolment?.deviceName ?? null,
    enrolledAt: enrolment?.enrolledAt ?? null,
    canSeal: ctx.core.processor.box !== undefined,
    running: engine.isRunning,
    lastSuccessAt,
    lastError: engine.lastError,
    waiting: Number(counts.waiting),
    conflicts: Number(counts.conflicts),
    rejections: Number(counts.rejections),
    schools: schools.map((s) => ({
      id: s.school_id,
      name: s.name,
      lastSeq: s.last_seq,
      headSeq: engine.headSeq.get(s.school_id) ?? null,
      lastPullAt: s.last_pull_at,
      lastPushAt: s.last_push_at,
      lastError: parseError(s.last_error),
    })),
    progress: engine.progress,
  }
}

function side(o: { version: number; status: string; titleFr: string; titleEn: string | null; descriptionFr: string; priceCents: number; opensAt: string; deadlineAt: string; stockLimit: number | null }): ConflictSide {
  return {
    version: o.version,
    status: o.status,
    titleFr: o.titleFr,
    titleEn: o.titleEn,
    descriptionFr: o.descriptionFr,
    priceCents: o.priceCents,
    opensAt: o.opensAt,
    deadlineAt: o.deadlineAt,
    stockLimit: o.stockLimit,
  }
}

export const syncHandlers: Handlers<SyncMethod> = {
  async 'sync.state'(_input, ctx) {
    return syncState(ctx)
  },

  async 'sync.enroll'(input, ctx) {
    if (!ctx.core.processor.box) throw new GuichetError('SECRETS_UNAVAILABLE')
    try {
      const enrolment = await ctx.core.sync.enroll(ctx.db, input, ctx.now)
      // The code is spent and the token sealed: neither reaches the audit log.
      ctx.audit({ entity: 'device', entityId: enrolment.deviceId, after: { centralUrl: enrolment.centralUrl, deviceName: enrolment.deviceName, schools: enrolment.schools.map((s) => s.id) } })
    } catch (error) {
      if (error instanceof CentralError) throw new GuichetError('SYNC_ENROL_FAILED', { reason: error.code })
      throw error
    }
    ctx.afterCommit(() => void ctx.core.sync.kick())
    return syncState(ctx)
  },

  async 'sync.now'(_input, ctx) {
    ctx.afterCommit(() => void ctx.core.sync.kick())
    const state = await syncState(ctx)
    return { ...state, running: state.enrolment === 'enrolled' || state.running }
  },

  async 'sync.conflicts'(_input, ctx) {
    const rows = await ctx.db
      .selectFrom('outbox as m')
      .innerJoin('schools as s', 's.id', 'm.school_id')
      .leftJoin('offerings as o', 'o.id', 'm.entity_id')
      .select(['m.id', 'm.type', 'm.entity_id', 'm.data', 'm.result', 'm.created_at', 's.name as school_name'])
      .select(['o.version', 'o.status', 'o.title_fr', 'o.title_en', 'o.description_fr', 'o.price_cents', 'o.opens_at', 'o.deadline_at', 'o.stock_limit'])
      .where('m.state', '=', 'conflict')
      .where('m.resolution', 'is', null)
      .orderBy('m.seq')
      .execute()
    const out: SyncConflict[] = []
    for (const r of rows) {
      const result = JSON.parse(r.result ?? '{}') as MutationResult
      const theirs = OfferingRecord.safeParse(result.current)
      if (!theirs.success) continue
      const upsert = r.type === 'offering.upsert' ? OfferingUpsertData.safeParse(JSON.parse(r.data)) : null
      const ours: ConflictSide = upsert?.success
        ? side({ ...upsert.data, version: upsert.data.version ?? r.version ?? 0 })
        : side({
            version: r.version ?? 0,
            status: r.status ?? '',
            titleFr: r.title_fr ?? '',
            titleEn: r.title_en ?? null,
            descriptionFr: r.description_fr ?? '',
            priceCents: r.price_cents ?? 0,
            opensAt: r.opens_at ?? '',
            deadlineAt: r.deadline_at ?? '',
            stockLimit: r.stock_limit ?? null,
          })
      out.push({ mutationId: r.id, type: r.type, offeringId: r.entity_id, schoolName: r.school_name, createdAt: r.created_at, ours, theirs: side(theirs.data) })
    }
    return out
  },

  async 'sync.rejections'(_input, ctx) {
    const rows = await ctx.db
      .selectFrom('outbox as m')
      .innerJoin('schools as s', 's.id', 'm.school_id')
      .select(['m.id', 'm.type', 'm.entity_id', 'm.result', 'm.created_at', 's.name as school_name'])
      .where('m.state', '=', 'rejected')
      .where('m.resolution', 'is', null)
      .orderBy('m.seq')
      .execute()
    return rows.map((r): SyncRejection => {
      const result = JSON.parse(r.result ?? '{}') as MutationResult
      return { mutationId: r.id, type: r.type, entityId: r.entity_id, schoolName: r.school_name, createdAt: r.created_at, code: result.error?.code ?? 'unknown', message: result.error?.message ?? '' }
    })
  },

  async 'sync.resolveConflict'({ mutationId, choice }, ctx) {
    const staffId = ctx.session?.staffId ?? null
    let resolved: { offeringId: string; serverVersion: number }
    try {
      resolved = await ctx.core.sync.resolveConflict(ctx.db, mutationId, choice, staffId, ctx.now)
    } catch (error) {
      if ((error as Error).message === 'NOT_FOUND') throw new GuichetError('NOT_FOUND', { what: 'syncConflict' })
      throw error
    }
    ctx.audit({ entity: 'offering', entityId: resolved.offeringId, detail: { mutationId, choice, serverVersion: resolved.serverVersion } })
    if (choice === 'ours') ctx.afterCommit(() => void ctx.core.sync.kick())
    return syncState(ctx)
  },

  async 'sync.acknowledgeRejection'({ mutationId }, ctx) {
    const row = await ctx.db.selectFrom('outbox').select(['entity_id', 'type', 'result']).where('id', '=', mutationId).where('state', '=', 'rejected').where('resolution', 'is', null).executeTakeFirst()
    if (!row) throw new GuichetError('NOT_FOUND', { what: 'syncRejection' })
    await ctx.db.updateTable('outbox').set({ resolution: 'acknowledged', resolved_at: ctx.now, resolved_by: ctx.session?.staffId ?? null }).where('id', '=', mutationId).execute()
    ctx.audit({ entity: 'outbox', entityId: mutationId, detail: { type: row.type, entityId: row.entity_id, result: row.result ? (JSON.parse(row.result) as unknown) : null } })
    ctx.afterCommit(() => void ctx.core.sync.kick())
    return syncState(ctx)
  },
}
