import { useContext, useId, useState, type FormEvent } from 'react'
import type { SessionView } from '../../../../shared/contract/schemas'
import type { Locale } from '../../../../shared/i18n'
import { AuthPage } from '../../app/AuthPage'
import { LeaveDemoButton, WorkspaceContext } from '../../app/workspace'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'

interface Props {
  /** Why the user is here again (their session ended), in their language. */
  notice: string | null
  /** system.info failed: usually browser mode opened without its key. */
  infoError: unknown
  onRetryInfo(): void
  onSignedIn(session: SessionView): void
  onLocaleChange(locale: Locale): void
}

export function SignInScreen({ notice, infoError, onRetryInfo, onSignedIn, onLocaleChange }: Props) {
  const t = useT()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const usernameId = useId()
  const passwordId = useId()
  const titleId = useId()
  const { setup } = useContext(WorkspaceContext)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!username.trim() || !password) {
      setError(t(!username.trim() ? 'signIn.usernameRequired' : 'signIn.passwordRequired'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const session = await call('auth.signIn', { username: username.trim(), password })
      onSignedIn(session)
    } catch (e) {
      setError(messageOf(e, t))
      setPassword('')
      setBusy(false)
    }
  }

  return (
    <AuthPage onLocaleChange={onLocaleChange}>
      <p className="auth-tagline">{t('signIn.tagline')}</p>
      {setup?.workspace === 'demo' ? (
        <p className="notice">
          {t('setup.demoSignIns')} <LeaveDemoButton />
        </p>
      ) : null}
      <h1 id={titleId}>{t('signIn.title')}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {infoError ? (
        <div className="notice notice-error" role="alert">
          <p>{messageOf(infoError, t)}</p>
          <button type="button" className="button" onClick={onRetryInfo}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
      <form aria-labelledby={titleId} onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={usernameId}>{t('signIn.username')}</label>
          <input
            id={usernameId}
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>{t('signIn.password')}</label>
          <input
            id={passwordId}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="form-error" role="alert">
          {error}
        </div>
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </AuthPage>
  )
}
