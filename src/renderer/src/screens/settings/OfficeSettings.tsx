import { useEffect, useId, useState } from 'react'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatMoney } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { centsOf } from '../catalogue/draft'

/** The refund approval threshold of each school (refunds.setThreshold): the principal's or the admin's. */
export function RefundThreshold() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const ids = { heading: useId(), amount: useId() }
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [schoolId, setSchoolId] = useState('')
  const [current, setCurrent] = useState<number | null>(null)
  const [amount, setAmount] = useState('')
  const [done, setDone] = useState('')
  const [error, setError] = useState('')
  const school = schoolId || schools[0]?.id || ''
  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])
  useEffect(() => {
    if (!school) return
    setCurrent(null)
    call('refunds.settings', { schoolId: school }).then(
      (s) => setCurrent(s.thresholdCents),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [school, epoch, t])
  const save = () => {
    setDone('')
    const cents = centsOf(amount)
    if (cents === null || cents < 0) return setError(t('officeUi.threshold.invalid'))
    setError('')
    call('refunds.setThreshold', { schoolId: school, thresholdCents: cents }).then(
      (r) => (setCurrent(r.thresholdCents), setAmount(''), setDone(t('officeUi.threshold.saved', { amount: formatMoney(r.thresholdCents, locale) }))),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('officeUi.threshold.title')}</h2>
      <p className="hint">{t('officeUi.threshold.intro')}</p>
      <SchoolSelect schools={schools} value={school} onChange={setSchoolId} label={t('cat.school')} inline />
      {current !== null ? <p>{t('officeUi.threshold.current', { amount: formatMoney(current, locale) })}</p> : null}
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          save()
        }}
      >
        <div className="field">
          <label htmlFor={ids.amount}>{t('officeUi.threshold.amount')}</label>
          <input id={ids.amount} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={!amount.trim() || !school}>
          {t('officeUi.threshold.save')}
        </button>
      </form>
      <p role="status">{done}</p>
      <FormError message={error} />
    </section>
  )
}

/** How long a session may stay idle before it locks (settings.setLockAfter): the admin's. */
export function LockDelay() {
  const t = useT()
  const { session } = useSession()
  const ids = { heading: useId(), minutes: useId() }
  const [minutes, setMinutes] = useState(String(Math.round(session.lockAfterSeconds / 60)))
  const [done, setDone] = useState('')
  const [error, setError] = useState('')
  const save = () => {
    setDone('')
    const n = Number(minutes)
    if (!Number.isInteger(n) || n < 1 || n > 60) return setError(t('officeUi.lock.invalid'))
    setError('')
    call('settings.setLockAfter', { seconds: n * 60 }).then(
      (r) => setDone(t('officeUi.lock.saved', { minutes: r.seconds / 60 })),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('officeUi.lock.title')}</h2>
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          save()
        }}
      >
        <div className="field">
          <label htmlFor={ids.minutes}>{t('officeUi.lock.minutes')}</label>
          <input id={ids.minutes} type="number" min={1} max={60} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </div>
        <button type="submit" className="button">
          {t('officeUi.lock.save')}
        </button>
      </form>
      <p role="status">{done}</p>
      <FormError message={error} />
    </section>
  )
}
