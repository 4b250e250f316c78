import type { Kysely } from 'kysely'
import { GuichetError } from '../../../shared/errors'
import type { DB } from '../../db/schema'
import { refundFacts } from './ledger'
import type { ProcessorProvider } from './processors'
import { runningJobFor } from './queries'
import { requestRefunds, type RequestedJob, type Requester } from './requests'

/** A whole order: all that is left on each of its lines. */
export async function refundOrder(db: Kysely<DB>, who: Requester, orderId: string, reason: string, processors: ProcessorProvider): Promise<RequestedJob> {
  const order = await db.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst()
  if (!order) throw new GuichetError('NOT_FOUND', { what: 'order' })
  const lines = await db
    .selectFrom('line_refundable')
    .select(['order_line_id', 'refundable_cents', 'paid_cents', 'voided'])
    .where('order_id', '=', orderId)
    .orderBy('order_line_id')
    .execute()
  const left = lines.filter((l) => l.refundable_cents > 0)
  if (left.length === 0) {
    // An unpaid or voided order is refused as such; a paid one with nothing left has nothing to do.
    if (lines.length > 0 && lines.every((l) => l.paid_cents === 0)) {
      const key = lines.some((l) => l.voided === 1) ? 'refund.paymentVoided' : 'refund.notPaid'
      throw new GuichetError('REFUND_REFUSED', { count: 1 }, [{ path: 'orderId', key }])
    }
    throw new GuichetError('REFUND_NOTHING_LEFT')
  }
  return requestRefunds(
    db,
    who,
    { kind: 'order', reason, orderId, items: left.map((l) => ({ lineId: l.order_line_id, amountCents: l.refundable_cents })), pathOf: () => 'orderId' },
    processors,
  )
}

export type BulkTarget = { kind: 'programDate'; programDateId: string } | { kind: 'offering'; offeringId: string }

/**
 * Every paid line of a cancelled program date or a cancelled item, each for all that is left on
 * it. A job already working on the same target is returned instead (`resumed`): asking twice
 * never refunds twice, and the lines it holds have nothing left anyway.
 */
export async function startBulk(
  db: Kysely<DB>,
  who: Requester,
  target: BulkTarget,
  reason: string,
  processors: ProcessorProvider,
): Promise<{ jobId: string; resumed: boolean }> {
  let offeringId: string
  let programDateId: string | undefined
  if (target.kind === 'programDate') {
    const date = await db.selectFrom('program_dates').select(['id', 'offering_id', 'status']).where('id', '=', target.programDateId).executeTakeFirst()
    if (!date) throw new GuichetError('NOT_FOUND', { what: 'programDate' })
    const offering = await db.selectFrom('offerings').select('status').where('id', '=', date.offering_id).executeTakeFirstOrThrow()
    if (date.status !== 'cancelled' && offering.status !== 'cancelled') throw new GuichetError('REFUND_NOT_CANCELLED')
    offeringId = date.offering_id
    programDateId = date.id
  } else {
    const offering = await db.selectFrom('offerings').select(['id', 'status']).where('id', '=', target.offeringId).executeTakeFirst()
    if (!offering) throw new GuichetError('NOT_FOUND', { what: 'offering' })
    if (offering.status !== 'cancelled') throw new GuichetError('REFUND_NOT_CANCELLED')
    offeringId = offering.id
  }

  const running = await runningJobFor(db, programDateId ? { programDateId } : { offeringId })
  if (running) return { jobId: running, resumed: true }

  let q = db
    .selectFrom('line_refundable as x')
    .innerJoin('order_lines as l', 'l.id', 'x.order_line_id')
    .select(['x.order_line_id', 'x.refundable_cents'])
    .where('x.refundable_cents', '>', 0)
  q = programDateId ? q.where('l.program_date_id', '=', programDateId) : q.where('l.offering_id', '=', offeringId)
  const lines = await q.orderBy('l.order_id').orderBy('l.id').execute()
  if (lines.length === 0) throw new GuichetError('REFUND_NOTHING_LEFT')
  const job = await requestRefunds(
    db,
    who,
    {
      kind: programDateId ? 'program_date' : 'offering',
      reason,
      offeringId,
      ...(programDateId ? { programDateId } : {}),
      items: lines.map((l) => ({ lineId: l.order_line_id, amountCents: l.refundable_cents })),
      pathOf: () => 'target',
    },
    processors,
  )
  return { jobId: job.jobId, resumed: false }
}

/**
 * Asks again for a failed refund: a new refund of the same amount on the same line (a new key
 * and refundId: a processor never revives a failed refund), and the failed one resolved as
 * retried, with the staff member's reason. The first request's approval covers it.
 */
export async function retryRefund(db: Kysely<DB>, who: Requester, refundId: string, reason: string, processors: ProcessorProvider): Promise<RequestedJob> {
  const refund = await refundFacts(db, refundId)
  if (!refund) throw new GuichetError('NOT_FOUND', { what: 'refund' })
  if (refund.status !== 'failed' || refund.resolved) throw new GuichetError('REFUND_NOT_FAILED')
  const original = await db.selectFrom('refunds').select('reason').where('id', '=', refundId).executeTakeFirstOrThrow()
  const job = await requestRefunds(
    db,
    who,
    {
      kind: 'retry',
      reason: original.reason,
      items: [{ lineId: refund.orderLineId, paymentId: refund.paymentId, amountCents: refund.amountCents }],
      pathOf: () => 'refundId',
      approved: true,
    },
    processors,
  )
  await db
    .insertInto('refund_resolutions')
    .values({ refund_id: refundId, kind: 'retried', retry_refund_id: job.refunds[0]!.refundId, credit_id: null, reason, resolved_by: who.staffId, resolved_at: who.now })
    .execute()
  return job
}
