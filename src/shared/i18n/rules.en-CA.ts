import type { rulesFrCA } from './rules.fr-CA'

export const rulesEnCA: Record<keyof typeof rulesFrCA, string> = {
  'error.EXCEPTION_NEEDS_PRINCIPAL': 'Families were told this deadline is final: pushing it later, reopening the item or withdrawing a student after the deadline is the principal’s call, with a reason.',
  'rules.exceptionReasonRequired': 'Give the reason for this exception: it goes into the audit log and to the board.',
  'rules.exceptionReasonLabel': 'Reason for the exception (principal)',
  'rules.exceptionHint': 'After publishing, pushing a deadline later or reopening is the principal’s call, with a reason.',
}
