import type { Kysely } from 'kysely'
import { GuichetError } from '../../shared/errors'
import type { DB } from '../db/schema'
import { newId } from './ids'
import { enqueue } from './outbox'
import { refundFacts } from './refunds/ledger'

/**
 * Family credits: a failed refund settled as a credit for later purchases at the same school
 * (payments are per school), held by the guardian who paid; used on a later order. Entries only
 * (migration 0007): the balance is derived, and the file refuses a use above it.
 *
 * Each entry goes to the board (`credit.record`) in the transaction that writes it, after the
 * mutation of what it names (the board refuses a credit for a refund or a sale it does not know,
 * and the outbox is sent in order): the school owes that money whatever becomes of this PC.
 */
export interface CreditActor {
  staffId: string | null
  now: string
}

export async function creditBalance(db: Kysely<DB>, schoolId: string, guardianId: string): Promise<number> {
  const row = await db
    .selectFrom('family_credits')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('kind', '=', 'granted').then(eb.ref('amount_cents')).else(eb.neg(eb.ref('amount_cents'))).end()), eb.lit(0)).as('n'))
    .where('school_id', '=', schoolId)
    .where('guardian_id', '=', guardianId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface SettledCredit {
  creditId: string
  schoolId: string
  guardianId: string
  amountCents: number
  balanceCents: number
}

/**
 * Settles a failed refund (failed at once, or reversed later) as a credit of its whole amount,
 * with a reason; the refund is resolved once (REFUND_NOT_FAILED otherwise). The request's
 * approval covers it: the threshold is not asked again.
 */
export async function settleAsCredit(db: Kysely<DB>, who: CreditActor, refundId: string, reason: string): Promise<SettledCredit> {
  const refund = await refundFacts(db, refundId)
  if (!refund) throw new GuichetError('NOT_FOUND', { what: 'refund' })
  if (refund.status !== 'failed' || refund.resolved) throw new GuichetError('REFUND_NOT_FAILED')
  // A voided payment took nothing: a credit for it would be money the family never paid.
  const voided = await db.selectFrom('payment_voids').select('payment_id').where('payment_id', '=', refund.paymentId).executeTakeFirst()
  if (voided) throw new GuichetError('REFUND_REFUSED', { count: 1 }, [{ path: 'refundId', key: 'refund.paymentVoided' }])
  const creditId = await grantCredit(db, who, { schoolId: refund.schoolId, guardianId: refund.guardianId, amountCents: refund.amountCents, refundId: refund.id, reason })
  await db
    .insertInto('refund_resolutions')
    .values({ refund_id: refund.id, kind: 'credited', retry_refund_id: null, credit_id: creditId, reason, resolved_by: who.staffId, resolved_at: who.now })
    .execute()
  return {
    creditId,
    schoolId: refund.schoolId,
    guardianId: refund.guardianId,
    amountCents: refund.amountCents,
    balanceCents: await creditBalance(db, refund.schoolId, refund.guardianId),
  }
}

/**
 * Uses some of a guardian's credit at a school toward a later order (the kiosk's sale, issue 7).
 * CREDIT_REFUSED when the amount is not positive, the order is another school's or family's, or
 * the balance is too small; nothing changes then. The caller sends the entry to the board
 * (`enqueueCredit`) after the sale's `order.record`: the 0013 trigger wants the entry written
 * before the payment, the board wants the sale before the entry.
 */
export async function useCredit(db: Kysely<DB>, who: CreditActor, use: { schoolId: string; guardianId: string; orderId: string; amountCents: number }): Promise<string> {
  const order = await db.selectFrom('orders').select(['school_id', 'guardian_id']).where('id', '=', use.orderId).executeTakeFirst()
  if (!order) throw new GuichetError('NOT_FOUND', { what: 'order' })
  const balanceCents = await creditBalance(db, use.schoolId, use.guardianId)
  if (!Number.isSafeInteger(use.amountCents) || use.amountCents <= 0 || order.school_id !== use.schoolId || order.guardian_id !== use.guardianId || use.amountCents > balanceCents) {
    throw new GuichetError('CREDIT_REFUSED', { balanceCents })
  }
  const id = newId()
  await db
    .insertInto('family_credits')
    .values({
      id,
      school_id: use.schoolId,
      guardian_id: use.guardianId,
      kind: 'used',
      amount_cents: use.amountCents,
      refund_id: null,
      order_id: use.orderId,
      reason: null,
      created_by: who.staffId,
      created_at: who.now,
    })
    .execute()
  return id
}

/**
 * Gives a refund's whole amount back as the family's credit (a failed card refund settled so, or
 * the part of a payment made with credit), and tells the board after the refund it names, in the
 * caller's transaction. The 0013 trigger checks the refund allows it.
 */
export async function grantCredit(
  db: Kysely<DB>,
  who: CreditActor,
  grant: { schoolId: string; guardianId: string; amountCents: number; refundId: string; reason: string },
): Promise<string> {
  const id = newId()
  await db
    .insertInto('family_credits')
    .values({
      id,
      school_id: grant.schoolId,
      guardian_id: grant.guardianId,
      kind: 'granted',
      amount_cents: grant.amountCents,
      refund_id: grant.refundId,
      order_id: null,
      reason: grant.reason,
      created_by: who.staffId,
      created_at: who.now,
    })
    .execute()
  await enqueueCredit(db, who.now, id)
  return id
}

/**
 * Tells the board of a credit entry (`credit.record`), in the caller's transaction. The caller
 * enqueues it after the mutation of the refund or sale it names.
 */
export async function enqueueCredit(db: Kysely<DB>, now: string, creditId: string): Promise<void> {
  const c = await db.selectFrom('family_credits').selectAll().where('id', '=', creditId).executeTakeFirstOrThrow()
  await enqueue(db, now, {
    schoolId: c.school_id,
    type: 'credit.record',
    entityId: c.id,
    data: { id: c.id, guardianId: c.guardian_id, kind: c.kind, amountCents: c.amount_cents, refundId: c.refund_id, orderId: c.order_id, reason: c.reason, createdAt: c.created_at },
  })
}

/** The guardians of a student: the family whose credits staff look at. */
export async function familyGuardians(db: Kysely<DB>, studentId: string): Promise<string[]> {
  return (await db.selectFrom('student_guardians').select('guardian_id').where('student_id', '=', studentId).execute()).map((r) => r.guardian_id)
}

export async function familyCredits(db: Kysely<DB>, guardianIds: readonly string[]) {
  if (guardianIds.length === 0) return { balances: [], entries: [] }
  const rows = await db
    .selectFrom('family_credits as c')
    .innerJoin('schools as sc', 'sc.id', 'c.school_id')
    .innerJoin('guardians as g', 'g.id', 'c.guardian_id')
    .select(['c.id', 'c.school_id', 'sc.name as school_name', 'c.guardian_id', 'g.first_name', 'g.last_name', 'c.kind', 'c.amount_cents', 'c.refund_id', 'c.order_id', 'c.reason', 'c.created_at'])
    .where('c.guardian_id', 'in', [...guardianIds])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute()
  const entries = rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    schoolName: r.school_name,
    guardianId: r.guardian_id,
    guardianName: `${r.first_name} ${r.last_name}`,
    kind: r.kind,
    amountCents: r.amount_cents,
    refundId: r.refund_id,
    orderId: r.order_id,
    reason: r.reason,
    createdAt: r.created_at,
  }))
  const balances = new Map<string, { schoolId: string; schoolName: string; guardianId: string; guardianName: string; balanceCents: number }>()
  for (const e of entries) {
    const key = `${e.schoolId}|${e.guardianId}`
    const b = balances.get(key) ?? { schoolId: e.schoolId, schoolName: e.schoolName, guardianId: e.guardianId, guardianName: e.guardianName, balanceCents: 0 }
    b.balanceCents += e.kind === 'granted' ? e.amountCents : -e.amountCents
    balances.set(key, b)
  }
  return { balances: [...balances.values()], entries }
}
