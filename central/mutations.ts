import type { z } from 'zod'
import {
  MUTATION_DATA,
  MUTATION_TYPES,
  VERSIONED_TYPES,
  type EntityRecord,
  type MutationEnvelope,
  type MutationResult,
  type MutationType,
  type RejectionCode,
} from '../src/shared/sync/protocol'
import { sql } from 'kysely'
import { recordException } from './exceptions'
import { derivedId, type CentralStore, type Device } from './store'

/**
 * The push side of protocol v1: each mutation applied once, forever, in its own transaction,
 * with its result recorded in that same transaction (so a reply lost after the commit is found
 * again: `duplicate`). One handler per mutation type, like the app's core.
 */

type Outcome = Omit<MutationResult, 'id'>
type Issue = { path: Array<string | number>; code: string }

interface Ctx {
  store: CentralStore
  device: Device
  schoolId: string
  mutationId: string
  now: string
}

interface Input<T extends MutationType> {
  entityId: string
  baseVersion: number | null | undefined
  data: z.infer<(typeof MUTATION_DATA)[T]>
}

type Handler<T extends MutationType> = (ctx: Ctx, m: Input<T>) => Promise<Outcome>

/** A refusal: the handler's writes are rolled back and the rejection is recorded. */
class Refusal extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message)
  }
}

function refuse(code: RejectionCode, message: string, issues?: Issue[]): never {
  throw new Refusal(code, message, issues)
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), code: i.code }))
}

/**
 * Applies a request's mutations in order. After a mutation about an entity ends in conflict or
 * rejection, the later ones about the same entity in this request are held back (not recorded:
 * the client sends them again once the first is resolved).
 */
export async function applyMutations(store: CentralStore, device: Device, schoolId: string, mutations: readonly MutationEnvelope[]): Promise<MutationResult[]> {
  const blocked = new Set<string>()
  const results: MutationResult[] = []
  for (const m of mutations) {
    if (blocked.has(m.entityId)) {
      results.push({ id: m.id, status: 'rejected', error: { code: 'held_back', message: `an earlier mutation about ${m.entityId} was not applied` } })
      continue
    }
    const result = await applyOne(store, device, schoolId, m)
    if (result.status === 'conflict' || result.status === 'rejected') blocked.add(m.entityId)
    results.push(result)
  }
  return results
}

/**
 * One mutation in its own transaction. Its id is locked first (a retry arriving at another
 * process waits, then reads the recorded result), then its school's counter row (the rules of a
 * school read a settled state: stock, limits, balances).
 */
function applyOne(store: CentralStore, device: Device, schoolId: string, m: MutationEnvelope): Promise<MutationResult> {
  return store.transaction(async (tx) => {
    await tx.lockMutation(m.id)
    const recorded = await tx.recordedResult(m.id)
    if (recorded !== undefined) {
      const first = JSON.parse(recorded) as MutationResult
      // A replay of an applied mutation is a duplicate; a conflict or rejection stays what it was.
      return first.status === 'applied' ? { ...first, status: 'duplicate' } : first
    }
    await tx.lockSchool(schoolId)
    const ctx: Ctx = { store: tx, device, schoolId, mutationId: m.id, now: tx.nowIso() }
    let outcome: Outcome
    // A savepoint: a refusal undoes the handler's writes only.
    await sql`SAVEPOINT mutation`.execute(tx.db)
    try {
      outcome = await dispatch(ctx, m)
      await sql`RELEASE SAVEPOINT mutation`.execute(tx.db)
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      await sql`ROLLBACK TO SAVEPOINT mutation`.execute(tx.db)
      outcome = { status: 'rejected', error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } }
    }
    const result: MutationResult = { id: m.id, ...outcome }
    await tx.recordResult({ id: m.id, deviceId: device.id, schoolId, type: m.type, entityId: m.entityId, status: result.status, result: JSON.stringify(result) })
    return result
  })
}

