import type { Kysely } from 'kysely'
import { GuichetError } from '../../shared/errors'
import { formatReceiptNumber, formatSchoolDate } from '../../shared/format'
import type { ReceiptModel } from '../adapters/documents/receipt'
import type { DB } from '../db/schema'

/** A payment's receipt as the documents lay it out (letter or roll), and its file name. */
export async function loadReceipt(db: Kysely<DB>, paymentId: string, now: string): Promise<{ model: ReceiptModel; fileName: string }> {
  const payment = await db
    .selectFrom('payments as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('schools as sc', 'sc.id', 'p.school_id')
    .innerJoin('guardians as g', 'g.id', 'o.guardian_id')
    .select(['p.id', 'p.order_id', 'p.receipt_number', 'p.receipt_series', 'p.created_at', 'p.channel', 'p.processor', 'p.card_brand', 'p.card_last4', 'p.amount_cents', 'p.credit_cents', 'sc.name', 'sc.code', 'sc.address', 'sc.phone', 'g.first_name', 'g.last_name'])
    .where('p.id', '=', paymentId)
    .executeTakeFirst()
  if (!payment) throw new GuichetError('NOT_FOUND', { what: 'payment' })
  const [lines, refunds] = await Promise.all([
    db
      .selectFrom('order_lines as l')
      .innerJoin('students as s', 's.id', 'l.student_id')
      .innerJoin('offerings as of', 'of.id', 'l.offering_id')
      .leftJoin('offering_variants as v', 'v.id', 'l.variant_id')
      .leftJoin('program_dates as d', 'd.id', 'l.program_date_id')
      .select(['s.first_name', 's.last_name', 'of.title_fr', 'of.title_en', 'v.label_fr as variant', 'd.date', 'l.quantity', 'l.amount_cents'])
      .where('l.order_id', '=', payment.order_id)
      .orderBy('s.first_name')
      .orderBy('d.date')
      .execute(),
    db
      .selectFrom('refund_states as s')
      .innerJoin('refunds as r', 'r.id', 's.id')
      .select(['s.requested_at', 's.settled_at', 's.reason', 's.amount_cents', 's.status', 'r.tender'])
      .where('s.payment_id', '=', paymentId)
      .orderBy('s.requested_at')
      .execute(),
  ])
  const model: ReceiptModel = {
    school: { name: payment.name, address: payment.address, phone: payment.phone },
    number: payment.receipt_number,
    series: payment.receipt_series,
    paidAt: payment.created_at,
    family: `${payment.first_name} ${payment.last_name}`,
    channel: payment.channel,
    demo: payment.processor === 'demo',
    card: payment.card_brand && payment.card_last4 ? { brand: payment.card_brand, last4: payment.card_last4 } : null,
    creditCents: payment.credit_cents,
    lines: lines.map((l) => ({
      student: `${l.first_name} ${l.last_name}`,
      itemFr: l.title_fr,
      itemEn: l.title_en,
      detail: [l.date ? formatSchoolDate(l.date, 'fr-CA', 'short') : null, l.variant].filter(Boolean).join(' — ') || null,
      quantity: l.quantity,
      amountCents: l.amount_cents,
    })),
    totalCents: payment.amount_cents,
    refunds: refunds.map((r) => ({ at: r.settled_at ?? r.requested_at, reason: r.reason, amountCents: r.amount_cents, status: r.status, tender: r.tender })),
    generatedAt: now,
  }
  return { model, fileName: `recu-${payment.code}-${formatReceiptNumber(payment.receipt_number, payment.receipt_series)}.pdf` }
}
