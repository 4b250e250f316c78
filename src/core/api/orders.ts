import { sql, type Kysely } from 'kysely'
import type { ParsedInput } from '../../shared/contract'
import type { HistoryEvent, OrderRow } from '../../shared/contract/money'
import { GuichetError } from '../../shared/errors'
import { formatReceiptNumber } from '../../shared/format'
import type { Locale } from '../../shared/i18n'
import { receiptPdf } from '../adapters/documents/receipt'
import { loadReceipt } from '../services/receipts'
import type { DB } from '../db/schema'
import { addDays, startOfLocalDay } from '../domain/catalogue'
import { queryTerms } from '../domain/search-key'
import { requireSession, type Handlers } from './types'

const TZ = 'America/Toronto'

const SORT = {
  createdAt: 'x.created_at',
  receiptNumber: 'x.receipt_number',
  totalCents: 'x.total_cents',
  guardianName: sql<string>`fold(x.guardian_last || ' ' || x.guardian_first)`,
} as const

/** One row per order with its money derived from the ledger (never stored twice). */
function ordersWithMoney(db: Kysely<DB>) {
  return db
    .selectFrom('orders as o')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    .innerJoin('guardians as g', 'g.id', 'o.guardian_id')
    .leftJoin('payments as p', 'p.order_id', 'o.id')
    .select([
      'o.id as order_id',
      'o.school_id',
      'sc.name as school_name',
      'o.created_at',
      'o.channel',
      'o.guardian_id',
      'g.first_name as guardian_first',
      'g.last_name as guardian_last',
      'g.search_key as guardian_key',
      'p.id as payment_id',
      'p.receipt_number',
      'p.receipt_series',
      'p.processor',
      'p.credit_cents',
      sql<number>`(SELECT coalesce(sum(l.amount_cents), 0) FROM order_lines l WHERE l.order_id = o.id)`.as('total_cents'),
      sql<number>`(SELECT count(*) FROM order_lines l WHERE l.order_id = o.id)`.as('line_count'),
      // Given back: refunds that succeeded (to the card, or to the family's credit), and failed
      // card refunds settled as a credit — the family has that money back, as credit.
      sql<number>`(SELECT coalesce(sum(r.amount_cents), 0) FROM refund_states r WHERE r.payment_id = p.id AND r.status = 'succeeded')
        + (SELECT coalesce(sum(c.amount_cents), 0) FROM family_credits c JOIN refunds r ON r.id = c.refund_id WHERE r.payment_id = p.id AND c.kind = 'granted' AND r.tender = 'card')`.as('refunded_cents'),
      sql<number>`EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id)`.as('voided'),
      sql<number>`(SELECT coalesce(sum(r.amount_cents), 0) FROM refund_states r WHERE r.payment_id = p.id AND r.status = 'pending')`.as('pending_cents'),
    ])
}

/** A list's filter and sort, without its page. */
export type OrdersFilter = Omit<ParsedInput<'orders.list'>, 'offset' | 'limit'>

/** The orders of a filter, with their money and status: the grid pages them, its export takes them all. */
export function filteredOrders(db: Kysely<DB>, input: OrdersFilter) {
  let base = ordersWithMoney(db)
  if (input.schoolId) base = base.where('o.school_id', '=', input.schoolId)
  if (input.channel) base = base.where('o.channel', '=', input.channel)
  if (input.from) base = base.where('o.created_at', '>=', startOfLocalDay(input.from, TZ))
  if (input.to) base = base.where('o.created_at', '<', startOfLocalDay(addDays(input.to, 1), TZ))
  if (input.offeringId) {
    const offeringId = input.offeringId
    base = base.where(({ exists, selectFrom }) => exists(selectFrom('order_lines as l').select('l.id').whereRef('l.order_id', '=', 'o.id').where('l.offering_id', '=', offeringId)))
  }
  for (const term of queryTerms(input.query)) {
    // A family by a guardian's name, or by a child's on the order.
    base = base.where((eb) =>
      eb.or([
        eb('g.search_key', 'like', `${term}%`),
        eb('g.search_key', 'like', `% ${term}%`),
        eb.exists(
          eb
            .selectFrom('order_lines as l')
            .innerJoin('students as s', 's.id', 'l.student_id')
            .select('l.id')
            .whereRef('l.order_id', '=', 'o.id')
            .where((e) => e.or([e('s.search_key', 'like', `${term}%`), e('s.search_key', 'like', `% ${term}%`)])),
        ),
      ]),
    )
  }
  // A voided payment took nothing: its order is unpaid (its receipt still shows, for the record).
  const status = sql<OrderRow['status']>`CASE WHEN x.payment_id IS NULL OR x.voided THEN 'unpaid' WHEN x.refunded_cents >= x.total_cents THEN 'refunded'
      WHEN x.refunded_cents > 0 THEN 'partially_refunded' ELSE 'paid' END`
  let q = db.selectFrom(base.as('x')).selectAll('x').select(status.as('status'))
  if (input.status) q = q.where(status, '=', input.status)
  return q
}

