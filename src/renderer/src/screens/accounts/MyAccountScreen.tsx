import { useId, useState, type FormEvent } from 'react'
import { useSession } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf } from '../../ui/errors'
import { OutcomeLine, type Outcome } from '../../ui/Outcome'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { ChangePasswordForm } from './ChangePasswordForm'

/** « Mon compte »: everyone changes their own password and sets the PIN that ends their kiosk sessions. */
export function MyAccountScreen() {
  const t = useT()
  const { session } = useSession()
  const ids = { password: useId(), pin: useId() }
  const [outcome, setOutcome] = useState<Outcome>(null)
  return (
    <>
      <ScreenHeading>{t('myAccount.title')}</ScreenHeading>
      <p>
        {session.staff.displayName} — {session.staff.username} — {t('role.label', { role: session.staff.role })}
      </p>
      <section className="panel" aria-labelledby={ids.password}>
        <h2 id={ids.password}>{t('myAccount.password.title')}</h2>
        <ChangePasswordForm currentLabel="accounts.field.currentPassword" onChanged={() => setOutcome({ kind: 'ok', text: t('myAccount.password.done') })} />
        <OutcomeLine outcome={outcome} />
      </section>
      <section className="panel" aria-labelledby={ids.pin}>
        <h2 id={ids.pin}>{t('myAccount.pin.title')}</h2>
        <p>{t('myAccount.pin.text')}</p>
        <PinForm />
      </section>
    </>
  )
}

function PinForm() {
  const t = useT()
  const ids = { pin: useId(), password: useId() }
  const [pin, setPin] = useState('')
  const [password, setPassword] = useState('')
  const [outcome, setOutcome] = useState<Outcome>(null)

  async function save(event: FormEvent, remove: boolean) {
    event.preventDefault()
    try {
      await call('auth.setPin', { password, pin: remove ? null : pin })
      setPin('')
      setPassword('')
      setOutcome({ kind: 'ok', text: t(remove ? 'myAccount.pin.removed' : 'myAccount.pin.done') })
    } catch (e) {
      setOutcome({ kind: 'error', text: fieldMessagesOf(e, t) })
    }
  }

  return (
    <form onSubmit={(e) => void save(e, false)} noValidate>
      <div className="field">
        <label htmlFor={ids.pin}>{t('accounts.field.pin')}</label>
        <input id={ids.pin} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.password}>{t('myAccount.confirmWithPassword')}</label>
        <input id={ids.password} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <div className="row-fields">
        <button type="submit" className="button button-primary">
          {t('myAccount.pin.submit')}
        </button>
        <button type="button" className="button" onClick={(e) => void save(e, true)}>
          {t('myAccount.pin.remove')}
        </button>
      </div>
      <OutcomeLine outcome={outcome} />
    </form>
  )
}
