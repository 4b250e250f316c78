import type { Kysely } from 'kysely'
import type { KioskCart, KioskCartAddParsed, KioskCartLine } from '../../../shared/contract/kiosk'
import { GuichetError, type KeyedIssue } from '../../../shared/errors'
import { formatSchoolDate } from '../../../shared/format'
import type { Locale } from '../../../shared/i18n'
import type { HandlerContext } from '../../api/types'
import type { DB } from '../../db/schema'
import { checkLine, lineKey, priceLine, splitBySchool, type CartKind, type CartLine, type KioskProblem, type LineCheck, type PricedLine } from '../../domain/kiosk'
import { translateCode } from '../../i18n'
import { creditBalance } from '../credits'
import { familyChildren, lineFacts, offeringInfo, requireChild } from './facts'
import { requireKiosk, type KioskState } from './session'

/**
 * The cart lives in the kiosk session (memory only) and is forgotten with it. Every line is
 * checked when it is added, whenever the cart is shown, and again when it is paid.
 */

export const pick = (locale: Locale, fr: string, en: string | null) => (locale === 'en-CA' ? (en ?? fr) : fr)

export interface CheckedLine extends PricedLine {
  check: LineCheck
}

/** Each line of the cart checked now, against the others (stock and limits count the whole cart). */
export async function checkCart(db: Kysely<DB>, guardianId: string, lines: readonly CartLine[], now: string): Promise<CheckedLine[]> {
  const out: CheckedLine[] = []
  for (const line of lines) {
    const others = lines.filter((l) => l.key !== line.key && l.offeringId === line.offeringId)
    const facts = await lineFacts(db, guardianId, line, now)
    const check = checkLine(line, facts, {
      now,
      otherOfItem: others.reduce((sum, l) => sum + l.quantity, 0),
      otherOfStudent: others.filter((l) => l.studentId === line.studentId).reduce((sum, l) => sum + l.quantity, 0),
    })
    out.push({ ...priceLine(line, Math.max(0, check.unitPriceCents)), check })
  }
  return out
}

function problemsOf(check: LineCheck): KioskProblem[] {
  return check.ok ? [] : check.problems
}

function message(locale: Locale, p: KioskProblem): string {
  return translateCode(locale, p.code, valuesOf(locale, p))
}

/** The problems of lines as field issues (path: the line's key), for a refusal. */
export function issuesOf(locale: Locale, lines: readonly CheckedLine[]): KeyedIssue[] {
  return lines.flatMap((l) => problemsOf(l.check).map((p) => ({ path: l.key, key: p.code, values: valuesOf(locale, p) })))
}

function valuesOf(locale: Locale, p: KioskProblem): Record<string, string | number> {
  const values = { ...p.values }
  if (typeof values.date === 'string' && values.date) values.date = formatSchoolDate(values.date, locale)
  return values
}

export async function addToCart(ctx: HandlerContext, input: KioskCartAddParsed): Promise<KioskCart> {
  const { kiosk, guardianId } = requireKiosk(ctx)
  await requireChild(ctx.db, guardianId, input.studentId)
  const offering = await offeringInfo(ctx.db, input.offeringId)
  if (!offering || offering.kind === 'consent_form') throw new GuichetError('FORBIDDEN')
  const kind: CartKind = offering.kind
  const base = {
    studentId: input.studentId,
    offeringId: offering.id,
    schoolId: offering.schoolId,
    kind,
    variantId: kind === 'product' || kind === 'program' ? input.variantId : null,
    programDateId: kind === 'program' ? input.programDateId : null,
    quantity: kind === 'product' ? input.quantity : 1,
    waitlist: kind === 'outing' ? input.waitlist : false,
  }
  const line: CartLine = { ...base, key: lineKey(base) }
  const rest = [...kiosk.cart.values()].filter((l) => l.key !== line.key)
  const [checked] = await checkCart(ctx.db, guardianId, [line, ...rest], ctx.now)
  if (!checked!.check.ok) throw new GuichetError('KIOSK_NOT_AVAILABLE', {}, issuesOf(ctx.locale, [checked!]))
  ctx.audit({ entity: 'guardian', entityId: guardianId, detail: { kiosk: 'cart.add', line: { ...line } } })
  ctx.afterCommit(() => void kiosk.cart.set(line.key, line))
  const next = new Map(kiosk.cart)
  next.set(line.key, line)
  return cartView(ctx, guardianId, [...next.values()])
}

