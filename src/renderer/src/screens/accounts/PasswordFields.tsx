import { useId } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../../shared/password-length'
import { useT } from '../../i18n/I18n'

/** A new password typed twice, with the rule said up front; the core checks it again and says why. */
export function PasswordFields({ value, confirm, onChange, onConfirm, label }: { value: string; confirm: string; onChange(v: string): void; onConfirm(v: string): void; label: 'accounts.field.password' | 'accounts.field.newPassword' }) {
  const t = useT()
  const ids = { password: useId(), confirm: useId(), hint: useId() }
  return (
    <>
      <div className="field">
        <label htmlFor={ids.password}>{t(label)}</label>
        <input id={ids.password} type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={ids.hint} />
        <span id={ids.hint} className="field-hint">
          {t('accounts.passwordHint', { min: MIN_PASSWORD_LENGTH })}
        </span>
      </div>
      <div className="field">
        <label htmlFor={ids.confirm}>{t('accounts.field.confirm')}</label>
        <input id={ids.confirm} type="password" autoComplete="new-password" value={confirm} onChange={(e) => onConfirm(e.target.value)} />
      </div>
    </>
  )
}
