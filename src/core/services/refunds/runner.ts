import type { Kysely } from 'kysely'
import {
  ProcessorRefusal,
  TransientProcessorError,
  withRetries,
  type CardProcessor,
  type RefundResult,
  type RetryPolicy,
} from '../../adapters/processors'
import type { DB, PaymentsTable, RefundTender } from '../../db/schema'
import { writeAudit, type Actor } from '../audit'
import { grantCredit } from '../credits'
import { enqueue } from '../outbox'
import type { PaymentProcessor, ProcessorProvider } from './processors'

/**
 * Asks the processors for the refunds that staff requested, outside any call's transaction.
 *
 * A command (refunds.refundLines, startBulk, retry…) writes the job and its pending refunds, with
 * their idempotency keys, and commits; then it kicks the runner (dispatch's afterCommit). The
 * runner takes the pending refunds of every job one at a time, oldest job first:
 *
 * 1. a refund the processor already has as pending (its reference is known) is looked at again
 *    (`refundStatus`);
 * 2. a refund that was sent before without an answer recorded (the app died, or the network
 *    failed) is looked for first (`findRefund`, by its refundId in the metadata);
 * 3. otherwise a `sent` event is written and committed, then the processor is asked
 *    (`refund`, the same idempotency key and parameters on every try, so it never makes two);
 * 4. the answer is recorded in its own transaction, with the outbox mutation and the audit row.
 *
 * A transient failure leaves the refund pending (an event says why) and a later pass tries again;
 * a refusal settles it failed. A crash anywhere loses nothing: the next pass (at start-up, or
 * when staff resume the job) starts again from the table. One pass at a time per core.
 *
 * Succeeded refunds are looked at again for a while (`followUp`): the processor may fail one
 * later (an expired prepaid card); that becomes a `reversed` event, never an edit.
 */
export interface RefundRunnerOptions {
  db: Kysely<DB>
  processors: ProcessorProvider
  nowMs: () => number
  /** Retries of one processor call within a pass (same key). */
  retry?: RetryPolicy
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** After a pass that left refunds pending, the next pass comes after this (doubling, up to 10 min). */
  repassMs?: number
  /** Succeeded refunds are looked at again every `everyMs`, for `windowMs` after they succeeded. */
  followUp?: { everyMs: number; windowMs: number }
  logError?: (error: unknown) => void
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_000 }
const MAX_REPASS_MS = 10 * 60_000
const SYSTEM: Actor = { staffId: null, name: 'system' }

export interface PassResult {
  /** Refunds looked at in this pass. */
  processed: number
  settled: number
  /** Still pending after the pass (at the processor, or to try again). */
  pending: number
}

type StepOutcome = 'settled' | 'pending'

interface PendingRefund {
  id: string
  payment_id: string
  order_line_id: string | null
  amount_cents: number
  reason: string
  idempotency_key: string
  processor_ref: string | null
  requested_at: string
  requested_by: string | null
  source_id: string | null
  processor: PaymentsTable['processor']
  tender: RefundTender
  payment_ref: string
  payment_source_id: string | null
  school_id: string
  job_id: string
}

export class RefundRunner {
  private readonly db: Kysely<DB>
  private readonly options: RefundRunnerOptions
  private running: Promise<void> | null = null
  private again = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  private repassMs: number
  private lastFollowUpMs = Number.NEGATIVE_INFINITY
  private readonly checkedAt = new Map<string, number>()

  constructor(options: RefundRunnerOptions) {
    this.db = options.db
    this.options = options
    this.repassMs = options.repassMs ?? 5_000
  }

  /** Which processor refunds a payment: the handlers check it before they write a refund. */
  get processors(): ProcessorProvider {
    return this.options.processors
  }

  processorFor(taken: PaymentProcessor): CardProcessor | null {
    return this.options.processors.forPayment(taken)
  }

  /** Starts a pass soon; when one is running, another follows it. Never throws. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.running = this.loop().finally(() => {
      this.running = null
    })
  }

  /** Resolves once no pass is running (a pass scheduled for later does not count). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Runs passes now until nothing is pending or `maxPasses` ran (tests, and a "resume" action). */
  async drain(maxPasses = 20): Promise<PassResult> {
    await this.whenIdle()
    let last: PassResult = { processed: 0, settled: 0, pending: 0 }
    for (let i = 0; i < maxPasses; i++) {
      last = await this.exclusive(() => this.runPass())
      if (last.pending === 0) break
    }
    return last
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.whenIdle()
  }

