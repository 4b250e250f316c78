import { sql, type Kysely } from 'kysely'
import type { KioskPayParsed, KioskPaymentView } from '../../../shared/contract/kiosk'
import { GuichetError } from '../../../shared/errors'
import type { Locale } from '../../../shared/i18n'
import type { CardProcessor, ChargeResult } from '../../adapters/processors'
import type { HandlerContext } from '../../api/types'
import type { DB, KioskChargesTable } from '../../db/schema'
import { cartSignature, type PricedLine } from '../../domain/kiosk'
import { nextReceiptNumber } from '../../domain/money'
import { translateCode } from '../../i18n'
import type { AuditEntry } from '../audit'
import { newId } from '../ids'
import { enqueue } from '../outbox'
import { getSetting } from '../settings'
import { schoolLines } from './cart'
import { demoCardLast4, kioskCharges, MAX_TRANSIENT_TRIES, type ChargeRun } from './charges'
import { creditBalance, enqueueCredit, useCredit } from '../credits'
import { requireKiosk, type KioskState } from './session'

/**
 * Paying one school's part of the kiosk cart (DOMAIN.md, "Payments"):
 *
 * 1. in the call's transaction: every line checked again now (deadline, stock, seats), the order
 *    and its lines written (or the order of a declined attempt reused, for the same lines), and the
 *    charge row with its idempotency key; committed;
 * 2. after the commit, outside any transaction: the card charged (charges.ts);
 * 3. in a later call's transaction (`kiosk.payment`, or the office's `kiosk.checkPending`): the
 *    answer recorded, with a payment under the school's next receipt number in this PC's series
 *    'office' (allocated in that write transaction: sequential, no gap, no duplicate; UNIQUE
 *    (school_id, receipt_series, receipt_number) of 0011 backs it; the board numbers its own
 *    series, so a pulled board payment never takes an office number), and the sale sent to the
 *    board (`order.record`) in the same transaction.
 */

/** Where the Stripe Terminal reader's id is kept (settings table). */
export const KIOSK_READER_SETTING = 'kiosk.readerId'

/** The processor that takes kiosk payments: Stripe when configured, the demo processor otherwise. */
export function kioskProcessor(ctx: HandlerContext): CardProcessor {
  const processor = ctx.core.refunds.processors.forPayment('board')
  if (!processor) throw new GuichetError('PROCESSOR_UNAVAILABLE')
  return processor
}

function processorOf(ctx: HandlerContext, row: KioskChargesTable): CardProcessor | null {
  return ctx.core.refunds.processors.forPayment(row.processor)
}

