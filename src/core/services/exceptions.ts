import { GuichetError } from '../../shared/errors'
import { requireSession, type HandlerContext } from '../api/types'
import { newId } from './ids'
import { enqueue } from './outbox'

export type ExceptionKind = 'deadline_extended' | 'reopened' | 'late_withdrawal'

/**
 * The principal's exception to a rule families were told is final (DOMAIN.md, "Deadlines"): a
 * deadline pushed later, a closed item reopened, a consent withdrawn after the deadline. Refused
 * to a secretary and without a reason; otherwise audited and sent to the board (exception.record)
 * in the caller's transaction, after the mutation that carries the change itself.
 */
export function approveException(ctx: HandlerContext, reason: string | undefined, path: string): string {
  if (requireSession(ctx).role === 'secretary') throw new GuichetError('EXCEPTION_NEEDS_PRINCIPAL')
  const text = reason?.trim() ?? ''
  if (text === '') throw new GuichetError('INVALID_INPUT', {}, [{ path, key: 'rules.exceptionReasonRequired' }])
  return text
}

export async function recordException(
  ctx: HandlerContext,
  e: { kind: ExceptionKind; schoolId: string; offeringId: string; studentId?: string | null; reason: string; changes?: Array<{ field: string; before: string; after: string }> },
): Promise<string> {
  const session = requireSession(ctx)
  const id = newId()
  await enqueue(ctx.db, ctx.now, {
    schoolId: e.schoolId,
    type: 'exception.record',
    entityId: id,
    data: { id, kind: e.kind, offeringId: e.offeringId, studentId: e.studentId ?? null, reason: e.reason, approvedBy: session.displayName, at: ctx.now, changes: e.changes ?? [] },
  })
  return id
}
