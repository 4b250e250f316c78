import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { addDays, localDateOf, startOfLocalDay } from '../../domain/catalogue'

const TZ = 'America/Toronto'

export interface MoneyRow {
  key: string
  labelFr: string
  labelEn: string | null
  schoolName: string
  paidCents: number
  refundedCents: number
  waivedCents: number
  netCents: number
}

export interface MoneyReport {
  from: string
  to: string
  byItem: MoneyRow[]
  byDay: MoneyRow[]
  byChannel: MoneyRow[]
  bySchool: MoneyRow[]
  totals: { paidCents: number; refundedCents: number; waivedCents: number; netCents: number }
}

interface Fact {
  day: string
  offering_id: string
  title_fr: string
  title_en: string | null
  school_id: string
  school_name: string
  channel: string
  paid: number
  refunded: number
  waived: number
}

/** The line a refund counts under: its own, or for a whole order (no line) the order's first. */
const REFUND_LINE = sql<boolean>`l.id = coalesce(r.order_line_id, (SELECT min(l2.id) FROM order_lines l2 WHERE l2.order_id = p.order_id))`

/**
 * Money between two school dates, from the ledger alone: what families paid (the lines of paid
 * orders, by the day of the payment), what was refunded (by the day the refund succeeded),
 * what waivers covered, and the net. The net is paid − refunded: a waiver is money not asked
 * for, shown beside it, never subtracted twice. A voided payment took nothing: it is neither
 * collected nor refunded here (a refund the processor settled on it would only cancel out money
 * that never came in), so both sides read live_payments.
 */
