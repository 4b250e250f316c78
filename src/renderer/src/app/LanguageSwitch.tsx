import { useState } from 'react'
import { useLocale, useT } from '../i18n/I18n'
import { messageOf } from '../ui/errors'
import { useSession } from './session'

const CHOICES = [
  { language: 'fr', locale: 'fr-CA', name: 'language.fr' },
  { language: 'en', locale: 'en-CA', name: 'language.en' },
] as const

/**
 * FR / EN in the header. The choice is saved for the staff member (auth.setLanguage), so it
 * follows them to their next sign-in, on this computer or another.
 */
export function LanguageSwitch() {
  const t = useT()
  const locale = useLocale()
  const { setLanguage } = useSession()
  const [error, setError] = useState<string | null>(null)
  return (
    <div className="language-switch" role="group" aria-label={t('shell.language')}>
      {CHOICES.map((c) => (
        // Each name is written in its own language, whatever the UI's, as users look for it.
        <button
          key={c.language}
          type="button"
          lang={c.locale}
          aria-pressed={locale === c.locale}
          onClick={() => {
            if (locale === c.locale) return
            setError(null)
            setLanguage(c.language).catch((e: unknown) => setError(messageOf(e, t)))
          }}
        >
          {t(c.name)}
        </button>
      ))}
      <span className="switch-error" role="status">
        {error}
      </span>
    </div>
  )
}
