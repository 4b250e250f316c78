import { createIntl, createIntlCache } from '@formatjs/intl'
import { describe, expect, it } from 'vitest'
import {
  BACKUP_FOLDER_REASONS,
  BAD_REQUEST_REASONS,
  ERROR_CODES,
  NOT_FOUND_KINDS,
  PASSWORD_REFUSED_REASONS,
  PRINT_UNAVAILABLE_REASONS,
  REQUEST_REFUSED_REASONS,
  RESTORE_REFUSED_REASONS,
  type ErrorCode,
  type ErrorValues,
} from '../../src/shared/errors'
import { catalogs, LOCALES, type Locale } from '../../src/shared/i18n'

/**
 * Every error code, formatted with every value its call sites may pass (the compiler holds the
 * call sites to ErrorValues, and this table to every code): the message must come out whole.
 */
type Samples = { [C in ErrorCode]: Array<C extends keyof ErrorValues ? ErrorValues[C] : Record<never, never>> }
const none = [{}]
const samples: Samples = {
  UNKNOWN_METHOD: none,
  INVALID_INPUT: none,
  NOT_SIGNED_IN: none,
  SESSION_LOCKED: none,
  FORBIDDEN: none,
  BAD_CREDENTIALS: none,
  ACCOUNT_DISABLED: none,
  NOT_FOUND: NOT_FOUND_KINDS.map((what) => ({ what })),
  CONFLICT: none,
  DB_TOO_NEW: [{ found: 14, known: 13 }],
  CHANGE_BLOCKED: none,
  LIFECYCLE: none,
  CHECK_FAILED: none,
  WARNINGS_UNCONFIRMED: none,
  IMPORT_FAILED: none,
  NO_SCHOOL_YEAR: none,
  CANCEL_NEEDS_PRINCIPAL: none,
  EXCEPTION_NEEDS_PRINCIPAL: none,
  BAD_REQUEST: BAD_REQUEST_REASONS.map((reason) => ({ reason })),
  REFUND_REFUSED: [{ count: 1 }, { count: 3 }],
  REFUND_NEEDS_PRINCIPAL: [{ amount: '250,00 $', threshold: '100,00 $' }],
  REFUND_NOT_CANCELLED: none,
  REFUND_NOTHING_LEFT: none,
  REFUND_NOT_FAILED: none,
  PROCESSOR_UNAVAILABLE: none,
  WAIVER_REFUSED: none,
  CREDIT_REFUSED: [{ balanceCents: 1250 }],
  OUTING_MOVES_UNCONFIRMED: [{ count: 1 }, { count: 4 }],
  SECRETS_UNAVAILABLE: none,
  SYNC_ENROL_FAILED: ['enrollment_code_invalid', 'network', 'timeout', 'http_500'].map((reason) => ({ reason })),
  KIOSK_EXPIRED: none,
  KIOSK_PIN_WRONG: none,
  KIOSK_PIN_LOCKED: [{ seconds: 1 }, { seconds: 30 }],
  KIOSK_NOT_AVAILABLE: none,
  KIOSK_PAYMENT_BUSY: none,
  PASSWORD_REFUSED: PASSWORD_REFUSED_REASONS.map((reason) => ({ reason, min: 12 })),
  PASSWORD_CHANGE_REQUIRED: none,
  SIGN_IN_WAIT: [{ seconds: 1 }, { seconds: 20 }],
  SIGN_IN_LOCKED: [{ minutes: 1 }, { minutes: 15 }],
  LAST_ADMIN: none,
  SETUP_DONE: none,
  WORKSPACE_FIXED: none,
  PRINT_UNAVAILABLE: PRINT_UNAVAILABLE_REASONS.map((reason) => ({ reason })),
  BACKUP_FOLDER: BACKUP_FOLDER_REASONS.map((reason) => ({ reason })),
  BACKUP_FAILED: none,
  BACKUP_BUSY: none,
  RESTORE_REFUSED: RESTORE_REFUSED_REASONS.map((reason) => ({ reason })),
  REQUEST_REFUSED: REQUEST_REFUSED_REASONS.map((reason) => ({ reason })),
  INTERNAL: none,
}

function format(locale: Locale, code: ErrorCode, values: Record<string, string | number>): { text: string; errors: string[] } {
  const errors: string[] = []
  const intl = createIntl({ locale, messages: catalogs[locale], onError: (e) => errors.push(`${e.code}: ${e.message}`) }, createIntlCache())
  return { text: intl.formatMessage({ id: `error.${code}` }, values), errors }
}

const cases = ERROR_CODES.flatMap((code) => LOCALES.flatMap((locale) => (samples[code] as Array<Record<string, string | number>>).map((values) => ({ code, locale, values }))))

describe('every error message a person can see', () => {
  it.each(cases)('$code in $locale with $values is whole', ({ code, locale, values }) => {
    const { text, errors } = format(locale, code, values)
    expect(errors).toEqual([])
    expect(text).not.toMatch(/[{}]/)
    expect(text.trim().length).toBeGreaterThan(10)
    // An "other" branch is the fallback of a select, never what a known value reads.
    if ('what' in values || 'reason' in values) {
      const fallback = format(locale, code, { ...values, what: '__nope__', reason: '__nope__' }).text
      if (values['reason'] !== 'http_500') expect(text).not.toBe(fallback)
    }
  })

  it('never names the value it was given for a thing not found', () => {
    for (const locale of LOCALES) {
      const { text } = format(locale, 'NOT_FOUND', { what: "'; DROP TABLE students;--" })
      expect(text).not.toContain('DROP')
    }
  })
})
