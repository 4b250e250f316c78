import { sql, type RawBuilder } from 'kysely'
import { LINE_PAID } from './held-lines'

/**
 * Whether an eligible student has answered an item, as SQL over an offering aliased `o` and a
 * student aliased `s`: the one definition that the reminders and the call list share.
 *
 * - consent form: any decision on file;
 * - outing: consent declined or withdrawn, or given and settled (free, paid, or waived in full):
 *   a consent given for a paid outing that nobody paid is not an answer yet;
 * - fee: paid or waived in full; a family fee paid for one child answers for the siblings (children
 *   sharing a guardian) too;
 * - product: paid (an order line whose card was declined is not an answer);
 * - program: paid on a date of the ordering period `period` ('YYYY-MM', an SQL expression).
 * Paid is the ledger's word (held-lines.ts): a payment that was not voided.
 */
export function studentAnswered(period: RawBuilder<string | null>): RawBuilder<boolean> {
  const paid = sql<boolean>`EXISTS (SELECT 1 FROM order_lines l WHERE l.offering_id = o.id AND l.student_id = s.id AND ${LINE_PAID})`
  const waived = sql<boolean>`(o.price_cents > 0 AND (SELECT coalesce(sum(w.amount_cents), 0) FROM waivers w WHERE w.offering_id = o.id AND w.student_id = s.id) >= o.price_cents)`
  const decision = sql<string | null>`(SELECT c.decision FROM consents c WHERE c.offering_id = o.id AND c.student_id = s.id ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1)`
  const siblingPaid = sql<boolean>`EXISTS (SELECT 1 FROM order_lines l
    JOIN student_guardians mine ON mine.student_id = s.id
    JOIN student_guardians theirs ON theirs.guardian_id = mine.guardian_id AND theirs.student_id = l.student_id
    WHERE l.offering_id = o.id AND ${LINE_PAID})`
  const paidInPeriod = sql<boolean>`EXISTS (SELECT 1 FROM order_lines l JOIN program_dates pd ON pd.id = l.program_date_id
    WHERE l.offering_id = o.id AND l.student_id = s.id AND substr(pd.date, 1, 7) = ${period} AND ${LINE_PAID})`
  return sql<boolean>`(CASE o.kind
    WHEN 'consent_form' THEN EXISTS (SELECT 1 FROM consents c WHERE c.offering_id = o.id AND c.student_id = s.id)
    WHEN 'outing' THEN coalesce(${decision} IN ('declined', 'withdrawn') OR (${decision} = 'granted' AND (o.price_cents = 0 OR ${paid} OR ${waived})), 0)
    WHEN 'fee' THEN (${paid} OR ${waived} OR (o.fee_per = 'family' AND ${siblingPaid}))
    WHEN 'program' THEN ${paidInPeriod}
    ELSE ${paid} END)`
}

/** The ordering period a program is in at `now`: the month of its next date still open. */
export function openPeriod(now: string): RawBuilder<string | null> {
  return sql<string | null>`(SELECT substr(min(pd.date), 1, 7) FROM program_dates pd WHERE pd.offering_id = o.id AND pd.status = 'scheduled' AND pd.cutoff_at > ${now})`
}