async function dispatch(ctx: Ctx, m: MutationEnvelope): Promise<Outcome> {
  if (!(MUTATION_TYPES as readonly string[]).includes(m.type)) refuse('unknown_type', `unknown mutation type ${m.type}`)
  const type = m.type as MutationType
  const parsed = MUTATION_DATA[type].safeParse(m.data)
  if (!parsed.success) refuse('invalid_payload', `data is not a valid ${type}`, zodIssues(parsed.error).map((i) => ({ ...i, path: ['data', ...i.path] })))
  if (VERSIONED_TYPES.has(type) && (m.baseVersion === undefined || m.baseVersion === null)) {
    refuse('invalid_payload', `${type} needs the version the office saw`, [{ path: ['baseVersion'], code: 'required' }])
  }
  const before = await ctx.store.headSeq(ctx.schoolId)
  const handler = HANDLERS[type] as Handler<MutationType>
  const outcome = await handler(ctx, { entityId: m.entityId, baseVersion: m.baseVersion, data: parsed.data })
  const after = await ctx.store.headSeq(ctx.schoolId)
  return outcome.status === 'applied' && after > before ? { ...outcome, seq: after } : outcome
}

// ---- checks shared by the handlers ---------------------------------------------------------------

function sameId(id: string, entityId: string): void {
  if (id !== entityId) refuse('entity_mismatch', `data.id ${id} is not entityId ${entityId}`)
}

async function ownSchool(ctx: Ctx, schoolId: string): Promise<void> {
  if (!(await ctx.store.school(schoolId))) refuse('unknown_school', `no school ${schoolId}`)
  if (schoolId !== ctx.schoolId) refuse('school_mismatch', `record of school ${schoolId} sent to ${ctx.schoolId}`)
}

async function need<E extends 'offering' | 'student' | 'guardian' | 'payment' | 'order' | 'refund'>(ctx: Ctx, entity: E, id: string): Promise<EntityRecord<E> & { version: number }> {
  const record = await ctx.store.record(entity, id)
  if (!record) refuse('unknown_entity', `no ${entity} ${id}`)
  if ('schoolId' in record && record.schoolId !== ctx.schoolId) refuse('school_mismatch', `${entity} ${id} is another school's`)
  return record
}

function conflict(current: EntityRecord<'offering'> & { version: number }): Outcome {
  return { status: 'conflict', version: current.version, current }
}

// ---- emails the board sends when an item changes ----------------------------------------------------

async function emailAll(ctx: Ctx, kind: EntityRecord<'notification'>['kind'], guardianIds: readonly string[], refs: { offeringId?: string; paymentId?: string; consentId?: string }): Promise<void> {
  for (const guardianId of guardianIds) {
    await ctx.store.recordEmail({ id: derivedId(`${ctx.mutationId}:${kind}:${guardianId}`), schoolId: ctx.schoolId, guardianId, kind, requestId: ctx.mutationId, ...refs })
  }
}

/** Published for the first time: the eligible families hear of it. Cancelled: those who bought or answered do. */
async function announce(ctx: Ctx, before: { status: string; publishedAt: string | null } | undefined, after: EntityRecord<'offering'>): Promise<void> {
  if (after.status === 'published' && !before?.publishedAt) {
    const eligible = await ctx.store.eligibleStudents(after)
    await emailAll(ctx, 'offering_published', await ctx.store.guardiansOfStudents(eligible.map((s) => s.id)), { offeringId: after.id })
  }
  if (after.status === 'cancelled' && before?.status !== 'cancelled') {
    await emailAll(ctx, 'offering_cancelled', await ctx.store.guardiansOfStudents(await ctx.store.studentsWhoAnswered(after.id)), { offeringId: after.id })
  }
}

// ---- offerings: versioned, editable ------------------------------------------------------------------

const STATUS_MOVES: Record<'published' | 'closed' | 'cancelled', readonly string[]> = {
  published: ['published', 'closed'],
  closed: ['published', 'closed'],
  cancelled: ['published', 'closed', 'cancelled'],
}

function statusHandler(target: 'published' | 'closed' | 'cancelled'): Handler<'offering.publish' | 'offering.close' | 'offering.cancel'> {
  return async (ctx, m) => {
    sameId(m.data.id, m.entityId)
    const current = await need(ctx, 'offering', m.data.id)
    const base = m.baseVersion!
    if (current.version !== base) return conflict(current)
    if (!STATUS_MOVES[target].includes(current.status)) refuse('invalid_transition', `${current.status} cannot become ${target}`)
    // The upsert just before may have carried the status already: nothing more to do.
    if (current.status === target) return { status: 'applied', version: current.version }
    const { version: _v, ...rest } = current
    const next: EntityRecord<'offering'> = {
      ...rest,
      status: target,
      version: base + 1,
      cancelReason: target === 'cancelled' && 'reason' in m.data ? m.data.reason : rest.cancelReason,
      publishedAt: rest.publishedAt ?? (target === 'published' ? ctx.now : null),
    }
    await ctx.store.put('offering', next, { version: base + 1 })
    await announce(ctx, current, next)
    return { status: 'applied', version: base + 1 }
  }
}

