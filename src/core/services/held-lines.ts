import { sql } from 'kysely'

/**
 * What the ledger says of an order line, as SQL over a line aliased `l`: the one definition that
 * order sheets, delivery lists, the dashboard's portions, the reports' counts, outings' paid
 * students and the kiosk's stock and limits share, so that they never disagree.
 */

/** Its order was paid, by a payment that was not voided (a voided payment took nothing). */
export const LINE_PAID = sql<boolean>`EXISTS (SELECT 1 FROM live_payments p WHERE p.order_id = l.order_id)`

/**
 * Not wholly given back. Given back: its pending and succeeded refunds (a pending refund counts:
 * the family was told; one reversed later does not), and the credits granted for its failed card
 * refunds (the family has that money back, as credit). A refund to credit is a succeeded refund,
 * counted once.
 */
export const LINE_NOT_GIVEN_BACK = sql<boolean>`l.amount_cents > (SELECT coalesce(sum(r.amount_cents), 0) FROM refund_states r WHERE r.order_line_id = l.id AND r.status IN ('pending', 'succeeded'))
  + (SELECT coalesce(sum(c.amount_cents), 0) FROM family_credits c JOIN refunds f ON f.id = c.refund_id WHERE f.order_line_id = l.id AND c.kind = 'granted' AND f.tender = 'card')`

/** Paid and not wholly given back: a portion to deliver, a seat taken, a unit sold. */
export const LINE_HELD = sql<boolean>`(${LINE_PAID} AND ${LINE_NOT_GIVEN_BACK})`
