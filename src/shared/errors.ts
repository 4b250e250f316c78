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
  'REQUEST_REFUSED',
  'BACKUP_FOLDER',
  'BACKUP_FAILED',
  'BACKUP_BUSY',
  'RESTORE_REFUSED',
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

/**
 * What a refusal may name when nothing is found: the kind of thing, never the caller's input
 * (an id typed into a form, or a hostile string, is not echoed back).
 */
export const NOT_FOUND_KINDS = [
  'school',
  'student',
  'guardian',
  'offering',
  'outing',
  'programDate',
  'order',
  'orderLine',
  'payment',
  'refund',
  'refundJob',
  'chaperone',
  'syncConflict',
  'syncRejection',
  'rosterAlert',
  'calendarDay',
  'staff',
  'printJob',
] as const
export type NotFoundKind = (typeof NOT_FOUND_KINDS)[number]

/** Why a well-formed request cannot be done now; each has its own message. */
export const BAD_REQUEST_REASONS = ['cartEmpty', 'nothingToPay', 'noCardReader', 'noPayouts', 'fetchExpired'] as const
export type BadRequestReason = (typeof BAD_REQUEST_REASONS)[number]

/** Why browser mode's bridge refused a request before the core saw it (src/web/server.ts). */
export const REQUEST_REFUSED_REASONS = ['badRequest', 'key', 'method', 'mediaType', 'host', 'tooLarge', 'notFound'] as const
export type RequestRefusedReason = (typeof REQUEST_REFUSED_REASONS)[number]

/** Why a new password is refused (domain/accounts/password-rules.ts, and 'same' as the old one). */
export const PASSWORD_REFUSED_REASONS = ['tooShort', 'tooLong', 'common', 'personal', 'repetitive', 'same'] as const
export type PasswordRefusedReason = (typeof PASSWORD_REFUSED_REASONS)[number]

/** Why nothing can be printed (services/printing.ts, api/printing.ts, domain/print-plan.ts). */
export const PRINT_UNAVAILABLE_REASONS = ['browser', 'noAnswer', 'unknownPrinter', 'kioskNoReceiptPrinter', 'kioskSheet'] as const

/** Why a backup folder or a backup to restore is refused (services/backups.ts). */
export const BACKUP_FOLDER_REASONS = ['not_set', 'not_absolute', 'missing', 'not_a_folder', 'not_writable'] as const
export const RESTORE_REFUSED_REASONS = ['unknown', 'corrupt', 'too_new'] as const

/**
 * The values each code's message is given; a code not listed takes none. The compiler holds
 * every call site to this, and tests/unit/error-messages.test.ts formats each code with them.
 */
export interface ErrorValues {
  NOT_FOUND: { what: NotFoundKind }
  BAD_REQUEST: { reason: BadRequestReason }
  REQUEST_REFUSED: { reason: RequestRefusedReason }
  KIOSK_PIN_LOCKED: { seconds: number }
  REFUND_NEEDS_PRINCIPAL: { amount: string; threshold: string }
  REFUND_REFUSED: { count: number }
  OUTING_MOVES_UNCONFIRMED: { count: number }
  CREDIT_REFUSED: { balanceCents: number }
  DB_TOO_NEW: { found: number; known: number }
  PASSWORD_REFUSED: { reason: PasswordRefusedReason; min: number }
  SIGN_IN_WAIT: { seconds: number }
  SIGN_IN_LOCKED: { minutes: number }
  PRINT_UNAVAILABLE: { reason: (typeof PRINT_UNAVAILABLE_REASONS)[number] }
  BACKUP_FOLDER: { reason: (typeof BACKUP_FOLDER_REASONS)[number] }
  RESTORE_REFUSED: { reason: (typeof RESTORE_REFUSED_REASONS)[number] }
  /** The board's error code (not the caller's input): a few are named, the rest shown as given. */
  SYNC_ENROL_FAILED: { reason: string }
}
type ValuesArgs<C extends ErrorCode> = C extends keyof ErrorValues
  ? [values: ErrorValues[C], issues?: FieldIssue[] | KeyedIssue[]]
  : [values?: Record<never, never>, issues?: FieldIssue[] | KeyedIssue[]]

/** Thrown by handlers and services; dispatch turns it into an ErrorPayload. */
export class GuichetError<C extends ErrorCode = ErrorCode> extends Error {
  readonly values: Record<string, string | number>
  readonly issues?: FieldIssue[] | KeyedIssue[]

  constructor(
    readonly code: C,
    ...[values, issues]: ValuesArgs<C>
  ) {
    super(code)
    this.name = 'GuichetError'
    this.values = (values ?? {}) as Record<string, string | number>
    if (issues) this.issues = issues
  }
}