export async function pay(ctx: HandlerContext, input: KioskPayParsed): Promise<KioskPaymentView> {
  const { kiosk, guardianId } = requireKiosk(ctx)
  const charges = kioskCharges(ctx.core)

  // The same press of "Pay" again (a double tap, a request sent twice): the same charge.
  const replay = await ctx.db.selectFrom('kiosk_charges').selectAll().where('request_id', '=', input.requestId).executeTakeFirst()
  if (replay) {
    if (replay.guardian_id !== guardianId) throw new GuichetError('FORBIDDEN')
    ctx.audit({ entity: 'kiosk_charge', entityId: replay.id, detail: { kiosk: 'pay.replay' } })
    return chargeStatus(ctx, replay, kiosk)
  }

  // A sale the family's credit paid whole, asked again: the same sale.
  const creditReplay = await ctx.db
    .selectFrom('payments')
    .select(['id', 'school_id', 'amount_cents', 'credit_cents', 'receipt_number', 'receipt_series'])
    .where('processor', '=', 'credit')
    .where('processor_ref', '=', creditSaleRef(input.requestId))
    .executeTakeFirst()
  if (creditReplay) {
    return saleView(ctx.db, { schoolId: creditReplay.school_id, amountCents: creditReplay.amount_cents, creditCents: creditReplay.credit_cents }, { status: 'approved', paymentId: creditReplay.id, receiptNumber: creditReplay.receipt_number, receiptSeries: creditReplay.receipt_series })
  }

  // One card at a time per family and school: a second charge never starts while one is out (and
  // so the credit a charge counts on is still there when its answer is recorded).
  const open = await ctx.db
    .selectFrom('kiosk_charges as k')
    .select('k.id')
    .where('k.guardian_id', '=', guardianId)
    .where('k.school_id', '=', input.schoolId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('kiosk_charge_outcomes as x').select('x.charge_id').whereRef('x.charge_id', '=', 'k.id'))))
    .executeTakeFirst()
  if (open) throw new GuichetError('KIOSK_PAYMENT_BUSY')

  const lines = await schoolLines(ctx, kiosk, guardianId, input.schoolId)
  const total = lines.reduce((sum, l) => sum + l.amountCents, 0)
  if (total <= 0) throw new GuichetError('BAD_REQUEST', { reason: 'nothingToPay' })
  const creditCents = input.useCredit ? Math.min(total, await creditBalance(ctx.db, input.schoolId, guardianId)) : 0
  const cardCents = total - creditCents
  if (cardCents > 0 && input.card === null) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'card', key: 'kiosk.pay.cardRequired' }])

  const processor = cardCents > 0 ? kioskProcessor(ctx) : null
  let method: { method: 'test_card' | 'terminal'; ref: string } | null = null
  if (processor && input.card) {
    if (input.card.kind === 'terminal') {
      const reader = await getSetting(ctx.db, KIOSK_READER_SETTING)
      if (processor.isDemo || !reader) throw new GuichetError('BAD_REQUEST', { reason: 'noCardReader' })
      method = { method: 'terminal', ref: reader }
    } else {
      const last4 = demoCardLast4(input.card.number)
      if (!last4) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'card.number', key: 'kiosk.pay.notDemoCard' }])
      method = { method: 'test_card', ref: last4 }
    }
  }

  const signature = cartSignature(lines)
  const orderId = (await reusableOrder(ctx.db, kiosk, input.schoolId, signature)) ?? (await writeOrder(ctx, kiosk, guardianId, input.schoolId, lines))

  if (!processor || !method) {
    // The family's credit pays the whole: nothing to charge, the sale is recorded now.
    const sale = await recordSale(ctx.db, ctx.now, { orderId, schoolId: input.schoolId, staffId: kiosk.openedBy.staffId, creditCents, card: null, requestId: input.requestId }, (entry) => ctx.audit(entry))
    ctx.afterCommit(() => {
      kiosk.payments.add(sale.paymentId)
      kiosk.orders.delete(input.schoolId)
      for (const [key, line] of kiosk.cart) if (line.schoolId === input.schoolId) kiosk.cart.delete(key)
    })
    return saleView(ctx.db, { schoolId: input.schoolId, amountCents: total, creditCents }, { status: 'approved', paymentId: sale.paymentId, receiptNumber: sale.receiptNumber, receiptSeries: 'office' })
  }

  const chargeId = newId()
  const row: KioskChargesTable = {
    id: chargeId,
    request_id: input.requestId,
    order_id: orderId,
    school_id: input.schoolId,
    guardian_id: guardianId,
    amount_cents: cardCents,
    credit_cents: creditCents,
    processor: processor.kind,
    idempotency_key: `kiosk-charge-${chargeId}`,
    method: method.method,
    method_ref: method.ref,
    opened_by: kiosk.openedBy.staffId,
    created_at: ctx.now,
  }
  await ctx.db.insertInto('kiosk_charges').values(row).execute()
  // Never the card number in the audit log: the method and the demo card's last four digits.
  ctx.audit({ entity: 'order', entityId: orderId, after: { schoolId: input.schoolId, guardianId, amountCents: total, creditCents, lines: lines.length, chargeId, method: method.method, ref: method.ref } })
  const started = processor
  ctx.afterCommit(() => {
    kiosk.orders.set(input.schoolId, { orderId, signature })
    kiosk.charges.add(chargeId)
    charges.start(row, started)
  })
  return view(ctx.db, row, { status: 'processing' })
}

/** A sale paid wholly with credit has no card reference: the kiosk's request stands for it. */
function creditSaleRef(requestId: string): string {
  return `kiosk-request-${requestId}`
}

/** The order of an earlier attempt for the same lines (a card declined), if it is still unpaid. */
async function reusableOrder(db: Kysely<DB>, kiosk: KioskState, schoolId: string, signature: string): Promise<string | null> {
  const previous = kiosk.orders.get(schoolId)
  if (!previous || previous.signature !== signature) return null
  const paid = await db.selectFrom('payments').select('id').where('order_id', '=', previous.orderId).executeTakeFirst()
  return paid ? null : previous.orderId
}