export async function removeFromCart(ctx: HandlerContext, key: string): Promise<KioskCart> {
  const { kiosk, guardianId } = requireKiosk(ctx)
  ctx.audit({ entity: 'guardian', entityId: guardianId, detail: { kiosk: 'cart.remove', key } })
  ctx.afterCommit(() => void kiosk.cart.delete(key))
  return cartView(ctx, guardianId, [...kiosk.cart.values()].filter((l) => l.key !== key))
}

/** The cart as the guardian sees it: by school, each line priced and checked now. */
export async function cartView(ctx: HandlerContext, guardianId: string, lines: readonly CartLine[]): Promise<KioskCart> {
  const checked = await checkCart(ctx.db, guardianId, lines, ctx.now)
  const children = new Map((await familyChildren(ctx.db, guardianId)).map((c) => [c.id, c]))
  const schools = await ctx.db.selectFrom('schools').select(['id', 'name']).execute()
  const schoolName = new Map(schools.map((s) => [s.id, s.name]))
  const views: Array<KioskCartLine & { schoolId: string }> = []
  for (const l of checked) views.push({ ...(await lineView(ctx, l, children.get(l.studentId))), schoolId: l.schoolId })
  const split = splitBySchool(checked)
  const credits = new Map<string, number>()
  for (const s of split) credits.set(s.schoolId, await creditBalance(ctx.db, s.schoolId, guardianId))
  return {
    schools: split.map((s) => {
      const lineViews = views.filter((v) => v.schoolId === s.schoolId).map(({ schoolId: _schoolId, ...v }) => v)
      return {
        schoolId: s.schoolId,
        schoolName: schoolName.get(s.schoolId) ?? '',
        lines: lineViews,
        totalCents: s.totalCents,
        payable: s.lines.every((l) => l.check.ok),
        creditCents: credits.get(s.schoolId) ?? 0,
      }
    }),
    totalCents: split.reduce((sum, s) => sum + s.totalCents, 0),
  }
}

async function lineView(ctx: HandlerContext, l: CheckedLine, child: { firstName: string; lastName: string } | undefined): Promise<KioskCartLine> {
  const locale = ctx.locale
  const offering = await ctx.db.selectFrom('offerings').select(['title_fr', 'title_en']).where('id', '=', l.offeringId).executeTakeFirst()
  const variant = l.variantId ? await ctx.db.selectFrom('offering_variants').select(['label_fr', 'label_en']).where('id', '=', l.variantId).executeTakeFirst() : undefined
  const date = l.programDateId ? await ctx.db.selectFrom('program_dates').select('date').where('id', '=', l.programDateId).executeTakeFirst() : undefined
  const parts = [date ? formatSchoolDate(date.date, locale) : null, variant ? pick(locale, variant.label_fr, variant.label_en) : null, l.waitlist ? translateCode(locale, 'kiosk.cart.waitlist') : null]
  const detail = parts.filter(Boolean).join(' — ')
  return {
    key: l.key,
    studentId: l.studentId,
    studentName: child ? `${child.firstName} ${child.lastName}` : '',
    offeringId: l.offeringId,
    kind: l.kind,
    title: offering ? pick(locale, offering.title_fr, offering.title_en) : '',
    detail: detail || null,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    amountCents: l.amountCents,
    waitlist: l.waitlist,
    problems: problemsOf(l.check).map((p) => ({ code: p.code, message: message(locale, p) })),
  }
}

/** The current cart of a session (for `kiosk.cart`). */
export async function currentCart(ctx: HandlerContext): Promise<KioskCart> {
  const { kiosk, guardianId } = requireKiosk(ctx)
  return cartView(ctx, guardianId, [...kiosk.cart.values()])
}

/** The lines of one school, checked now: what `kiosk.pay` charges, or a refusal line by line. */
export async function schoolLines(ctx: HandlerContext, kiosk: KioskState, guardianId: string, schoolId: string): Promise<PricedLine[]> {
  const all = [...kiosk.cart.values()]
  const checked = (await checkCart(ctx.db, guardianId, all, ctx.now)).filter((l) => l.schoolId === schoolId)
  if (checked.length === 0) throw new GuichetError('BAD_REQUEST', { reason: 'cartEmpty' })
  const bad = checked.filter((l) => !l.check.ok)
  if (bad.length) throw new GuichetError('KIOSK_NOT_AVAILABLE', {}, issuesOf(ctx.locale, bad))
  return checked.map(({ check: _check, ...line }) => line)
}
