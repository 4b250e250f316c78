import type { LinePlan, OrderPlan, RefundPlan } from './activity'
import { localDate, localToUtc, type SchoolYear } from './calendar'
import type { OfferingPlan, ProgramDatePlan } from './catalogue'
import type { IdMaker, Rng } from './random'
import type { SchoolPlan } from './roster'

/**
 * What goes wrong with money in a school year, so that every reader of the ledger meets it: a
 * payment the board voided before capture, one the processor reported voided when a refund was
 * asked, a card refund that failed at once and one reversed days later, both settled as family
 * credit, and that credit spent at the office kiosk. All on the school's last pizza Friday
 * before the anchor, so that its order sheet, its delivery list and the money report count them.
 */

export interface VoidPlan {
  order: OrderPlan
  source: 'board' | 'processor'
  reason: string
  ms: number
}

export interface FailedRefundPlan {
  id: string
  order: OrderPlan
  line: LinePlan
  amountCents: number
  reason: string
  requestedMs: number
  settledMs: number
  /** failed: the processor refused it at once; reversed: it succeeded, then failed later. */
  outcome: 'failed' | 'reversed'
  failureCode: string
  processorRef: string | null
  reversedMs: number | null
  /** The family credit it was settled with; null: never credited (the payment took nothing). */
  credit: { id: string; reason: string; ms: number } | null
}

export interface CreditSalePlan {
  order: OrderPlan
  /** The part of the sale paid with the family's credit; the card paid the rest. */
  creditCents: number
  creditId: string
  /** The office kiosk's own receipt series ('office'), numbered per school from 1. */
  officeReceipt: number
}

export interface VoidsAndCredits {
  voids: VoidPlan[]
  failedRefunds: FailedRefundPlan[]
  creditSales: CreditSalePlan[]
}

export interface VoidsCreditsInput {
  rng: Rng
  ids: IdMaker
  orders: readonly OrderPlan[]
  refunds: readonly RefundPlan[]
  catalogues: ReadonlyArray<{ school: SchoolPlan; offerings: OfferingPlan[] }>
  year: SchoolYear
  anchorMs: number
}

const HOUR = 3_600_000
const CARD_EXPIRED = 'expired_or_canceled_card'
const PAYMENT_VOIDED = 'refund.paymentVoided'