/** A credit entry's content, whatever else travels with it (its school, its version, fields a newer client adds). */
function creditContent(c: Omit<EntityRecord<'credit'>, 'schoolId'>): string {
  return JSON.stringify([c.id, c.guardianId, c.kind, c.amountCents, c.refundId, c.orderId, c.reason, c.createdAt])
}

const HANDLERS: { [T in MutationType]: Handler<T> } = {
  async 'offering.upsert'(ctx, m) {
    const d = m.data
    sameId(d.id, m.entityId)
    await ownSchool(ctx, d.schoolId)
    if (d.status === 'draft') refuse('draft_not_accepted', 'drafts stay on the office PC')
    const base = m.baseVersion!
    if (d.version !== undefined && d.version !== base + 1) refuse('version_mismatch', `data.version ${d.version} is not baseVersion + 1 (${base + 1})`)
    const current = await ctx.store.record('offering', d.id)
    if (current && current.schoolId !== ctx.schoolId) refuse('school_mismatch', `offering ${d.id} is another school's`)
    if (current && current.version !== base) return conflict(current)
    const { version: _v, cancelReason: given, ...content } = d
    const cancelReason = d.status === 'cancelled' ? (given ?? current?.cancelReason ?? null) : null
    if (d.status === 'cancelled' && !cancelReason) refuse('invalid_payload', 'a cancelled item needs its reason', [{ path: ['data', 'cancelReason'], code: 'required' }])
    const next: EntityRecord<'offering'> = { ...content, version: base + 1, cancelReason, publishedAt: current?.publishedAt ?? ctx.now }
    await ctx.store.put('offering', next, { version: base + 1 })
    await announce(ctx, current, next)
    return { status: 'applied', version: base + 1 }
  },

  'offering.publish': statusHandler('published'),
  'offering.close': statusHandler('closed'),
  'offering.cancel': statusHandler('cancelled'),

  async 'order.record'(ctx, m) {
    const { order, lines, payment } = m.data
    sameId(order.id, m.entityId)
    await ownSchool(ctx, order.schoolId)
    if (await ctx.store.record('order', order.id)) refuse('already_exists', `order ${order.id} exists`)
    if (await ctx.store.record('payment', payment.id)) refuse('already_exists', `payment ${payment.id} exists`)
    await need(ctx, 'guardian', order.guardianId)
    let total = 0
    for (const [i, l] of lines.entries()) {
      await need(ctx, 'student', l.studentId)
      const offering = await need(ctx, 'offering', l.offeringId)
      if (l.variantId !== null && !offering.variants.some((v) => v.id === l.variantId)) refuse('unknown_entity', `no variant ${l.variantId} on ${offering.id}`)
      if (l.programDateId !== null && !offering.dates.some((d) => d.id === l.programDateId)) refuse('unknown_entity', `no program date ${l.programDateId} on ${offering.id}`)
      if (l.amountCents !== l.quantity * l.unitPriceCents) refuse('amount_mismatch', `line ${i}: ${l.quantity} × ${l.unitPriceCents} ≠ ${l.amountCents}`, [{ path: ['data', 'lines', i, 'amountCents'], code: 'amount_mismatch' }])
      if (await ctx.store.lineExists(l.id)) refuse('already_exists', `order line ${l.id} exists`)
      total += l.amountCents
    }
    if (total !== payment.amountCents) refuse('amount_mismatch', `lines total ${total}, payment ${payment.amountCents}`, [{ path: ['data', 'payment', 'amountCents'], code: 'amount_mismatch' }])
    await ctx.store.put('order', { ...order, lines })
    // Numbered by the office's kiosk, in its own series: served back so, never as a board number.
    await ctx.store.put('payment', { ...payment, schoolId: order.schoolId, orderId: order.id, channel: order.channel, receiptSeries: 'office' })
    return { status: 'applied', version: 1 }
  },

  async 'consent.record'(ctx, m) {
    const d = m.data
    sameId(d.id, m.entityId)
    await need(ctx, 'offering', d.offeringId)
    await need(ctx, 'student', d.studentId)
    if (d.guardianId !== null) await need(ctx, 'guardian', d.guardianId)
    if (await ctx.store.record('consent', d.id)) refuse('already_exists', `consent ${d.id} exists`)
    if (d.channel === 'kiosk' && d.guardianId === null) refuse('invalid_payload', 'only a guardian answers at the kiosk', [{ path: ['data', 'guardianId'], code: 'required' }])
    if (d.channel === 'office' && (d.decision !== 'withdrawn' || !d.reason)) {
      refuse('invalid_payload', 'the office records only withdrawals, with a reason', [{ path: ['data', 'decision'], code: 'office_withdrawal_only' }])
    }
    await ctx.store.put('consent', { ...d, schoolId: ctx.schoolId, reason: d.reason ?? null })
    if (d.guardianId !== null) await emailAll(ctx, 'consent_recorded', [d.guardianId], { offeringId: d.offeringId, consentId: d.id })
    return { status: 'applied', version: 1 }
  },

  async 'refund.record'(ctx, m) {
    const d = m.data
    sameId(d.id, m.entityId)
    const current = await ctx.store.record('refund', d.id)
    if (!current) {
      if (!d.paymentId) refuse('invalid_payload', 'a new refund names its payment', [{ path: ['data', 'paymentId'], code: 'required' }])
      await need(ctx, 'payment', d.paymentId)
      const facts = (await ctx.store.refundFacts(d.paymentId, d.orderLineId ?? null))!
      if (d.orderLineId && facts.lineCents === null) refuse('unknown_entity', `no line ${d.orderLineId} on payment ${d.paymentId}`)
      const counts = d.status !== 'failed'
      if (counts && facts.refundedCents + d.amountCents > facts.paidCents) refuse('refund_exceeds_paid', `${facts.refundedCents} + ${d.amountCents} > ${facts.paidCents}`)
      if (counts && facts.lineCents !== null && facts.lineRefundedCents + d.amountCents > facts.lineCents) refuse('refund_exceeds_paid', `line: ${facts.lineRefundedCents} + ${d.amountCents} > ${facts.lineCents}`)
      // Money goes back the way it came: the card cannot be refunded what the family's credit paid,
      // nor the credit given back what the card paid.
      const tenderCents = d.tender === 'credit' ? facts.creditCents : facts.paidCents - facts.creditCents
      const tenderRefunded = facts.refundedByTender[d.tender]
      if (counts && tenderRefunded + d.amountCents > tenderCents) refuse('refund_exceeds_paid', `${d.tender}: ${tenderRefunded} + ${d.amountCents} > ${tenderCents}`)
      await ctx.store.put('refund', {
        id: d.id,
        schoolId: ctx.schoolId,
        paymentId: d.paymentId,
        orderLineId: d.orderLineId ?? null,
        amountCents: d.amountCents,
        reason: d.reason ?? null,
        status: d.status,
        reversed: d.reversed ?? false,
        processorRef: d.processorRef ?? null,
        failureCode: d.failureCode ?? null,
        requestedAt: d.requestedAt ?? null,
        settledAt: d.settledAt ?? null,
        tender: d.tender,
      })
      return { status: 'applied', version: 1 }
    }
    if (current.schoolId !== ctx.schoolId) refuse('school_mismatch', `refund ${d.id} is another school's`)
    if (current.amountCents !== d.amountCents) refuse('final_record', `refund ${d.id} is for ${current.amountCents}`)
    // d.tender is not compared: a reversal leaves it out (read as card), and a tender never changes.
    const reversed = d.reversed ?? false
    const same = current.status === d.status && current.reversed === reversed
    if (same) return { status: 'applied', version: current.version }
    const move = (current.status === 'pending' && d.status !== 'pending' && !reversed) || (current.status === 'succeeded' && d.status === 'failed' && reversed)
    // Once final, the server's copy wins: only a reversal moves a succeeded refund.
    if (!move) refuse('final_record', `refund ${d.id} is ${current.status}`)
    const { version: _v, ...rest } = current
    const put = await ctx.store.put('refund', {
      ...rest,
      status: d.status,
      reversed,
      processorRef: d.processorRef ?? rest.processorRef,
      failureCode: d.failureCode ?? rest.failureCode,
      settledAt: d.settledAt ?? rest.settledAt,
    })
    return { status: 'applied', version: put.version }
  },

  async 'waiver.record'(ctx, m) {
    const d = m.data
    sameId(d.id, m.entityId)
    await need(ctx, 'offering', d.offeringId)
    await need(ctx, 'student', d.studentId)
    if (await ctx.store.record('waiver', d.id)) refuse('already_exists', `waiver ${d.id} exists`)
    await ctx.store.put('waiver', { ...d, schoolId: ctx.schoolId })
    return { status: 'applied', version: 1 }
  },

  async 'credit.record'(ctx, m) {
    const d = m.data
    sameId(d.id, m.entityId)
    const existing = await ctx.store.record('credit', d.id)
    if (existing) {
      if (existing.schoolId !== ctx.schoolId) refuse('school_mismatch', `credit ${d.id} is another school's`)
      // The same entry sent again under another mutation id (an outbox row written twice) is the
      // same money: nothing to add. Other content under its id would be a second entry.
      if (creditContent(existing) === creditContent(d)) return { status: 'applied', version: existing.version }
      refuse('already_exists', `credit ${d.id} exists with other content`)
    }
    await need(ctx, 'guardian', d.guardianId)
    if (d.kind === 'granted') {
      const refund = await need(ctx, 'refund', d.refundId!)
      const order = await need(ctx, 'order', (await need(ctx, 'payment', refund.paymentId)).orderId)
      if (order.guardianId !== d.guardianId) refuse('family_mismatch', `refund ${refund.id} was paid by guardian ${order.guardianId}`)
      // What the school owes as credit: a card refund the processor could not make (or reversed),
      // or a refund to credit, which is settled as credit by definition.
      const tender = refund.tender ?? 'card' // stored before tenders: none
      const owed = tender === 'credit' ? refund.status === 'succeeded' : refund.status === 'failed'
      if (!owed) refuse('refund_not_creditable', `refund ${refund.id} is ${refund.status} (${tender})`)
      if (d.amountCents !== refund.amountCents) refuse('amount_mismatch', `refund ${refund.id} is for ${refund.amountCents}`, [{ path: ['data', 'amountCents'], code: 'amount_mismatch' }])
      const { grantedFor } = await ctx.store.creditFacts(refund.id, null)
      if (grantedFor) refuse('already_exists', `refund ${refund.id} is already credited by ${grantedFor}`)
    } else {
      const order = await need(ctx, 'order', d.orderId!)
      if (order.guardianId !== d.guardianId) refuse('family_mismatch', `order ${order.id} is guardian ${order.guardianId}'s`)
      // A credit is spent on a sale the board knows was paid with it: the sale's order.record comes first.
      const paidWithCredit = await ctx.store.creditPaidOnOrder(order.id)
      const { usedOnOrderCents } = await ctx.store.creditFacts(null, order.id)
      if (usedOnOrderCents + d.amountCents > paidWithCredit) {
        refuse('amount_mismatch', `order ${order.id}: ${usedOnOrderCents} + ${d.amountCents} > ${paidWithCredit} paid with credit`, [{ path: ['data', 'amountCents'], code: 'amount_mismatch' }])
      }
      const balance = await ctx.store.creditBalance(ctx.schoolId, d.guardianId)
      if (d.amountCents > balance) refuse('credit_exceeds_balance', `${d.amountCents} > balance ${balance}`, [{ path: ['data', 'amountCents'], code: 'credit_exceeds_balance' }])
    }
    const put = await ctx.store.put('credit', { ...d, schoolId: ctx.schoolId })
    return { status: 'applied', version: put.version }
  },

  async 'notification.request'(ctx, m) {
    const d = m.data
    if (d.kind === 'reminder') {
      if (!d.offeringId) refuse('invalid_payload', 'a reminder names its item', [{ path: ['data', 'offeringId'], code: 'required' }])
      await need(ctx, 'offering', d.offeringId)
    } else {
      if (!d.paymentId) refuse('invalid_payload', 'a receipt names its payment', [{ path: ['data', 'paymentId'], code: 'required' }])
      await need(ctx, 'payment', d.paymentId)
    }
    for (const g of d.guardianIds) await need(ctx, 'guardian', g)
    await emailAll(ctx, d.kind, d.guardianIds, d.kind === 'reminder' ? { offeringId: d.offeringId! } : { paymentId: d.paymentId! })
    return { status: 'applied' }
  },

  async 'exception.record'(ctx, m) {
    await need(ctx, 'offering', m.data.offeringId)
    if (m.data.studentId) await need(ctx, 'student', m.data.studentId)
    await recordException(ctx.store, ctx.schoolId, ctx.mutationId, m.data)
    return { status: 'applied' }
  },
}
