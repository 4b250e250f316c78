import { useId, useState } from 'react'
import { useSession, useSystemInfo } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { messageOf } from '../../ui/errors'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { AssistanceBudget } from './AssistanceBudget'
import { BackupSettings } from './BackupSettings'
import { LockDelay, RefundThreshold } from './OfficeSettings'
import { PrintingSettings } from './PrintingSettings'
import { ProcessorSettings } from './ProcessorSettings'

export function SettingsScreen() {
  const t = useT()
  const { session, setLanguage } = useSession()
  const info = useSystemInfo()
  const [error, setError] = useState<string | null>(null)
  // The choice shows at once, while the core records it.
  const [pending, setPending] = useState<'fr' | 'en' | null>(null)
  const languageId = useId()
  const accountId = useId()
  const aboutId = useId()
  const staff = session.staff

  const choose = (language: 'fr' | 'en') => {
    setError(null)
    setPending(language)
    setLanguage(language)
      .catch((e: unknown) => setError(messageOf(e, t)))
      .finally(() => setPending(null))
  }
  const chosen = pending ?? staff.language

  return (
    <div className="screen screen-settings">
      <ScreenHeading>{t('nav.settings')}</ScreenHeading>

      <section className="panel" aria-labelledby={languageId}>
        <h2 id={languageId}>{t('settings.languageTitle')}</h2>
        <fieldset className="radio-group">
          <legend>{t('settings.languageLegend')}</legend>
          {(['fr', 'en'] as const).map((language) => (
            <label key={language} className="radio" lang={language === 'fr' ? 'fr-CA' : 'en-CA'}>
              <input type="radio" name="language" value={language} checked={chosen === language} onChange={() => choose(language)} />
              {t(language === 'fr' ? 'language.fr' : 'language.en')}
            </label>
          ))}
        </fieldset>
        <p className="hint">{t('settings.languageHint')}</p>
        <div className="form-error" role="alert">
          {error}
        </div>
      </section>

      <section className="panel" aria-labelledby={accountId}>
        <h2 id={accountId}>{t('settings.accountTitle')}</h2>
        <dl className="facts">
          <dt>{t('settings.name')}</dt>
          <dd>{staff.displayName}</dd>
          <dt>{t('settings.username')}</dt>
          <dd>{staff.username}</dd>
          <dt>{t('settings.role')}</dt>
          <dd>{t('role.label', { role: staff.role })}</dd>
          <dt>{t('settings.lock')}</dt>
          <dd>{t('settings.lockAfter', { minutes: Math.round(session.lockAfterSeconds / 60) })}</dd>
        </dl>
      </section>

      {session.staff.role === 'secretary' ? null : <ProcessorSettings />}
      {session.staff.role === 'secretary' ? null : <AssistanceBudget />}
      {session.staff.role === 'secretary' ? null : <RefundThreshold />}
      {session.staff.role === 'admin' ? <LockDelay /> : null}
      {session.staff.role === 'admin' ? <BackupSettings /> : null}
      {session.staff.role === 'secretary' ? null : <PrintingSettings />}

      <section className="panel" aria-labelledby={aboutId}>
        <h2 id={aboutId}>{t('settings.aboutTitle')}</h2>
        {info ? (
          <dl className="facts">
            <dt>{t('settings.appVersion')}</dt>
            <dd>{info.appVersion}</dd>
            <dt>{t('settings.schemaVersion')}</dt>
            <dd>{info.schemaVersion}</dd>
            <dt>{t('settings.data')}</dt>
            <dd>{info.demo ? <span className="demo-badge demo-badge-inline">{t('shell.demoBadge')}</span> : t('settings.boardData')}</dd>
          </dl>
        ) : (
          <p>{t('common.loading')}</p>
        )}
        {info?.demo ? <p className="hint">{t('settings.demoExplanation')}</p> : null}
      </section>
    </div>
  )
}
