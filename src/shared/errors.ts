/**
 * Stable error codes that cross the boundary. The renderer branches on the code; the message
 * that comes with it is already translated in the caller's language (catalog key `error.<code>`).
 */
export const ERROR_CODES = [
  'UNKNOWN_METHOD',
  'INVALID_INPUT',
  'NOT_SIGNED_IN',
  'SESSION_LOCKED',
  'FORBIDDEN',
  'BAD_CREDENTIALS',
  'ACCOUNT_DISABLED',
  'NOT_FOUND',
  'CONFLICT',
  'DB_TOO_NEW',
  'CHANGE_BLOCKED',
  'LIFECYCLE',
  'CHECK_FAILED',
  'WARNINGS_UNCONFIRMED',
  'IMPORT_FAILED',
  'NO_SCHOOL_YEAR',
  'CANCEL_NEEDS_PRINCIPAL',
  'EXCEPTION_NEEDS_PRINCIPAL',
  'BAD_REQUEST',
  'REFUND_REFUSED',
  'REFUND_NEEDS_PRINCIPAL',
  'REFUND_NOT_CANCELLED',
  'REFUND_NOTHING_LEFT',
  'REFUND_NOT_FAILED',
  'PROCESSOR_UNAVAILABLE',
  'WAIVER_REFUSED',
  'CREDIT_REFUSED',
  'OUTING_MOVES_UNCONFIRMED',
  'SECRETS_UNAVAILABLE',
  'SYNC_ENROL_FAILED',
  'KIOSK_EXPIRED',
  'KIOSK_PIN_WRONG',
  'KIOSK_PIN_LOCKED',
  'KIOSK_NOT_AVAILABLE',
  'KIOSK_PAYMENT_BUSY',
  'PRINT_UNAVAILABLE',
  'PASSWORD_REFUSED',
  'PASSWORD_CHANGE_REQUIRED',
  'SIGN_IN_WAIT',
  'SIGN_IN_LOCKED',
  'LAST_ADMIN',
  'SETUP_DONE',
  'WORKSPACE_FIXED',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface FieldIssue {
  path: string
  message: string
}

export interface ErrorPayload {
  code: ErrorCode
  message: string
  issues?: FieldIssue[]
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload }

/** A reason given by a rule as a catalogue key; dispatch translates it into a FieldIssue. */
export interface KeyedIssue {
  path: string
  key: string
  values?: Record<string, string | number>
}

/** Thrown by handlers and services; dispatch turns it into an ErrorPayload. */
export class GuichetError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly values: Record<string, string | number> = {},
    readonly issues?: FieldIssue[] | KeyedIssue[],
  ) {
    super(code)
    this.name = 'GuichetError'
  }
}