  private async exclusive<T>(op: () => Promise<T>): Promise<T> {
    while (this.running) await this.running
    let result!: T
    this.running = (async () => {
      result = await op()
    })().finally(() => {
      this.running = null
      if (this.again) {
        this.again = false
        this.kick()
      }
    })
    await this.running
    return result
  }

  private async loop(): Promise<void> {
    let pending: number
    do {
      this.again = false
      try {
        pending = (await this.runPass()).pending
        if (this.options.nowMs() - this.lastFollowUpMs >= (this.options.followUp?.everyMs ?? 6 * 60 * 60_000)) await this.followUp()
      } catch (error) {
        this.options.logError?.(error)
        pending = 1
      }
    } while (this.again && !this.stopped)
    if (pending > 0 && !this.stopped) {
      const delay = this.repassMs
      this.repassMs = Math.min(MAX_REPASS_MS, this.repassMs * 2)
      this.timer = setTimeout(() => {
        this.timer = null
        this.kick()
      }, delay)
      this.timer.unref?.()
    } else {
      this.repassMs = this.options.repassMs ?? 5_000
    }
  }

  /** One look at every pending refund of every job, oldest job first, one at a time. */
  async runPass(): Promise<PassResult> {
    const ids = await this.db
      .selectFrom('refund_job_items as i')
      .innerJoin('refunds as r', 'r.id', 'i.refund_id')
      .innerJoin('refund_jobs as j', 'j.id', 'i.job_id')
      .select('r.id')
      .where('r.status', '=', 'pending')
      .orderBy('j.created_at')
      .orderBy('j.id')
      .orderBy('i.seq')
      .execute()
    const result: PassResult = { processed: 0, settled: 0, pending: 0 }
    for (const { id } of ids) {
      if (this.stopped) {
        result.pending += 1
        continue
      }
      const outcome = await this.step(id)
      result.processed += 1
      if (outcome === 'settled') result.settled += 1
      else result.pending += 1
    }
    return result
  }

  /** One refund: ask, or look again, then record what the processor said. */
  async step(refundId: string): Promise<StepOutcome> {
    const r = await this.pendingRefund(refundId)
    if (!r) return 'settled'
    if (r.tender === 'credit') {
      await this.backToCredit(r)
      return 'settled'
    }
    const processor = r.processor === 'credit' ? null : this.processorFor(r.processor)
    if (!processor) {
      await this.event(r.id, 'transient', { code: 'processor_unavailable' })
      return 'pending'
    }
    try {
      let result: RefundResult | null = null
      const knownRef = r.processor_ref
      if (knownRef) {
        result = await this.call(() => processor.refundStatus(knownRef))
      } else {
        const sent = await this.db.selectFrom('refund_events').select('seq').where('refund_id', '=', r.id).where('kind', '=', 'sent').executeTakeFirst()
        if (sent) result = await this.call(() => processor.findRefund(r.id, r.payment_ref))
        if (!result) {
          await this.event(r.id, 'sent')
          result = await this.call(() =>
            processor.refund({
              paymentRef: r.payment_ref,
              amountCents: r.amount_cents,
              idempotencyKey: r.idempotency_key,
              metadata: { refundId: r.id, paymentId: r.payment_id, jobId: r.job_id },
              requestedAt: r.requested_at,
            }),
          )
        }
      }
      return await this.record(r, result)
    } catch (error) {
      if (error instanceof ProcessorRefusal) {
        await this.refused(r, error)
        return 'settled'
      }
      if (!(error instanceof TransientProcessorError)) this.options.logError?.(error)
      await this.event(r.id, 'transient', { code: error instanceof TransientProcessorError ? error.reason : 'internal' })
      return 'pending'
    }
  }

