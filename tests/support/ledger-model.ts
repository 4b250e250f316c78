import type BetterSqlite3 from 'better-sqlite3'

/**
 * The ledger's rules recomputed in JavaScript from the raw tables, as the definitions say them
 * (docs/ARCHITECTURE.md "Voids", "Held lines", "Credits spent"), so that tests check the SQL the
 * app shares (held-lines.ts, refund_states, live_payments) against something that is not a copy:
 * - a payment is live unless a void names it; a line is paid when its order has a live payment;
 * - a refund reversed by the processor is failed, whatever its row says;
 * - given back on a line: its pending and succeeded refunds, and the credits granted for its
 *   failed card refunds (a refund to credit is a succeeded refund: counted once);
 * - held: paid and not wholly given back.
 */

interface Payment {
  id: string
  order_id: string
  school_id: string
  amount_cents: number
  created_at: string
}
interface Refund {
  id: string
  payment_id: string
  order_line_id: string | null
  amount_cents: number
  status: 'pending' | 'succeeded' | 'failed'
  tender: 'card' | 'credit'
  requested_at: string
  settled_at: string | null
}
interface Credit {
  kind: 'granted' | 'used'
  amount_cents: number
  refund_id: string | null
  created_at: string
}
export interface Line {
  id: string
  order_id: string
  amount_cents: number
  quantity: number
}

export interface MoneyTotals {
  paidCents: number
  refundedCents: number
  waivedCents: number
}

export class LedgerModel {
  private readonly payments: Payment[]
  private readonly voided: Set<string>
  private readonly refunds: Refund[]
  private readonly reversed: Set<string>
  private readonly resolved: Set<string>
  private readonly credits: Credit[]
  private readonly waivers: Array<{ school_id: string; amount_cents: number; created_at: string }>
  private readonly paidOrders: Set<string>

  constructor(db: BetterSqlite3.Database) {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[]
    this.payments = all('SELECT id, order_id, school_id, amount_cents, created_at FROM payments')
    this.voided = new Set(all<{ payment_id: string }>('SELECT payment_id FROM payment_voids').map((v) => v.payment_id))
    this.refunds = all('SELECT id, payment_id, order_line_id, amount_cents, status, tender, requested_at, settled_at FROM refunds')
    this.reversed = new Set(all<{ refund_id: string }>(`SELECT refund_id FROM refund_events WHERE kind = 'reversed'`).map((e) => e.refund_id))
    this.resolved = new Set(all<{ refund_id: string }>('SELECT refund_id FROM refund_resolutions').map((r) => r.refund_id))
    this.credits = all('SELECT kind, amount_cents, refund_id, created_at FROM family_credits')
    this.waivers = all('SELECT o.school_id, w.amount_cents, w.created_at FROM waivers w JOIN offerings o ON o.id = w.offering_id')
    this.paidOrders = new Set(this.payments.filter((p) => this.isLive(p.id)).map((p) => p.order_id))
  }

  isLive(paymentId: string): boolean {
    return !this.voided.has(paymentId)
  }

  /** The refund as it stands: a reversed success is failed. */
  status(refund: Pick<Refund, 'id' | 'status'>): Refund['status'] {
    return this.reversed.has(refund.id) ? 'failed' : refund.status
  }

  isPaid(orderId: string): boolean {
    return this.paidOrders.has(orderId)
  }

  /** Credits granted for failed card refunds, each with the refund it settles. */
  private creditsForFailedCardRefunds(): Array<{ credit: Credit; refund: Refund }> {
    const byId = new Map(this.refunds.map((r) => [r.id, r]))
    return this.credits.flatMap((credit) => {
      const refund = credit.kind === 'granted' && credit.refund_id ? byId.get(credit.refund_id) : undefined
      return refund && refund.tender === 'card' ? [{ credit, refund }] : []
    })
  }

  givenBack(lineId: string): number {
    const refunded = this.refunds.filter((r) => r.order_line_id === lineId && this.status(r) !== 'failed').reduce((s, r) => s + r.amount_cents, 0)
    const credited = this.creditsForFailedCardRefunds()
      .filter((c) => c.refund.order_line_id === lineId)
      .reduce((s, c) => s + c.credit.amount_cents, 0)
    return refunded + credited
  }

  isHeld(line: Line): boolean {
    return this.isPaid(line.order_id) && line.amount_cents > this.givenBack(line.id)
  }

  /** Units held among these lines (portions to deliver, seats, items sold). */
  heldQuantity(lines: readonly Line[]): number {
    return lines.filter((l) => this.isHeld(l)).reduce((n, l) => n + l.quantity, 0)
  }

  /** Failed refunds waiting for staff: not retried or credited, and not of a voided payment. */
  failedWaiting(): Array<{ id: string; amount_cents: number }> {
    return this.refunds.filter((r) => this.status(r) === 'failed' && !this.resolved.has(r.id) && this.isLive(r.payment_id))
  }

  /**
   * Money between two instants [from, to): live payments collected (by the payment's instant),
   * given back (succeeded refunds by when they settled, credits for failed card refunds by when
   * they were granted; voided payments took nothing, so gave nothing back), waivers given.
   */
  money(from: string, to: string, schoolId?: string): MoneyTotals {
    const within = (at: string) => at >= from && at < to
    const payments = new Map(this.payments.map((p) => [p.id, p]))
    const ofSchool = (paymentId: string) => schoolId === undefined || payments.get(paymentId)!.school_id === schoolId
    const paidCents = this.payments.filter((p) => this.isLive(p.id) && ofSchool(p.id) && within(p.created_at)).reduce((s, p) => s + p.amount_cents, 0)
    const refunds = this.refunds
      .filter((r) => this.status(r) === 'succeeded' && this.isLive(r.payment_id) && ofSchool(r.payment_id) && within(r.settled_at ?? r.requested_at))
      .reduce((s, r) => s + r.amount_cents, 0)
    const credits = this.creditsForFailedCardRefunds()
      .filter((c) => this.isLive(c.refund.payment_id) && ofSchool(c.refund.payment_id) && within(c.credit.created_at))
      .reduce((s, c) => s + c.credit.amount_cents, 0)
    const waivedCents = this.waivers.filter((w) => (schoolId === undefined || w.school_id === schoolId) && within(w.created_at)).reduce((s, w) => s + w.amount_cents, 0)
    return { paidCents, refundedCents: refunds + credits, waivedCents }
  }

  /** What the ledger holds that a reading of raw payments and refund rows would get wrong. */
  surprises(): { voids: number; reversed: number; creditedFailures: number; creditSpent: number } {
    return {
      voids: this.voided.size,
      reversed: this.reversed.size,
      creditedFailures: this.creditsForFailedCardRefunds().length,
      creditSpent: this.credits.filter((c) => c.kind === 'used').length,
    }
  }
}
