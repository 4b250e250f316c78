import type { Kysely } from 'kysely'
import { GuichetError } from '../../shared/errors'
import { formatMoney } from '../../shared/format'
import type { Locale } from '../../shared/i18n'
import type { DB } from '../db/schema'
import { checkWaiver, waiverBudget } from '../domain/money'
import { newId } from './ids'
import { enqueue } from './outbox'

/**
 * Waivers: the principal covers all or part of a fee or an outing for one student, drawn on the
 * school's assistance budget (entries of migration 0007; the balance is derived). The reason is
 * confidential: families.history and every other staff view show a waiver as covered, without it.
 */
export interface WaiverActor {
  staffId: string | null
  now: string
  locale: Locale
}

export interface BudgetFacts {
  allocatedCents: number
  waivedCents: number
  remainingCents: number
}

export async function budgetFacts(db: Kysely<DB>, schoolId: string): Promise<BudgetFacts> {
  const [allocated, waived] = await Promise.all([
    db
      .selectFrom('assistance_budget_entries')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('n'))
      .where('school_id', '=', schoolId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('waivers as w')
      .innerJoin('offerings as o', 'o.id', 'w.offering_id')
      .select('w.amount_cents')
      .where('o.school_id', '=', schoolId)
      .execute(),
  ])
  const allocatedCents = Number(allocated.n)
  const remainingCents = waiverBudget({ budgetCents: allocatedCents, waivers: waived.map((w) => ({ amountCents: w.amount_cents })) })
  return { allocatedCents, waivedCents: allocatedCents - remainingCents, remainingCents }
}

export interface GrantedWaiver {
  waiverId: string
  schoolId: string
  amountCents: number
  remainingBudgetCents: number
}

/**
 * Grants a waiver. Refused (WAIVER_REFUSED, with the rule's code on `amountCents`; nothing
 * changes) when the item is neither a fee nor an outing, the student is another school's, the
 * amount is not positive, more than the item's price less what was already waived for the
 * student, or more than what is left of the budget. No amount: all that is left of the price.
 */
export async function grantWaiver(
  db: Kysely<DB>,
  who: WaiverActor,
  input: { studentId: string; offeringId: string; amountCents?: number | undefined; reason: string },
): Promise<GrantedWaiver> {
  const [offering, student] = await Promise.all([
    db.selectFrom('offerings').select(['id', 'school_id', 'kind', 'price_cents', 'source_id']).where('id', '=', input.offeringId).executeTakeFirst(),
    db.selectFrom('students').select(['id', 'school_id', 'source_id']).where('id', '=', input.studentId).executeTakeFirst(),
  ])
  if (!offering) throw new GuichetError('NOT_FOUND', { what: 'offering' })
  if (!student) throw new GuichetError('NOT_FOUND', { what: 'student' })
  const refuse = (key: string, values: Record<string, string | number> = {}) =>
    new GuichetError('WAIVER_REFUSED', {}, [{ path: key.startsWith('waiver.not') || key === 'waiver.otherSchool' ? 'offeringId' : 'amountCents', key, values }])
  if (offering.kind !== 'fee' && offering.kind !== 'outing') throw refuse('waiver.notWaivable')
  if (student.school_id !== offering.school_id) throw refuse('waiver.otherSchool')

  const already = await db
    .selectFrom('waivers')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('n'))
    .where('student_id', '=', student.id)
    .where('offering_id', '=', offering.id)
    .executeTakeFirstOrThrow()
  const alreadyWaivedCents = Number(already.n)
  const budget = await budgetFacts(db, offering.school_id)
  const amountCents = input.amountCents ?? Math.max(0, offering.price_cents - alreadyWaivedCents)
  const check = checkWaiver({ amountCents, priceCents: offering.price_cents, alreadyWaivedCents, remainingBudgetCents: budget.remainingCents })
  if (!check.ok) {
    const values: Record<string, string | number> = { ...(check.values ?? {}) }
    for (const [k, v] of Object.entries(check.values ?? {})) values[k.replace(/Cents$/, '')] = formatMoney(v, who.locale)
    throw refuse(check.code, values)
  }

  const waiverId = newId()
  await db
    .insertInto('waivers')
    .values({ id: waiverId, student_id: student.id, offering_id: offering.id, amount_cents: amountCents, reason: input.reason, approved_by: who.staffId, created_at: who.now })
    .execute()
  // The board learns that the student is covered, and by how much; the reason stays here.
  await enqueue(db, who.now, {
    schoolId: offering.school_id,
    type: 'waiver.record',
    entityId: waiverId,
    data: { id: waiverId, studentId: student.id, studentSourceId: student.source_id, offeringId: offering.id, offeringSourceId: offering.source_id, amountCents, createdAt: who.now },
  })
  return { waiverId, schoolId: offering.school_id, amountCents, remainingBudgetCents: budget.remainingCents - amountCents }
}

export async function addBudget(db: Kysely<DB>, who: WaiverActor, input: { schoolId: string; amountCents: number; reason: string }): Promise<BudgetFacts> {
  const school = await db.selectFrom('schools').select('id').where('id', '=', input.schoolId).executeTakeFirst()
  if (!school) throw new GuichetError('NOT_FOUND', { what: 'school' })
  // A correction may take back what is left, never more: the budget never goes below zero.
  const { remainingCents } = await budgetFacts(db, school.id)
  if (remainingCents + input.amountCents < 0) {
    throw new GuichetError('INVALID_INPUT', {}, [{ path: 'amountCents', key: 'budget.belowZero', values: { remainingCents } }])
  }
  await db
    .insertInto('assistance_budget_entries')
    .values({ id: newId(), school_id: school.id, amount_cents: input.amountCents, reason: input.reason, created_by: who.staffId, created_at: who.now })
    .execute()
  return budgetFacts(db, school.id)
}

export async function budgetView(db: Kysely<DB>, schoolId: string) {
  const facts = await budgetFacts(db, schoolId)
  const [entries, waivers] = await Promise.all([
    db.selectFrom('assistance_budget_entries').selectAll().where('school_id', '=', schoolId).orderBy('created_at', 'desc').execute(),
    db
      .selectFrom('waivers as w')
      .innerJoin('offerings as o', 'o.id', 'w.offering_id')
      .innerJoin('students as s', 's.id', 'w.student_id')
      .select(['w.id', 'w.student_id', 's.first_name', 's.last_name', 'w.offering_id', 'o.title_fr', 'o.title_en', 'w.amount_cents', 'w.reason', 'w.created_at'])
      .where('o.school_id', '=', schoolId)
      .orderBy('w.created_at', 'desc')
      .execute(),
  ])
  return {
    ...facts,
    entries: entries.map((e) => ({ id: e.id, amountCents: e.amount_cents, reason: e.reason, createdBy: e.created_by, createdAt: e.created_at })),
    waivers: waivers.map((w) => ({
      id: w.id,
      studentId: w.student_id,
      studentName: `${w.first_name} ${w.last_name}`,
      offeringId: w.offering_id,
      titleFr: w.title_fr,
      titleEn: w.title_en,
      amountCents: w.amount_cents,
      reason: w.reason,
      createdAt: w.created_at,
    })),
  }
}