  /**
   * Looks again at succeeded refunds of the last `windowMs` (at least `everyMs` old) that were
   * not looked at for `everyMs`; a refund the processor now has as failed is reversed. Returns
   * how many were.
   */
  async followUp(limit = 200): Promise<number> {
    const now = this.options.nowMs()
    this.lastFollowUpMs = now
    const window = this.options.followUp?.windowMs ?? 30 * 24 * 60 * 60_000
    const every = this.options.followUp?.everyMs ?? 6 * 60 * 60_000
    const rows = await this.db
      .selectFrom('refund_states as s')
      .innerJoin('refund_job_items as i', 'i.refund_id', 's.id')
      .innerJoin('refunds as r', 'r.id', 's.id')
      .innerJoin('payments as p', 'p.id', 's.payment_id')
      .select(['s.id', 's.processor_ref', 'p.processor'])
      .where('s.status', '=', 'succeeded')
      // A refund to the family's credit is final at once: no processor to ask again.
      .where('r.tender', '=', 'card')
      .where('s.processor_ref', 'is not', null)
      .where('s.settled_at', '>=', new Date(now - window).toISOString())
      .where('s.settled_at', '<=', new Date(now - every).toISOString())
      .orderBy('s.settled_at', 'desc')
      .execute()
    let reversed = 0
    let looked = 0
    for (const row of rows) {
      if (looked >= limit || this.stopped) break
      if (now - (this.checkedAt.get(row.id) ?? Number.NEGATIVE_INFINITY) < every) continue
      const processor = row.processor === 'credit' ? null : this.processorFor(row.processor)
      if (!processor || !row.processor_ref) continue
      looked += 1
      this.checkedAt.set(row.id, now)
      try {
        const status = await processor.refundStatus(row.processor_ref)
        if (status.status === 'failed' && (await this.reverse(row.id, status.failureCode ?? 'unknown'))) reversed += 1
      } catch (error) {
        if (!(error instanceof TransientProcessorError)) this.options.logError?.(error)
      }
    }
    return reversed
  }

  // -------------------------------------------------------------------------------------------

  private call<T>(op: () => Promise<T>): Promise<T> {
    return withRetries(op, {
      policy: this.options.retry ?? DEFAULT_RETRY,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      ...(this.options.random ? { random: this.options.random } : {}),
    })
  }

  private now(): string {
    return new Date(this.options.nowMs()).toISOString()
  }

  private async pendingRefund(refundId: string): Promise<PendingRefund | undefined> {
    return this.db
      .selectFrom('refunds as r')
      .innerJoin('payments as p', 'p.id', 'r.payment_id')
      .innerJoin('refund_job_items as i', 'i.refund_id', 'r.id')
      .select([
        'r.id',
        'r.payment_id',
        'r.order_line_id',
        'r.amount_cents',
        'r.reason',
        'r.idempotency_key',
        'r.processor_ref',
        'r.requested_at',
        'r.requested_by',
        'r.source_id',
        'r.tender',
        'p.processor',
        'p.processor_ref as payment_ref',
        'p.source_id as payment_source_id',
        'p.school_id',
        'i.job_id',
      ])
      .where('r.id', '=', refundId)
      .where('r.status', '=', 'pending')
      .executeTakeFirst()
  }

  private async event(refundId: string, kind: 'sent' | 'pending' | 'transient' | 'refused', extra: { processorRef?: string; code?: string } = {}): Promise<void> {
    await this.db
      .insertInto('refund_events')
      .values({ refund_id: refundId, kind, at: this.now(), processor_ref: extra.processorRef ?? null, code: extra.code ?? null })
      .execute()
  }

  private async record(r: PendingRefund, result: RefundResult): Promise<StepOutcome> {
    const now = this.now()
    if (result.amountCents !== r.amount_cents) {
      this.options.logError?.(new Error(`refund ${r.id}: the processor has ${result.amountCents} cents, the ledger ${r.amount_cents}`))
    }
    if (result.status === 'pending') {
      if (r.processor_ref !== result.processorRef) {
        await this.db.transaction().execute(async (trx) => {
          await trx.updateTable('refunds').set({ processor_ref: result.processorRef }).where('id', '=', r.id).where('status', '=', 'pending').execute()
          await trx.insertInto('refund_events').values({ refund_id: r.id, kind: 'pending', at: now, processor_ref: result.processorRef, code: null }).execute()
        })
      }
      return 'pending'
    }
    await this.settle(r, result.status, result.processorRef, result.failureCode ?? null, now)
    return 'settled'
  }

