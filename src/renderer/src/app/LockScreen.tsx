import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useT } from '../i18n/I18n'
import { RpcError } from '../rpc/errors'
import { messageOf } from '../ui/errors'
import { DemoBadge } from './DemoBadge'
import { useSession } from './session'

/**
 * Shown when the core has locked the session for inactivity. The screen behind is hidden (it may
 * show a family), not closed: unlocking returns to it as it was.
 */
export function LockScreen({ onUnlock, onSignOut }: { onUnlock(password: string): Promise<void>; onSignOut(): Promise<void> }) {
  const t = useT()
  const { session } = useSession()
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const passwordId = useId()
  const passwordRef = useRef<HTMLInputElement>(null)

  // Focus once the screens behind have stepped aside: an open family dialog (modal) keeps the
  // rest of the page inert until its own effect has closed it.
  useEffect(() => {
    const frame = requestAnimationFrame(() => passwordRef.current?.focus())
    return () => cancelAnimationFrame(frame)
  }, [])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!password) {
      setError(t('signIn.passwordRequired'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      await onUnlock(password)
    } catch (e) {
      setError(e instanceof RpcError && e.code === 'BAD_CREDENTIALS' ? t('lock.wrongPassword') : messageOf(e, t))
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="auth-app-name">
          {t('app.name')} <DemoBadge />
        </p>
        <h1>{t('lock.title')}</h1>
        <p>{t('lock.explanation', { name: session.staff.displayName })}</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={passwordId}>{t('signIn.password')}</label>
            <input
              id={passwordId}
              type="password"
              ref={passwordRef}
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="form-error" role="alert">
            {error}
          </div>
          <div className="auth-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('lock.unlock')}
            </button>
            <button type="button" className="button" onClick={() => void onSignOut()}>
              {t('shell.signOut')}
            </button>
          </div>
        </form>
      </div>
    </main>
  )
}