/** The same orders in the grid's order: the sort asked for, then the order's id (pages never overlap). */
export function sortedOrders(db: Kysely<DB>, input: OrdersFilter) {
  return filteredOrders(db, input).orderBy(SORT[input.sort.field], input.sort.direction).orderBy('x.order_id')
}

type OrderRecord = Awaited<ReturnType<ReturnType<typeof filteredOrders>['execute']>>[number]

/** The grid's rows of these orders: who and what each is for, named in the caller's language. */
export async function orderRowsOf(db: Kysely<DB>, records: readonly OrderRecord[], locale: Locale): Promise<OrderRow[]> {
  const fr = locale === 'fr-CA'
  const names = new Map<string, { students: Set<string>; items: Set<string> }>()
  const ids = records.map((r) => r.order_id)
  // SQLite limits the variables of one statement: ask in slices.
  for (let i = 0; i < ids.length; i += 500) {
    const lines = await db
      .selectFrom('order_lines as l')
      .innerJoin('students as s', 's.id', 'l.student_id')
      .innerJoin('offerings as of', 'of.id', 'l.offering_id')
      .select(['l.order_id', 's.first_name', 's.last_name', 'of.title_fr', 'of.title_en'])
      .where('l.order_id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const l of lines) {
      const entry = names.get(l.order_id) ?? { students: new Set<string>(), items: new Set<string>() }
      entry.students.add(`${l.first_name} ${l.last_name}`)
      entry.items.add(fr ? l.title_fr : (l.title_en ?? l.title_fr))
      names.set(l.order_id, entry)
    }
  }
  return records.map(
    (r): OrderRow => ({
      orderId: r.order_id,
      paymentId: r.payment_id,
      receiptNumber: r.receipt_number,
      receiptSeries: r.receipt_series,
      schoolId: r.school_id,
      schoolName: r.school_name,
      createdAt: r.created_at,
      channel: r.channel,
      processor: r.processor,
      creditCents: r.credit_cents ?? 0,
      guardianId: r.guardian_id,
      guardianName: `${r.guardian_first} ${r.guardian_last}`,
      students: [...(names.get(r.order_id)?.students ?? [])],
      items: [...(names.get(r.order_id)?.items ?? [])],
      lineCount: Number(r.line_count),
      totalCents: Number(r.total_cents),
      refundedCents: Number(r.refunded_cents),
      pendingRefundCents: Number(r.pending_cents),
      status: r.status,
    }),
  )
}

