import { useId, useState, type FormEvent } from 'react'
import type { SessionView } from '../../../../shared/contract/schemas'
import type { Locale } from '../../../../shared/i18n'
import { AuthPage } from '../../app/AuthPage'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { PasswordFields } from '../accounts/PasswordFields'

interface Props {
  onLocaleChange(locale: Locale): void
  /** The first admin exists and is signed in. */
  onSignedIn(session: SessionView): void
  /** The demo was asked for: the app opens its own database, then asks again what this install is. */
  onSwitching(): void
}

/** The first screen of an install with no account (issue 14): join the board, or try the demo. */
export function FirstStartScreen({ onLocaleChange, onSignedIn, onSwitching }: Props) {
  const t = useT()
  const locale = useLocale()
  const [step, setStep] = useState<'choose' | 'admin'>('choose')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const titleId = useId()

  async function tryDemo() {
    setBusy(true)
    setError('')
    try {
      await call('setup.tryDemo', {})
      onSwitching()
    } catch (e) {
      setError(fieldMessagesOf(e, t))
      setBusy(false)
    }
  }

  return (
    <AuthPage wide onLocaleChange={onLocaleChange}>
      {step === 'choose' ? (
        <>
          <h1 id={titleId}>{t('setup.title')}</h1>
          <p>{t('setup.intro')}</p>
          <section className="setup-choice" aria-labelledby={`${titleId}-join`}>
            <h2 id={`${titleId}-join`}>{t('setup.join.title')}</h2>
            <p>{t('setup.join.text')}</p>
            <button type="button" className="button button-primary" onClick={() => setStep('admin')} disabled={busy}>
              {t('setup.join.start')}
            </button>
          </section>
          <section className="setup-choice" aria-labelledby={`${titleId}-demo`}>
            <h2 id={`${titleId}-demo`}>{t('setup.demo.title')}</h2>
            <p>{t('setup.demo.text')}</p>
            <button type="button" className="button" onClick={() => void tryDemo()} disabled={busy}>
              {busy ? t('setup.switching') : t('setup.demo.start')}
            </button>
          </section>
          <FormError message={error} />
        </>
      ) : (
        <FirstAdminForm onBack={() => setStep('choose')} onSignedIn={onSignedIn} language={locale === 'en-CA' ? 'en' : 'fr'} />
      )}
    </AuthPage>
  )
}

function FirstAdminForm({ onBack, onSignedIn, language }: { onBack(): void; onSignedIn(session: SessionView): void; language: 'fr' | 'en' }) {
  const t = useT()
  const ids = { title: useId(), name: useId(), username: useId() }
  const [displayName, setDisplayName] = useState('')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!displayName.trim() || !username.trim() || !password) return setError(t('accounts.required'))
    if (password !== confirm) return setError(t('accounts.mismatch'))
    setBusy(true)
    setError('')
    try {
      onSignedIn(await call('setup.createAdmin', { displayName: displayName.trim(), username: username.trim(), password, language }))
    } catch (e) {
      setError(fieldMessagesOf(e, t))
      setBusy(false)
    }
  }

  return (
    <form aria-labelledby={ids.title} onSubmit={(e) => void submit(e)} noValidate>
      <h1 id={ids.title}>{t('setup.admin.title')}</h1>
      <p>{t('setup.admin.intro')}</p>
      <div className="field">
        <label htmlFor={ids.name}>{t('accounts.field.displayName')}</label>
        <input id={ids.name} type="text" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoFocus />
      </div>
      <div className="field">
        <label htmlFor={ids.username}>{t('accounts.field.username')}</label>
        <input id={ids.username} type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} />
      </div>
      <PasswordFields value={password} confirm={confirm} onChange={setPassword} onConfirm={setConfirm} label="accounts.field.password" />
      <FormError message={error} />
      <div className="row-fields">
        <button type="button" className="button" onClick={onBack}>
          {t('setup.back')}
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('setup.admin.submit')}
        </button>
      </div>
    </form>
  )
}
