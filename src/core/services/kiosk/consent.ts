import type { KioskAnswerParsed, KioskItem } from '../../../shared/contract/kiosk'
import { GuichetError, type KeyedIssue } from '../../../shared/errors'
import type { HandlerContext } from '../../api/types'
import { signedNameMatches, whyNotOpen } from '../../domain/kiosk'
import { enqueue } from '../outbox'
import { newId } from '../ids'
import { itemView } from './family'
import { childIsEligible, currentAnswer, familyChildren, offeringInfo, outingSeat, requireChild } from './facts'
import { requireKiosk } from './session'

/**
 * A guardian's answer at the kiosk (DOMAIN.md, "Consent"): only a guardian consents, in person,
 * typing their full name and ticking a box. Written as a new row of the append-only history with
 * channel 'kiosk', the signed name and the answers to the item's questions, and sent to the board
 * in the same transaction (outbox `consent.record`).
 *
 * Saying no after a consent is a withdrawal, allowed until the deadline and while nothing has been
 * paid for the outing (a paid one is withdrawn through the office, which refunds).
 */
export async function answer(ctx: HandlerContext, input: KioskAnswerParsed): Promise<{ decision: 'granted' | 'declined' | 'withdrawn'; item: KioskItem }> {
  const { kiosk, guardianId } = requireKiosk(ctx)
  const child = await requireChild(ctx.db, guardianId, input.studentId)
  const offering = await offeringInfo(ctx.db, input.offeringId)
  if (!offering || (offering.kind !== 'outing' && offering.kind !== 'consent_form') || !childIsEligible(child, offering)) throw new GuichetError('FORBIDDEN')
  const closed = whyNotOpen(offering, ctx.now)
  if (closed) throw new GuichetError('KIOSK_NOT_AVAILABLE', {}, [{ path: 'offeringId', key: closed }])
  const guardian = await ctx.db.selectFrom('guardians').select(['first_name', 'last_name']).where('id', '=', guardianId).executeTakeFirstOrThrow()
  const issues: KeyedIssue[] = []
  if (!signedNameMatches(input.signedName, guardian.first_name, guardian.last_name)) issues.push({ path: 'signedName', key: 'kiosk.consent.nameMismatch' })

  const questions = await ctx.db.selectFrom('offering_questions').selectAll().where('offering_id', '=', offering.id).orderBy('sort').execute()
  const given = new Map(input.answers.map((a) => [a.questionId, a.value.trim()]))
  const answers: Array<{ questionId: string; label: string; value: string }> = []
  for (const q of questions) {
    const value = given.get(q.id) ?? ''
    // A refusal needs no answers; a consent answers every required question.
    if (value === '') {
      if (q.required === 1 && input.decision === 'granted') issues.push({ path: `answers.${q.id}`, key: 'kiosk.consent.answerRequired' })
      continue
    }
    let stored = value
    if (q.kind === 'yes_no' && value !== 'yes' && value !== 'no') issues.push({ path: `answers.${q.id}`, key: 'kiosk.consent.answerInvalid' })
    if (q.kind === 'choice') {
      const choices = q.choices ? (JSON.parse(q.choices) as Array<{ labelFr: string }>) : []
      const index = Number(value)
      if (!Number.isInteger(index) || !choices[index]) issues.push({ path: `answers.${q.id}`, key: 'kiosk.consent.answerInvalid' })
      else stored = choices[index]!.labelFr
    }
    answers.push({ questionId: q.id, label: q.label_fr, value: stored })
  }
  for (const id of given.keys()) if (!questions.some((q) => q.id === id)) issues.push({ path: `answers.${id}`, key: 'kiosk.consent.answerInvalid' })
  if (issues.length) throw new GuichetError('INVALID_INPUT', {}, issues)

  const current = await currentAnswer(ctx.db, offering.id, child.id)
  let decision: 'granted' | 'declined' | 'withdrawn' = input.decision
  if (input.decision === 'declined' && current?.decision === 'granted') {
    decision = 'withdrawn'
    if (offering.kind === 'outing') {
      const seat = await outingSeat(ctx.db, offering.id, child.id, ctx.now)
      if (seat.payment === 'paid') throw new GuichetError('KIOSK_NOT_AVAILABLE', {}, [{ path: 'decision', key: 'kiosk.consent.paidWithdrawal' }])
    }
  }

  const id = newId()
  const row = {
    id,
    offering_id: offering.id,
    student_id: child.id,
    guardian_id: guardianId,
    decision,
    signed_name: input.signedName.trim(),
    answers: JSON.stringify(answers),
    channel: 'kiosk' as const,
    recorded_at: ctx.now,
    recorded_by: null,
    reason: null,
  }
  await ctx.db.insertInto('consents').values(row).execute()
  await enqueue(ctx.db, ctx.now, {
    schoolId: offering.schoolId,
    type: 'consent.record',
    entityId: id,
    data: { id, offeringId: offering.id, studentId: child.id, guardianId, decision, signedName: row.signed_name, answers, channel: 'kiosk', recordedAt: ctx.now },
  })
  ctx.audit({ entity: 'consent', entityId: id, after: { offeringId: offering.id, studentId: child.id, guardianId, decision, channel: 'kiosk' } })

  const children = await familyChildren(ctx.db, guardianId)
  const item = await itemView(ctx.db, offering, child, guardianId, children, [...kiosk.cart.values()], ctx.now, ctx.locale)
  return { decision, item }
}
