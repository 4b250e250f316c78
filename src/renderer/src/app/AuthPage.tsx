import type { ReactNode } from 'react'
import type { Locale } from '../../../shared/i18n'
import { useLocale, useT } from '../i18n/I18n'
import { DemoBadge } from './DemoBadge'

/**
 * The card of the pages before the app (sign-in, first start, a forced password change): the
 * app's name and the demo's label, and top right either the language switch or an action.
 */
export function AuthPage({ wide = false, onLocaleChange, action, children }: { wide?: boolean; onLocaleChange?(locale: Locale): void; action?: ReactNode; children: ReactNode }) {
  const t = useT()
  const locale = useLocale()
  const other: Locale = locale === 'fr-CA' ? 'en-CA' : 'fr-CA'
  return (
    <main className="auth-page">
      <div className={wide ? 'auth-card auth-card-wide' : 'auth-card'}>
        <div className="auth-top">
          <p className="auth-app-name">
            {t('app.name')} <DemoBadge />
          </p>
          {onLocaleChange ? (
            <button type="button" className="button button-link" lang={other} onClick={() => onLocaleChange(other)}>
              {t(other === 'en-CA' ? 'language.en' : 'language.fr')}
            </button>
          ) : null}
          {action}
        </div>
        {children}
      </div>
    </main>
  )
}
