import { translate } from '../core/i18n'
import { GuichetError } from '../shared/errors'
import type { Locale, MessageKey } from '../shared/i18n'

/** The system's language, reduced to one of the app's locales (French unless it is English). */
export function localeFromSystem(systemLocale: string): Locale {
  return systemLocale.toLowerCase().startsWith('en') ? 'en-CA' : 'fr-CA'
}

/**
 * What the error box says when the core cannot start (a database from a newer Guichet, a
 * broken file…): the catalogue's message for the error's code, INTERNAL for anything else.
 */
export function startupErrorMessage(error: unknown, locale: Locale): { title: string; message: string } {
  const title = translate(locale, 'app.name')
  if (error instanceof GuichetError) {
    const key = `error.${error.code}` as MessageKey
    return { title, message: translate(locale, key, error.values) }
  }
  return { title, message: translate(locale, 'error.INTERNAL') }
}
