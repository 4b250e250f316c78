import { useEffect, useId, useState } from 'react'
import type { ProcessorSettings as Settings } from '../../../../shared/contract/processor'
import { formatInstant } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'

/** Which card processor takes payments and refunds: the demo's, or Stripe with a sealed key. */
export function ProcessorSettings() {
  const t = useT()
  const locale = useLocale()
  const { session, epoch } = useSession()
  const ids = { heading: useId(), key: useId() }
  const [settings, setSettings] = useState<Settings | null>(null)
  const [key, setKey] = useState('')
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const admin = session.staff.role === 'admin'
  useEffect(() => {
    call('processor.settings', {}).then(setSettings, (e: unknown) => setError(messageOf(e, t)))
  }, [epoch, t])
  if (!settings) return <FormError message={error} />
  const act = (run: () => Promise<Settings>, done: string) =>
    run().then(
      (s) => (setSettings(s), setKey(''), setError(''), setNotice(done)),
      (e: unknown) => (setNotice(''), setError(messageOf(e, t))),
    )
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('settings.processorTitle')}</h2>
      <p>{settings.mode === 'stripe' ? t('settings.processorStripe', { hint: settings.keyHint ?? '', at: settings.updatedAt ? formatInstant(settings.updatedAt, locale) : '' }) : t('settings.processorDemo')}</p>
      <p className="hint">{settings.storage ? t('settings.processorStorage', { storage: settings.storage === 'os-keychain' ? 'os' : 'local' }) : t('settings.processorNoStorage')}</p>
      {admin && settings.storage ? (
        <form
          className="row-fields"
          onSubmit={(e) => {
            e.preventDefault()
            void act(() => call('processor.setStripeKey', { secretKey: key }), t('settings.processorSaved'))
          }}
        >
          <div className="field">
            <label htmlFor={ids.key}>{t('settings.processorKey')}</label>
            <input id={ids.key} type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} />
          </div>
          <button type="submit" className="button" disabled={!key.trim()}>
            {t('settings.processorSave')}
          </button>
          {settings.mode === 'stripe' ? (
            <button type="button" className="button button-quiet" onClick={() => void act(() => call('processor.clearStripeKey', {}), t('settings.processorCleared'))}>
              {t('settings.processorClear')}
            </button>
          ) : null}
        </form>
      ) : admin ? null : (
        <p className="hint">{t('settings.processorAdminOnly')}</p>
      )}
      {notice ? <p role="status">{notice}</p> : null}
      <FormError message={error} />
    </section>
  )
}
