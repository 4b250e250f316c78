import { sql, type Kysely } from 'kysely'
import type { DB, PaymentsTable } from '../../db/schema'

/**
 * What the ledger says about lines and payments before a refund: never stored, always derived
 * (views `line_refundable` and `refund_states` of migration 0007).
 */
export interface LineFacts {
  lineId: string
  orderId: string
  schoolId: string
  guardianId: string
  studentId: string
  offeringId: string
  programDateId: string | null
  amountCents: number
  paymentId: string | null
  processor: PaymentsTable['processor'] | null
  voided: boolean
  /** The line's amount − its pending and succeeded refunds − the credits given for its failed ones. */
  refundableCents: number
}

export async function lineFacts(db: Kysely<DB>, lineIds: readonly string[]): Promise<Map<string, LineFacts>> {
  const out = new Map<string, LineFacts>()
  const unique = [...new Set(lineIds)]
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('line_refundable as x')
      .innerJoin('order_lines as l', 'l.id', 'x.order_line_id')
      .innerJoin('orders as o', 'o.id', 'l.order_id')
      .leftJoin('payments as p', 'p.id', 'x.payment_id')
      .select([
        'l.id',
        'l.order_id',
        'o.school_id',
        'o.guardian_id',
        'l.student_id',
        'l.offering_id',
        'l.program_date_id',
        'l.amount_cents',
        'x.payment_id',
        'p.processor',
        'x.voided',
        'x.refundable_cents',
      ])
      .where('x.order_line_id', 'in', unique.slice(i, i + 500))
      .execute()
    for (const r of rows) {
      out.set(r.id, {
        lineId: r.id,
        orderId: r.order_id,
        schoolId: r.school_id,
        guardianId: r.guardian_id,
        studentId: r.student_id,
        offeringId: r.offering_id,
        programDateId: r.program_date_id,
        amountCents: r.amount_cents,
        paymentId: r.payment_id,
        processor: r.processor,
        voided: r.voided === 1,
        refundableCents: Number(r.refundable_cents),
      })
    }
  }
  return out
}

export interface PaymentFacts {
  paymentId: string
  orderId: string
  schoolId: string
  guardianId: string
  processor: PaymentsTable['processor']
  processorRef: string
  amountCents: number
  /** The part paid with the family's credit (0013); the card paid the rest. */
  creditCents: number
  voided: boolean
  /** The payment's amount − its pending and succeeded refunds − the credits given for its failed ones. */
  refundableCents: number
  /** What may still go back to the card: the card's part − its refunds − credits for its failed ones. */
  cardRefundableCents: number
  /** What may still go back to the family's credit: the credit part − its refunds. */
  creditRefundableCents: number
}

export async function paymentFacts(db: Kysely<DB>, paymentIds: readonly string[]): Promise<Map<string, PaymentFacts>> {
  const out = new Map<string, PaymentFacts>()
  const unique = [...new Set(paymentIds)]
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('payments as p')
      .innerJoin('orders as o', 'o.id', 'p.order_id')
      .leftJoin('payment_voids as v', 'v.payment_id', 'p.id')
      .select(['p.id', 'p.order_id', 'p.school_id', 'o.guardian_id', 'p.processor', 'p.processor_ref', 'p.amount_cents', 'p.credit_cents'])
      .select(sql<number>`v.payment_id IS NOT NULL`.as('voided'))
      .select(
        sql<number>`(SELECT coalesce(sum(s.amount_cents), 0) FROM refund_states s JOIN refunds r ON r.id = s.id WHERE s.payment_id = p.id AND s.status IN ('pending', 'succeeded') AND r.tender = 'card')`.as(
          'card_refunded',
        ),
      )
      .select(
        sql<number>`(SELECT coalesce(sum(s.amount_cents), 0) FROM refund_states s JOIN refunds r ON r.id = s.id WHERE s.payment_id = p.id AND s.status IN ('pending', 'succeeded') AND r.tender = 'credit')`.as(
          'credit_refunded',
        ),
      )
      .select(
        sql<number>`(SELECT coalesce(sum(c.amount_cents), 0) FROM family_credits c JOIN refunds r ON r.id = c.refund_id WHERE r.payment_id = p.id AND c.kind = 'granted' AND r.tender = 'card')`.as('credited'),
      )
      .where('p.id', 'in', unique.slice(i, i + 500))
      .execute()
    for (const r of rows) {
      const cardRefundableCents = Math.max(0, r.amount_cents - r.credit_cents - Number(r.card_refunded) - Number(r.credited))
      const creditRefundableCents = Math.max(0, r.credit_cents - Number(r.credit_refunded))
      out.set(r.id, {
        paymentId: r.id,
        orderId: r.order_id,
        schoolId: r.school_id,
        guardianId: r.guardian_id,
        processor: r.processor,
        processorRef: r.processor_ref,
        amountCents: r.amount_cents,
        creditCents: r.credit_cents,
        voided: Number(r.voided) === 1,
        refundableCents: cardRefundableCents + creditRefundableCents,
        cardRefundableCents,
        creditRefundableCents,
      })
    }
  }
  return out
}

/** A refund as it stands, with what it belongs to. */
export interface RefundFacts {
  id: string
  paymentId: string
  orderLineId: string | null
  amountCents: number
  status: 'pending' | 'succeeded' | 'failed'
  reversed: boolean
  resolved: 'retried' | 'credited' | null
  schoolId: string
  guardianId: string
}

export async function refundFacts(db: Kysely<DB>, refundId: string): Promise<RefundFacts | undefined> {
  const r = await db
    .selectFrom('refund_states as s')
    .innerJoin('payments as p', 'p.id', 's.payment_id')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .leftJoin('refund_resolutions as z', 'z.refund_id', 's.id')
    .select(['s.id', 's.payment_id', 's.order_line_id', 's.amount_cents', 's.status', 's.reversed', 'z.kind as resolved', 'p.school_id', 'o.guardian_id'])
    .where('s.id', '=', refundId)
    .executeTakeFirst()
  if (!r) return undefined
  return {
    id: r.id,
    paymentId: r.payment_id,
    orderLineId: r.order_line_id,
    amountCents: r.amount_cents,
    status: r.status,
    reversed: r.reversed === 1,
    resolved: r.resolved,
    schoolId: r.school_id,
    guardianId: r.guardian_id,
  }
}