export function buildVoidsAndCredits(input: VoidsCreditsInput): VoidsAndCredits {
  const { rng, ids, anchorMs, year } = input
  const anchorDate = localDate(anchorMs)
  const refunded = new Set(input.refunds.map((r) => r.line))
  const out: VoidsAndCredits = { voids: [], failedRefunds: [], creditSales: [] }

  /** An instant in office hours on a school day within [from, to], else any in it; null when it is empty. */
  const officeMoment = (from: number, to: number): number | null => {
    if (to <= from) return null
    const days = year.schoolDays.filter((d) => d >= localDate(from) && d <= localDate(to))
    for (let tries = 0; tries < 6 && days.length > 0; tries++) {
      const ms = localToUtc(rng.pick(days), rng.int(8, 15), rng.int(0, 59), rng.int(0, 59))
      if (ms >= from && ms <= to) return ms
    }
    return from + Math.floor((to - from) * rng.next())
  }

  input.catalogues.forEach(({ school, offerings }) => {
    const pizza = offerings.find((o) => o.role === 'pizza')
    if (!pizza) return
    const lineOn = (o: OrderPlan, d: ProgramDatePlan) => o.lines.find((l) => l.date === d && !refunded.has(l))
    const friday = [...pizza.dates].reverse().find((d) => d.date < anchorDate && !d.cancelReason && input.orders.filter((o) => o.school === school && o.channel === 'online' && lineOn(o, d)).length >= 4)
    if (!friday) return
    const [voidedByBoard, voidedAtRefund, failed, reversed] = rng.shuffle(input.orders.filter((o) => o.school === school && o.channel === 'online' && lineOn(o, friday))) as [OrderPlan, OrderPlan, OrderPlan, OrderPlan]
    const from = localToUtc(friday.date, 12, 0)
    const to = anchorMs - 2 * HOUR
    if (to <= from) return

    // The board: the bank declined the capture, the payment took nothing.
    out.voids.push({ order: voidedByBoard, source: 'board', reason: 'Paiement annulé avant la capture — carte refusée par la banque', ms: Math.min(to, voidedByBoard.payment.ms + rng.int(2, 20) * HOUR) })

    const refund = (order: OrderPlan, reason: string, requestedMs: number, outcome: FailedRefundPlan['outcome'], failureCode: string): FailedRefundPlan => {
      const line = lineOn(order, friday)!
      const plan: FailedRefundPlan = {
        id: ids.next(requestedMs),
        order,
        line,
        amountCents: line.quantity * line.unitCents,
        reason,
        requestedMs,
        settledMs: requestedMs + rng.int(1_500, 6_000),
        outcome,
        failureCode,
        processorRef: outcome === 'reversed' ? `mel_ref_${rng.hex(20)}` : null,
        reversedMs: null,
        credit: null,
      }
      out.failedRefunds.push(plan)
      return plan
    }

    // A refund asked on a payment the processor then says was never captured: it is voided, and
    // the failed refund is never credited (nothing was taken).
    const atRefund = refund(voidedAtRefund, 'Élève absent ce jour-là — remboursement demandé', officeMoment(from, to) ?? from, 'failed', PAYMENT_VOIDED)
    out.voids.push({ order: voidedAtRefund, source: 'processor', reason: PAYMENT_VOIDED, ms: atRefund.settledMs })

    // A card refund that failed at once, settled as credit the next time the office looked.
    const third = from + Math.floor((to - from) / 3)
    const atOnce = refund(failed, 'Élève malade ce jour-là — remboursement accordé', officeMoment(from, third) ?? from, 'failed', CARD_EXPIRED)
    const grantedMs = officeMoment(atOnce.settledMs + HOUR, third + Math.floor((to - third) / 2)) ?? to
    atOnce.credit = { id: ids.next(grantedMs), reason: 'Carte expirée — crédit au compte de la famille, à la demande du parent', ms: grantedMs }

    // One that succeeded, was reversed by the processor days later (a prepaid card), then credited.
    const late = refund(reversed, 'Commande en double — remboursement', officeMoment(from, third) ?? from, 'reversed', CARD_EXPIRED)
    late.reversedMs = late.settledMs + Math.floor((third - from) * (0.5 + rng.next() / 2))
    const creditMs = officeMoment(late.reversedMs + HOUR, to)
    if (creditMs !== null) late.credit = { id: ids.next(creditMs), reason: 'Remboursement renversé par la banque — porté au crédit de la famille', ms: creditMs }

    // That credit spent at the office kiosk on the same child's next pizza Fridays: one at the
    // first school (the credit pays it whole, most often), two at the next (partly by card).
    const saleMs = officeMoment(grantedMs + HOUR, anchorMs - HOUR)
    if (saleMs === null) return
    const child = atOnce.line.student
    const taken = new Set(input.orders.flatMap((o) => o.lines.filter((l) => l.student === child && l.offering === pizza).map((l) => l.date)))
    const dates = pizza.dates.filter((d) => d.cutoffMs > saleMs && !d.cancelReason && !taken.has(d)).slice(0, 1 + out.creditSales.length)
    if (dates.length === 0) return
    const variant = atOnce.line.variant ?? pizza.variants[0]!
    const lines: LinePlan[] = dates.map((d) => ({ id: ids.next(saleMs), student: child, offering: pizza, variant, date: d, quantity: 1, unitCents: variant.priceCents }))
    const total = lines.reduce((s, l) => s + l.unitCents, 0)
    const creditCents = Math.min(total, atOnce.amountCents)
    const paidMs = saleMs + rng.int(20_000, 60_000)
    const byCredit = creditCents === total
    const order: OrderPlan = {
      id: ids.next(saleMs),
      school,
      guardian: failed.guardian,
      channel: 'kiosk',
      ms: saleMs,
      lines,
      // Wholly by credit: no card, and the kiosk request that paid it as its reference.
      payment: { id: ids.next(paidMs), ms: paidMs, card: failed.payment.card, processorRef: byCredit ? `kiosk-request-${ids.next(saleMs)}` : `demo_pi_${rng.hex(24)}`, receipt: 0 },
    }
    const officeReceipt = out.creditSales.filter((s) => s.order.school === school).length + 1
    out.creditSales.push({ order, creditCents, creditId: ids.next(paidMs), officeReceipt })
  })
  return out
}