export async function moneyReport(db: Kysely<DB>, options: { schoolId?: string; from: string; to: string }): Promise<MoneyReport> {
  const start = startOfLocalDay(options.from, TZ)
  const end = startOfLocalDay(addDays(options.to, 1), TZ)
  const school = options.schoolId

  const paid = await db
    .selectFrom('order_lines as l')
    .innerJoin('live_payments as p', 'p.order_id', 'l.order_id')
    .innerJoin('offerings as o', 'o.id', 'l.offering_id')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    // Summed per payment and item in SQL: a year is ~280k lines but far fewer (instant, item)
    // pairs, and the school day of an instant is worked out here, in JavaScript, once per instant.
    .select(['p.created_at as at', 'o.id as offering_id', 'o.title_fr', 'o.title_en', 'o.school_id', 'sc.name as school_name', 'p.channel'])
    .select((eb) => eb.fn.sum<number>('l.amount_cents').as('cents'))
    .where('p.created_at', '>=', start)
    .where('p.created_at', '<', end)
    .$if(school !== undefined, (q) => q.where('o.school_id', '=', school!))
    .groupBy(['p.created_at', 'o.id', 'p.channel'])
    .execute()
  const refunded = await db
    .selectFrom('refund_states as r')
    .innerJoin('live_payments as p', 'p.id', 'r.payment_id')
    .innerJoin('order_lines as l', (join) => join.on(REFUND_LINE))
    .innerJoin('offerings as o', 'o.id', 'l.offering_id')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    .select([sql<string>`coalesce(r.settled_at, r.requested_at)`.as('at'), 'o.id as offering_id', 'o.title_fr', 'o.title_en', 'o.school_id', 'sc.name as school_name', 'p.channel', 'r.amount_cents as cents'])
    .where('r.status', '=', 'succeeded')
    .where(sql`coalesce(r.settled_at, r.requested_at)`, '>=', start)
    .where(sql`coalesce(r.settled_at, r.requested_at)`, '<', end)
    .$if(school !== undefined, (q) => q.where('o.school_id', '=', school!))
    .execute()
  // A failed card refund settled as credit gave the money back too (as credit, on the day it was
  // granted); what the family later pays with that credit counts as paid again, so collected −
  // given back stays the money the school keeps.
  const credited = await db
    .selectFrom('family_credits as c')
    .innerJoin('refunds as r', 'r.id', 'c.refund_id')
    .innerJoin('live_payments as p', 'p.id', 'r.payment_id')
    .innerJoin('order_lines as l', (join) => join.on(REFUND_LINE))
    .innerJoin('offerings as o', 'o.id', 'l.offering_id')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    .select(['c.created_at as at', 'o.id as offering_id', 'o.title_fr', 'o.title_en', 'o.school_id', 'sc.name as school_name', 'p.channel', 'c.amount_cents as cents'])
    .where('c.kind', '=', 'granted')
    .where('r.tender', '=', 'card')
    .where('c.created_at', '>=', start)
    .where('c.created_at', '<', end)
    .$if(school !== undefined, (q) => q.where('o.school_id', '=', school!))
    .execute()
  const waived = await db
    .selectFrom('waivers as w')
    .innerJoin('offerings as o', 'o.id', 'w.offering_id')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    .select(['w.created_at as at', 'o.id as offering_id', 'o.title_fr', 'o.title_en', 'o.school_id', 'sc.name as school_name', 'w.amount_cents as cents'])
    .where('w.created_at', '>=', start)
    .where('w.created_at', '<', end)
    .$if(school !== undefined, (q) => q.where('o.school_id', '=', school!))
    .execute()

  // The lines of one payment share its instant: each instant's school day is worked out once.
  const days = new Map<string, string>()
  const dayOf = (at: string) => days.get(at) ?? days.set(at, localDateOf(at, TZ)).get(at)!
  const facts: Fact[] = [
    ...paid.map((r) => ({ ...r, channel: r.channel as string, day: dayOf(r.at), paid: r.cents, refunded: 0, waived: 0 })),
    ...[...refunded, ...credited].map((r) => ({ ...r, channel: r.channel as string, day: dayOf(r.at), paid: 0, refunded: r.cents, waived: 0 })),
    ...waived.map((r) => ({ ...r, channel: 'waiver', day: dayOf(r.at), paid: 0, refunded: 0, waived: r.cents })),
  ]

  function group(keyOf: (f: Fact) => string, label: (f: Fact) => Pick<MoneyRow, 'labelFr' | 'labelEn' | 'schoolName'>, sortBy: 'key' | 'label' = 'key'): MoneyRow[] {
    const rows = new Map<string, MoneyRow>()
    for (const f of facts) {
      const key = keyOf(f)
      const row = rows.get(key) ?? { key, ...label(f), paidCents: 0, refundedCents: 0, waivedCents: 0, netCents: 0 }
      row.paidCents += f.paid
      row.refundedCents += f.refunded
      row.waivedCents += f.waived
      row.netCents = row.paidCents - row.refundedCents
      rows.set(key, row)
    }
    return [...rows.values()].sort((a, b) => (sortBy === 'key' ? a.key.localeCompare(b.key) : a.labelFr.localeCompare(b.labelFr, 'fr-CA')))
  }

  const paidCents = facts.reduce((s, f) => s + f.paid, 0)
  const refundedCents = facts.reduce((s, f) => s + f.refunded, 0)
  return {
    from: options.from,
    to: options.to,
    byItem: group((f) => f.offering_id, (f) => ({ labelFr: f.title_fr, labelEn: f.title_en, schoolName: f.school_name }), 'label'),
    byDay: group((f) => f.day, (f) => ({ labelFr: f.day, labelEn: null, schoolName: '' })),
    byChannel: group((f) => f.channel, (f) => ({ labelFr: f.channel, labelEn: null, schoolName: '' })),
    bySchool: group((f) => f.school_id, (f) => ({ labelFr: f.school_name, labelEn: null, schoolName: f.school_name }), 'label'),
    totals: { paidCents, refundedCents, waivedCents: facts.reduce((s, f) => s + f.waived, 0), netCents: paidCents - refundedCents },
  }
}