async function writeOrder(ctx: HandlerContext, kiosk: KioskState, guardianId: string, schoolId: string, lines: readonly PricedLine[]): Promise<string> {
  const orderId = newId()
  await ctx.db.insertInto('orders').values({ id: orderId, school_id: schoolId, guardian_id: guardianId, channel: 'kiosk', created_at: ctx.now, created_by: kiosk.openedBy.staffId }).execute()
  await ctx.db
    .insertInto('order_lines')
    .values(
      lines.map((l) => ({
        id: newId(),
        order_id: orderId,
        student_id: l.studentId,
        offering_id: l.offeringId,
        variant_id: l.variantId,
        program_date_id: l.programDateId,
        quantity: l.quantity,
        unit_price_cents: l.unitPriceCents,
        amount_cents: l.amountCents,
      })),
    )
    .execute()
  return orderId
}

/** `kiosk.payment`: where the charge stands, its answer recorded once it came. */
export async function payment(ctx: HandlerContext, chargeId: string): Promise<KioskPaymentView> {
  const { kiosk, guardianId } = requireKiosk(ctx)
  const row = await ctx.db.selectFrom('kiosk_charges').selectAll().where('id', '=', chargeId).executeTakeFirst()
  if (!row || row.guardian_id !== guardianId) throw new GuichetError('FORBIDDEN')
  return chargeStatus(ctx, row, kiosk)
}

/**
 * The charge as it stands. An answer that came is recorded now (in this call's transaction);
 * a charge with no answer in memory (the app restarted, or a transient failure) is asked again
 * after this call commits, with the same key.
 */
async function chargeStatus(ctx: HandlerContext, row: KioskChargesTable, kiosk: KioskState | null): Promise<KioskPaymentView> {
  const charges = kioskCharges(ctx.core)
  const recorded = await outcomeView(ctx.db, ctx.locale, row)
  if (recorded) return recorded
  const run = charges.get(row.id)
  if (!run || (run.state === 'transient' && run.tries < MAX_TRANSIENT_TRIES) || (run.state === 'transient' && kiosk === null)) {
    ctx.afterCommit(() => charges.start(row, processorOf(ctx, row)))
    return view(ctx.db, row, { status: 'processing' })
  }
  if (run.state === 'running') return view(ctx.db, row, { status: 'processing' })
  if (run.state === 'transient') return view(ctx.db, row, { status: 'unconfirmed', message: translateCode(ctx.locale, 'kiosk.pay.unconfirmed') })
  const result = await record(ctx.db, ctx.now, row, run, (entry) => ctx.audit(entry))
  ctx.afterCommit(() => {
    charges.forget(row.id)
    if (kiosk && kiosk.charges.has(row.id) && result.status === 'approved' && result.paymentId) {
      kiosk.payments.add(result.paymentId)
      kiosk.orders.delete(row.school_id)
      for (const [key, line] of kiosk.cart) if (line.schoolId === row.school_id) kiosk.cart.delete(key)
    }
  })
  return (await outcomeView(ctx.db, ctx.locale, row)) ?? view(ctx.db, row, { status: 'processing' })
}

/** Writes the processor's final answer: a payment with the next receipt number, or a refusal. */
async function record(db: Kysely<DB>, now: string, row: KioskChargesTable, run: Extract<ChargeRun, { state: 'answered' | 'refused' }>, audit: (entry: AuditEntry) => void): Promise<{ status: 'approved' | 'declined' | 'failed'; paymentId: string | null }> {
  if (run.state === 'refused') {
    await db.insertInto('kiosk_charge_outcomes').values({ charge_id: row.id, order_id: row.order_id, status: 'failed', payment_id: null, code: run.code, processor_ref: null, recorded_at: now }).execute()
    audit({ entity: 'kiosk_charge', entityId: row.id, after: { status: 'failed', code: run.code } })
    return { status: 'failed', paymentId: null }
  }
  const result: ChargeResult = run.result
  if (result.status === 'declined') {
    await db
      .insertInto('kiosk_charge_outcomes')
      .values({ charge_id: row.id, order_id: row.order_id, status: 'declined', payment_id: null, code: result.code, processor_ref: result.processorRef ?? null, recorded_at: now })
      .execute()
    audit({ entity: 'kiosk_charge', entityId: row.id, after: { status: 'declined', code: result.code } })
    return { status: 'declined', paymentId: null }
  }
  if (result.amountCents !== row.amount_cents) throw new Error(`the processor charged ${result.amountCents} for a charge of ${row.amount_cents}`)
  const sale = await recordSale(
    db,
    now,
    { orderId: row.order_id, schoolId: row.school_id, staffId: row.opened_by, creditCents: row.credit_cents, card: { processor: row.processor, processorRef: result.processorRef, cardBrand: result.cardBrand, last4: result.last4, amountCents: row.amount_cents } },
    audit,
  )
  await db.insertInto('kiosk_charge_outcomes').values({ charge_id: row.id, order_id: row.order_id, status: 'succeeded', payment_id: sale.paymentId, code: null, processor_ref: result.processorRef, recorded_at: now }).execute()
  return { status: 'approved', paymentId: sale.paymentId }
}

