import { useCallback, useEffect, type ReactNode } from 'react'
import { IntlProvider, useIntl } from 'react-intl'
import { catalogs, DEFAULT_LOCALE, type Locale, type MessageKey } from '../../../shared/i18n'
import { setClientLocale } from '../rpc/client'

/** The shared catalogs (the same the core uses for its messages), in react-intl. */
export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  // Set during render, not in an effect: children's effects (their first calls) run first.
  setClientLocale(locale)
  // The page's language follows the UI's, for screen readers and hyphenation.
  useEffect(() => {
    document.documentElement.lang = locale
  }, [locale])
  return (
    <IntlProvider locale={locale} defaultLocale={DEFAULT_LOCALE} messages={catalogs[locale]} onError={reportIntlError}>
      {children}
    </IntlProvider>
  )
}

function reportIntlError(error: Error): void {
  console.error(error.message)
}

export type MessageValues = Record<string, string | number | Date>
export type Translate = (key: MessageKey, values?: MessageValues) => string

/** A catalog message as a string, with the compiler checking that the key exists. */
export function useT(): Translate {
  const intl = useIntl()
  return useCallback((key: MessageKey, values?: MessageValues) => intl.formatMessage({ id: key }, values), [intl])
}

export function useLocale(): Locale {
  return useIntl().locale as Locale
}