  /**
   * The part of a payment the family paid with credit goes back to its credit: settled at once,
   * with a 'granted' entry naming the refund (the 0013 trigger checks it is the whole of it), in
   * the same transaction as the refund's outbox mutation and audit row. The entry's own mutation
   * follows the refund's: the board grants a credit only for a refund it already has.
   */
  private async backToCredit(r: PendingRefund): Promise<void> {
    await this.settle(r, 'succeeded', `credit-${r.id}`, null, this.now(), undefined, async (trx, now) => {
      const order = await trx.selectFrom('payments as p').innerJoin('orders as o', 'o.id', 'p.order_id').select(['o.guardian_id']).where('p.id', '=', r.payment_id).executeTakeFirstOrThrow()
      await grantCredit(trx, { staffId: r.requested_by, now }, { schoolId: r.school_id, guardianId: order.guardian_id, amountCents: r.amount_cents, refundId: r.id, reason: r.reason })
    })
  }

  private async refused(r: PendingRefund, error: ProcessorRefusal): Promise<void> {
    await this.settle(r, 'failed', r.processor_ref, error.code, this.now(), async (trx, now) => {
      await trx.insertInto('refund_events').values({ refund_id: r.id, kind: 'refused', at: now, processor_ref: null, code: error.code }).execute()
      if (error.code === 'refund.paymentVoided') {
        await trx
          .insertInto('payment_voids')
          .values({ payment_id: r.payment_id, source: 'processor', reason: error.code, recorded_by: null, voided_at: now })
          .onConflict((oc) => oc.column('payment_id').doNothing())
          .execute()
      }
    })
  }

  /**
   * The processor's final answer, its outbox mutation and its audit row: one transaction. `also`
   * writes before the refund's mutation, `after` after it (a mutation that names the refund).
   */
  private async settle(
    r: PendingRefund,
    status: 'succeeded' | 'failed',
    processorRef: string | null,
    failureCode: string | null,
    now: string,
    also?: (trx: Kysely<DB>, now: string) => Promise<void>,
    after?: (trx: Kysely<DB>, now: string) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('refunds')
        .set({ status, processor_ref: processorRef, failure_message: failureCode, settled_at: now })
        .where('id', '=', r.id)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 0) return
      await also?.(trx, now)
      await enqueue(trx, now, {
        schoolId: r.school_id,
        type: 'refund.record',
        entityId: r.id,
        data: {
          id: r.id,
          sourceId: r.source_id,
          paymentId: r.payment_id,
          paymentSourceId: r.payment_source_id,
          orderLineId: r.order_line_id,
          amountCents: r.amount_cents,
          reason: r.reason,
          status,
          processorRef,
          failureCode,
          requestedAt: r.requested_at,
          settledAt: now,
          tender: r.tender,
        },
      })
      await after?.(trx, now)
      await writeAudit(trx, now, SYSTEM, 'refunds.settled', {
        entity: 'refund',
        entityId: r.id,
        before: { status: 'pending' },
        after: { status, processorRef, failureCode, amountCents: r.amount_cents },
      })
    })
  }

  private async reverse(refundId: string, failureCode: string): Promise<boolean> {
    const now = this.now()
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .selectFrom('refund_states as s')
        .innerJoin('payments as p', 'p.id', 's.payment_id')
        .select(['s.id', 's.status', 's.amount_cents', 's.processor_ref', 'p.school_id'])
        .where('s.id', '=', refundId)
        .executeTakeFirst()
      if (!r || r.status !== 'succeeded') return false
      await trx.insertInto('refund_events').values({ refund_id: refundId, kind: 'reversed', at: now, processor_ref: r.processor_ref, code: failureCode }).execute()
      await enqueue(trx, now, {
        schoolId: r.school_id,
        type: 'refund.record',
        entityId: refundId,
        data: { id: refundId, status: 'failed', reversed: true, failureCode, processorRef: r.processor_ref, amountCents: r.amount_cents, settledAt: now },
      })
      await writeAudit(trx, now, SYSTEM, 'refunds.reversed', {
        entity: 'refund',
        entityId: refundId,
        before: { status: 'succeeded' },
        after: { status: 'failed', failureCode },
      })
      return true
    })
  }
}