interface Sale {
  orderId: string
  schoolId: string
  staffId: string | null
  /** The family's credit spent on it (0 for none). */
  creditCents: number
  /** The card's part, as the processor charged it; null when the credit paid the whole. */
  card: { processor: 'stripe' | 'demo'; processorRef: string; cardBrand: string; last4: string; amountCents: number } | null
  /** For a sale paid wholly with credit: the kiosk request, found again on a replay. */
  requestId?: string
}

/**
 * Writes a paid kiosk sale, in the caller's transaction: the credit it used (an entry the 0007
 * trigger keeps within the balance), the payment under the school's next receipt number in this
 * PC's series ('office'; the board numbers its own, migration 0011), read and used in this one
 * write transaction, and the sale sent to the board (`order.record`), then the credit entry
 * (`credit.record`: the board spends a credit only on a sale it has).
 */
async function recordSale(db: Kysely<DB>, now: string, sale: Sale, audit: (entry: AuditEntry) => void): Promise<{ paymentId: string; receiptNumber: number }> {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', sale.orderId).executeTakeFirstOrThrow()
  const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', sale.orderId).execute()
  const amountCents = lines.reduce((sum, l) => sum + l.amount_cents, 0)
  if (amountCents !== (sale.card?.amountCents ?? 0) + sale.creditCents) throw new Error(`a sale of ${amountCents} paid ${sale.card?.amountCents ?? 0} + ${sale.creditCents}`)
  let creditId: string | null = null
  if (sale.creditCents > 0) creditId = await useCredit(db, { staffId: sale.staffId, now }, { schoolId: sale.schoolId, guardianId: order.guardian_id, orderId: order.id, amountCents: sale.creditCents })
  const max = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.max<number | null>('receipt_number').as('n'))
    .where('school_id', '=', sale.schoolId)
    .where('receipt_series', '=', 'office')
    .executeTakeFirst()
  const receiptNumber = nextReceiptNumber(max?.n ?? null)
  const paymentId = newId()
  const payment = sale.card
    ? { processor: sale.card.processor, processorRef: sale.card.processorRef, cardBrand: sale.card.cardBrand, last4: sale.card.last4 }
    : { processor: 'credit' as const, processorRef: creditSaleRef(sale.requestId ?? paymentId), cardBrand: null, last4: null }
  await db
    .insertInto('payments')
    .values({
      id: paymentId,
      school_id: sale.schoolId,
      order_id: order.id,
      processor: payment.processor,
      processor_ref: payment.processorRef,
      card_brand: payment.cardBrand,
      card_last4: payment.last4,
      amount_cents: amountCents,
      credit_cents: sale.creditCents,
      channel: 'kiosk',
      receipt_series: 'office',
      receipt_number: receiptNumber,
      created_at: now,
    })
    .execute()
  await enqueue(db, now, {
    schoolId: sale.schoolId,
    type: 'order.record',
    entityId: order.id,
    data: {
      order: { id: order.id, schoolId: order.school_id, guardianId: order.guardian_id, channel: order.channel, createdAt: order.created_at },
      lines: lines.map((l) => ({ id: l.id, studentId: l.student_id, offeringId: l.offering_id, variantId: l.variant_id, programDateId: l.program_date_id, quantity: l.quantity, unitPriceCents: l.unit_price_cents, amountCents: l.amount_cents })),
      payment: { id: paymentId, ...payment, amountCents, creditCents: sale.creditCents, receiptNumber, createdAt: now },
    },
  })
  if (creditId) await enqueueCredit(db, now, creditId)
  audit({ entity: 'payment', entityId: paymentId, after: { orderId: order.id, schoolId: sale.schoolId, amountCents, creditCents: sale.creditCents, creditId, receiptNumber, processor: payment.processor, channel: 'kiosk' } })
  return { paymentId, receiptNumber }
}

