import { enCA } from './en-CA'
import { frCA, type MessageKey } from './fr-CA'

export const LOCALES = ['fr-CA', 'en-CA'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'fr-CA'

export const catalogs: Record<Locale, Record<MessageKey, string>> = { 'fr-CA': frCA, 'en-CA': enCA }

export type { MessageKey }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Guardians and staff store a language ('fr' | 'en'); screens and documents use a locale. */
export function localeOf(language: 'fr' | 'en'): Locale {
  return language === 'en' ? 'en-CA' : 'fr-CA'
}
