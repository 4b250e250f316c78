import type { Kysely } from 'kysely'
import type { KioskChild, KioskItem } from '../../../shared/contract/kiosk'
import type { Locale } from '../../../shared/i18n'
import type { DB } from '../../db/schema'
import { isOpenForParents, toEpochMs } from '../../domain/catalogue'
import type { CartLine } from '../../domain/kiosk'
import { pick } from './cart'
import { childIsEligible, currentAnswer, familyChildren, heldByStudents, outingSeat, takenOf, toInfo, waivedCents, type Child, type OfferingInfo } from './facts'

/**
 * What the guardian sees at the kiosk: each of their children with the items open to that child
 * now (published, opened, before the deadline, aimed at the child), with the deadline, the
 * choices, what the child already has, and for an outing its questions and the seats.
 */
export async function familyView(db: Kysely<DB>, guardianId: string, cart: readonly CartLine[], now: string, locale: Locale): Promise<KioskChild[]> {
  const children = await familyChildren(db, guardianId)
  const schoolIds = [...new Set(children.map((c) => c.schoolId))]
  if (schoolIds.length === 0) return []
  const rows = await db.selectFrom('offerings').selectAll().where('school_id', 'in', schoolIds).where('status', '=', 'published').orderBy('deadline_at').orderBy('title_fr').execute()
  const open = rows.filter((r) => isOpenForParents({ status: r.status, opensAt: r.opens_at, deadlineAt: r.deadline_at }, now))
  const targets = open.length ? await db.selectFrom('offering_targets').selectAll().where('offering_id', 'in', open.map((o) => o.id)).execute() : []
  const offerings = open.map((r) => toInfo(r, targets.filter((t) => t.offering_id === r.id).map((t) => ({ kind: t.kind, value: t.value }))))

  const out: KioskChild[] = []
  for (const child of children) {
    const items: KioskItem[] = []
    for (const offering of offerings) {
      if (!childIsEligible(child, offering)) continue
      items.push(await itemView(db, offering, child, guardianId, children, cart, now, locale))
    }
    out.push({ id: child.id, firstName: child.firstName, lastName: child.lastName, grade: child.grade, schoolId: child.schoolId, schoolName: child.schoolName, items })
  }
  return out
}

export async function itemView(
  db: Kysely<DB>,
  offering: OfferingInfo,
  child: Child,
  guardianId: string,
  children: readonly Child[],
  cart: readonly CartLine[],
  now: string,
  locale: Locale,
): Promise<KioskItem> {
  const [variants, questions, dates] = await Promise.all([
    db.selectFrom('offering_variants').select(['id', 'label_fr', 'label_en', 'price_cents']).where('offering_id', '=', offering.id).where('active', '=', 1).orderBy('sort').execute(),
    db.selectFrom('offering_questions').selectAll().where('offering_id', '=', offering.id).orderBy('sort').execute(),
    offering.kind === 'program'
      ? db.selectFrom('program_dates').select(['id', 'date', 'cutoff_at']).where('offering_id', '=', offering.id).where('status', '=', 'scheduled').orderBy('date').execute()
      : Promise.resolve([]),
  ])
  const family = offering.kind === 'fee' && offering.feePer === 'family' ? children.filter((c) => c.schoolId === offering.schoolId).map((c) => c.id) : [child.id]
  const held = await heldByStudents(db, offering.id, family)
  const mine = held.filter((h) => h.studentId === child.id)
  const inCart = cart.filter((l) => l.offeringId === offering.id && l.studentId === child.id)
  const bought = offering.kind === 'program' ? mine.filter((h) => h.quantity > 0).length : mine.reduce((sum, h) => sum + h.quantity, 0)

  let settled = false
  if (offering.kind === 'fee') settled = held.some((h) => h.quantity > 0) || (offering.priceCents > 0 && (await waivedCents(db, offering.id, child.id)) >= offering.priceCents)
  let outing: KioskItem['outing'] = null
  if (offering.kind === 'outing') {
    const [row, seat] = await Promise.all([db.selectFrom('outings').selectAll().where('offering_id', '=', offering.id).executeTakeFirst(), outingSeat(db, offering.id, child.id, now)])
    settled = seat.payment === 'paid' || seat.payment === 'waived' || bought > 0
    if (row) {
      outing = {
        startsOn: row.starts_on,
        endsOn: row.ends_on,
        startTime: row.start_time,
        endTime: row.end_time,
        destination: row.destination,
        state: seat.state,
        waitlistPosition: seat.waitlistPosition,
        seatsLeft: seat.seatsLeft,
        fullIfPaid: seat.ifPaid === 'waitlisted',
      }
    }
  }
  const needsAnswer = offering.kind === 'outing' || offering.kind === 'consent_form'
  const answer = needsAnswer ? await currentAnswer(db, offering.id, child.id) : null
  const stockLeft = offering.kind === 'product' && offering.stockLimit !== null ? Math.max(0, offering.stockLimit - (await takenOf(db, offering.id))) : null

  return {
    offeringId: offering.id,
    kind: offering.kind,
    title: pick(locale, offering.titleFr, offering.titleEn),
    description: pick(locale, offering.descriptionFr, offering.descriptionEn),
    deadlineAt: offering.deadlineAt,
    priceCents: offering.priceCents,
    variants: variants.map((v) => ({ id: v.id, label: pick(locale, v.label_fr, v.label_en), priceCents: v.price_cents })),
    dates: dates
      .filter((d) => toEpochMs(d.cutoff_at) > toEpochMs(now))
      .map((d) => ({
        id: d.id,
        date: d.date,
        cutoffAt: d.cutoff_at,
        bought: mine.some((h) => h.programDateId === d.id && h.quantity > 0),
        inCart: inCart.find((l) => l.programDateId === d.id)?.variantId ?? null,
      })),
    perStudentLimit: offering.perStudentLimit,
    stockLeft,
    bought,
    settled,
    inCart: inCart.length > 0,
    questions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      label: pick(locale, q.label_fr, q.label_en),
      required: q.required === 1,
      choices: q.choices ? (JSON.parse(q.choices) as Array<{ labelFr: string; labelEn: string | null }>).map((c) => pick(locale, c.labelFr, c.labelEn)) : [],
    })),
    answer: answer ? { decision: answer.decision, signedName: answer.signedName, recordedAt: answer.recordedAt, answers: answer.answers } : null,
    outing,
  }
}
