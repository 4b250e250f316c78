import { useId } from 'react'
import type { SessionView } from '../../../../shared/contract/schemas'
import { AuthPage } from '../../app/AuthPage'
import { useT } from '../../i18n/I18n'
import { ChangePasswordForm } from './ChangePasswordForm'

/** After a sign-in with a one-time password: nothing else opens until the person has a password of their own. */
export function ForcedPasswordChange({ onChanged, onSignOut }: { onChanged(view: SessionView): void; onSignOut(): void }) {
  const t = useT()
  const titleId = useId()
  return (
    <AuthPage
      action={
        <button type="button" className="button button-link" onClick={onSignOut}>
          {t('shell.signOut')}
        </button>
      }
    >
      <section aria-labelledby={titleId}>
        <h1 id={titleId}>{t('forcedChange.title')}</h1>
        <p>{t('forcedChange.text')}</p>
        <ChangePasswordForm currentLabel="forcedChange.current" onChanged={onChanged} />
      </section>
    </AuthPage>
  )
}