async function outcomeView(db: Kysely<DB>, locale: Locale, row: KioskChargesTable): Promise<KioskPaymentView | null> {
  const outcome = await db
    .selectFrom('kiosk_charge_outcomes as x')
    .leftJoin('payments as p', 'p.id', 'x.payment_id')
    .select(['x.status', 'x.code', 'x.payment_id', 'p.receipt_number', 'p.receipt_series', 'p.card_brand', 'p.card_last4'])
    .where('x.charge_id', '=', row.id)
    .executeTakeFirst()
  if (!outcome) return null
  if (outcome.status === 'succeeded') {
    return view(db, row, { status: 'approved', paymentId: outcome.payment_id, receiptNumber: outcome.receipt_number, receiptSeries: outcome.receipt_series, cardBrand: outcome.card_brand, last4: outcome.card_last4 })
  }
  const key = outcome.status === 'declined' ? `kiosk.declined.${outcome.code ?? ''}` : `kiosk.failed.${outcome.code ?? ''}`
  const fallback = outcome.status === 'declined' ? 'kiosk.declined.card_declined' : 'kiosk.failed.generic'
  const message = translateCode(locale, KNOWN_MESSAGES.has(key) ? key : fallback)
  return view(db, row, { status: outcome.status === 'declined' ? 'declined' : 'failed', message })
}

/** The kiosk's own words for a card that did not go through (kiosk.*.ts catalogues). */
const KNOWN_MESSAGES = new Set([
  'kiosk.declined.card_declined',
  'kiosk.declined.insufficient_funds',
  'kiosk.declined.expired_card',
  'kiosk.declined.incorrect_cvc',
  'kiosk.declined.processing_error',
  'kiosk.declined.lost_or_stolen',
  'kiosk.declined.authentication_required',
  'kiosk.declined.canceled',
  'kiosk.declined.timed_out',
  'kiosk.failed.processor.unknownTestCard',
  'kiosk.failed.terminal.readerOffline',
  'kiosk.failed.terminal.readerBusy',
  'kiosk.failed.generic',
])

async function view(db: Kysely<DB>, row: KioskChargesTable, extra: Partial<KioskPaymentView> & Pick<KioskPaymentView, 'status'>): Promise<KioskPaymentView> {
  return saleView(db, { schoolId: row.school_id, amountCents: row.amount_cents + row.credit_cents, creditCents: row.credit_cents }, { chargeId: row.id, ...extra })
}

/** A sale as the kiosk shows it: its total, the credit it used, where the card stands. */
async function saleView(db: Kysely<DB>, sale: { schoolId: string; amountCents: number; creditCents: number }, extra: Partial<KioskPaymentView> & Pick<KioskPaymentView, 'status'>): Promise<KioskPaymentView> {
  const school = await db.selectFrom('schools').select('name').where('id', '=', sale.schoolId).executeTakeFirst()
  return {
    chargeId: null,
    schoolId: sale.schoolId,
    schoolName: school?.name ?? '',
    amountCents: sale.amountCents,
    creditCents: sale.creditCents,
    paymentId: null,
    receiptNumber: null,
    receiptSeries: null,
    cardBrand: null,
    last4: null,
    message: null,
    ...extra,
  }
}

/**
 * The office's look at kiosk payments left without an answer (the app stopped mid-payment, the
 * network failed): each is asked again with its key, and recorded as soon as the answer is in.
 */
export async function checkPending(ctx: HandlerContext): Promise<Array<KioskPaymentView & { guardianName: string; createdAt: string }>> {
  const rows = await ctx.db
    .selectFrom('kiosk_charges as k')
    .innerJoin('guardians as g', 'g.id', 'k.guardian_id')
    .selectAll('k')
    .select(sql<string>`g.first_name || ' ' || g.last_name`.as('guardian_name'))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('kiosk_charge_outcomes as x').select('x.charge_id').whereRef('x.charge_id', '=', 'k.id'))))
    .orderBy('k.created_at')
    .execute()
  const out: Array<KioskPaymentView & { guardianName: string; createdAt: string }> = []
  for (const { guardian_name, ...row } of rows) {
    const status = await chargeStatus(ctx, row, null)
    out.push({ ...status, guardianName: guardian_name, createdAt: row.created_at })
  }
  return out
}
