import { useId, useState, type FormEvent } from 'react'
import type { SessionView } from '../../../../shared/contract/schemas'
import type { MessageKey } from '../../../../shared/i18n'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { PasswordFields } from './PasswordFields'

/** One's own password, changed: from « Mon compte », or right after signing in with a one-time one. */
export function ChangePasswordForm({ currentLabel, onChanged }: { currentLabel: MessageKey; onChanged(view: SessionView): void }) {
  const t = useT()
  const currentId = useId()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!current || !next) return setError(t('accounts.required'))
    if (next !== confirm) return setError(t('accounts.mismatch'))
    setBusy(true)
    setError('')
    try {
      const view = await call('auth.changePassword', { currentPassword: current, newPassword: next })
      setCurrent('')
      setNext('')
      setConfirm('')
      onChanged(view)
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={currentId}>{t(currentLabel)}</label>
        <input id={currentId} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <PasswordFields value={next} confirm={confirm} onChange={setNext} onConfirm={setConfirm} label="accounts.field.newPassword" />
      <FormError message={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('myAccount.password.submit')}
      </button>
    </form>
  )
}