export const orderHandlers: Handlers<'orders.list' | 'receipts.pdf' | 'families.history'> = {
  async 'orders.list'(input, ctx) {
    const q = filteredOrders(ctx.db, input)
    const totals = await ctx.db
      .selectFrom(q.as('t'))
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        sql<number>`coalesce(sum(CASE WHEN t.payment_id IS NULL OR t.voided THEN 0 ELSE t.total_cents END), 0)`.as('paid'),
        sql<number>`coalesce(sum(CASE WHEN t.voided THEN 0 ELSE t.refunded_cents END), 0)`.as('refunded'),
      ])
      .executeTakeFirstOrThrow()
    const records = await sortedOrders(ctx.db, input).limit(input.limit).offset(input.offset).execute()
    return {
      total: Number(totals.n),
      totals: { totalCents: Number(totals.paid), refundedCents: Number(totals.refunded), netCents: Number(totals.paid) - Number(totals.refunded) },
      rows: await orderRowsOf(ctx.db, records, ctx.locale),
    }
  },

  async 'receipts.pdf'({ paymentId }, ctx) {
    const { model, fileName } = await loadReceipt(ctx.db, paymentId, ctx.now)
    return { fileName, base64: (await receiptPdf(model)).toString('base64') }
  },

  async 'families.history'({ studentId }, ctx) {
    const student = await ctx.db.selectFrom('students').select('id').where('id', '=', studentId).executeTakeFirst()
    if (!student) throw new GuichetError('NOT_FOUND', { what: 'student' })
    const guardians = (await ctx.db.selectFrom('student_guardians').select('guardian_id').where('student_id', '=', studentId).execute()).map((r) => r.guardian_id)
    const children = guardians.length
      ? (await ctx.db.selectFrom('student_guardians').select('student_id').distinct().where('guardian_id', 'in', guardians).execute()).map((r) => r.student_id)
      : [studentId]
    const seesReasons = requireSession(ctx).role !== 'secretary'
    const family = guardians.length ? guardians : ['']

    const [payments, refunds, waivers, consents, credits] = await Promise.all([
      ctx.db
        .selectFrom('payments as p')
        .innerJoin('orders as o', 'o.id', 'p.order_id')
        .innerJoin('schools as sc', 'sc.id', 'p.school_id')
        .select(['p.id', 'p.created_at', 'p.amount_cents', 'p.receipt_number', 'p.receipt_series', 'p.channel', 'sc.name as school'])
        .select(sql<string>`(SELECT group_concat(DISTINCT f.title_fr) FROM order_lines l JOIN offerings f ON f.id = l.offering_id WHERE l.order_id = o.id)`.as('titles_fr'))
        .select(sql<string>`(SELECT group_concat(DISTINCT coalesce(f.title_en, f.title_fr)) FROM order_lines l JOIN offerings f ON f.id = l.offering_id WHERE l.order_id = o.id)`.as('titles_en'))
        .where('o.guardian_id', 'in', family)
        .execute(),
      ctx.db
        .selectFrom('refund_states as r')
        .innerJoin('payments as p', 'p.id', 'r.payment_id')
        .innerJoin('orders as o', 'o.id', 'p.order_id')
        .innerJoin('schools as sc', 'sc.id', 'p.school_id')
        .leftJoin('order_lines as l', 'l.id', 'r.order_line_id')
        .leftJoin('students as s', 's.id', 'l.student_id')
        .leftJoin('offerings as f', 'f.id', 'l.offering_id')
        .innerJoin('refunds as rt', 'rt.id', 'r.id')
        .select(['r.requested_at', 'r.amount_cents', 'r.status', 'rt.tender', 'r.reason', 'p.id as payment_id', 'sc.name as school', 's.first_name', 's.last_name', 'f.title_fr', 'f.title_en'])
        .where('o.guardian_id', 'in', family)
        .execute(),
      ctx.db
        .selectFrom('waivers as w')
        .innerJoin('students as s', 's.id', 'w.student_id')
        .innerJoin('offerings as f', 'f.id', 'w.offering_id')
        .innerJoin('schools as sc', 'sc.id', 'f.school_id')
        .select(['w.created_at', 'w.amount_cents', 'w.reason', 's.first_name', 's.last_name', 'f.title_fr', 'f.title_en', 'sc.name as school'])
        .where('w.student_id', 'in', children)
        .execute(),
      ctx.db
        .selectFrom('consents as c')
        .innerJoin('students as s', 's.id', 'c.student_id')
        .innerJoin('offerings as f', 'f.id', 'c.offering_id')
        .innerJoin('schools as sc', 'sc.id', 'f.school_id')
        .select(['c.recorded_at', 'c.decision', 'c.channel', 'c.reason', 's.first_name', 's.last_name', 'f.title_fr', 'f.title_en', 'sc.name as school'])
        .where('c.student_id', 'in', children)
        .execute(),
      ctx.db
        .selectFrom('family_credits as k')
        .innerJoin('schools as sc', 'sc.id', 'k.school_id')
        .select(['k.created_at', 'k.kind', 'k.amount_cents', 'k.reason', 'sc.name as school'])
        .where('k.guardian_id', 'in', family)
        .execute(),
    ])

    const events: HistoryEvent[] = [
      ...payments.map((p) => ({ at: p.created_at, kind: 'payment' as const, schoolName: p.school, studentName: null, titleFr: p.titles_fr, titleEn: p.titles_en, amountCents: p.amount_cents, detail: formatReceiptNumber(p.receipt_number, p.receipt_series), reason: null, paymentId: p.id, channel: p.channel })),
      ...refunds.map((r) => ({
        at: r.requested_at,
        kind: 'refund' as const,
        schoolName: r.school,
        studentName: r.first_name ? `${r.first_name} ${r.last_name}` : null,
        titleFr: r.title_fr,
        titleEn: r.title_en,
        amountCents: r.amount_cents,
        // A part the family had paid with credit went back to its credit, not to a card.
        detail: r.tender === 'credit' && r.status === 'succeeded' ? 'toCredit' : r.status,
        reason: r.reason,
        paymentId: r.payment_id,
        channel: null,
      })),
      ...waivers.map((w) => ({
        at: w.created_at,
        kind: 'waiver' as const,
        schoolName: w.school,
        studentName: `${w.first_name} ${w.last_name}`,
        titleFr: w.title_fr,
        titleEn: w.title_en,
        amountCents: w.amount_cents,
        detail: null,
        reason: seesReasons ? w.reason : null,
        paymentId: null,
        channel: null,
      })),
      ...consents.map((c) => ({
        at: c.recorded_at,
        kind: 'consent' as const,
        schoolName: c.school,
        studentName: `${c.first_name} ${c.last_name}`,
        titleFr: c.title_fr,
        titleEn: c.title_en,
        amountCents: null,
        detail: c.decision,
        reason: c.reason,
        paymentId: null,
        channel: c.channel,
      })),
    ]
    for (const k of credits)
      events.push({ at: k.created_at, kind: 'credit', schoolName: k.school, studentName: null, titleFr: null, titleEn: null, amountCents: k.amount_cents, detail: k.kind, reason: k.reason, paymentId: null, channel: null })
    events.sort((a, b) => b.at.localeCompare(a.at))
    return { events }
  },
}
