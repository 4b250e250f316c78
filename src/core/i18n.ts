import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl'
import { formatSchoolDate } from '../shared/format'
import type { ErrorPayload, RequestRefusedReason } from '../shared/errors'
import { catalogs, DEFAULT_LOCALE, isMessageKey, type Locale, type MessageKey } from '../shared/i18n'

const cache = createIntlCache()
const intls = new Map<Locale, IntlShape<string>>()

function intlFor(locale: Locale): IntlShape<string> {
  let intl = intls.get(locale)
  if (!intl) {
    intl = createIntl({ locale, defaultLocale: DEFAULT_LOCALE, messages: catalogs[locale] }, cache)
    intls.set(locale, intl)
  }
  return intl
}

/** Formats a catalogue message in the core (errors, documents): the same catalogues as the UI. */
export function translate(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  return intlFor(locale).formatMessage({ id: key }, values)
}

/**
 * A code from a rule (a checker problem, a validation code) as a message. A code without a
 * message yet falls back to the generic one rather than showing the code to a secretary;
 * tests/unit/i18n.test.ts makes sure every code the rules know has its message.
 */
export function translateCode(locale: Locale, key: string, values?: Record<string, string | number>): string {
  return isMessageKey(key) ? translate(locale, key, values && readableDates(values, locale)) : translate(locale, 'issue.invalid')
}

/** Rules speak in school dates ('2027-02-12'); a secretary reads « vendredi 12 février 2027 ». */
function readableDates(values: Record<string, string | number>, locale: Locale): Record<string, string | number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatSchoolDate(v, locale) : v]))
}

/** A refusal of browser mode's bridge, in the shape and language of the core's own errors. */
export function refusalPayload(locale: Locale, reason: RequestRefusedReason): ErrorPayload {
  return { code: 'REQUEST_REFUSED', message: translate(locale, 'error.REQUEST_REFUSED', { reason }) }
}
