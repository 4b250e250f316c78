import { useEffect, useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatInstant, formatMoney } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { centsOf } from '../catalogue/draft'

type Budget = Output<'waivers.budget'>

/** The principal's view of the assistance budget: what was given, what was waived and why, what is left. */
export function AssistanceBudget() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const ids = { heading: useId(), amount: useId(), reason: useId() }
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [schoolId, setSchoolId] = useState('')
  const [budget, setBudget] = useState<Budget | null>(null)
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [tick, setTick] = useState(0)
  const school = schoolId || schools[0]?.id || ''
  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])
  useEffect(() => {
    if (!school) return
    call('waivers.budget', { schoolId: school }).then(
      (b) => (setBudget(b), setError('')),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [school, epoch, t, tick])
  const money = (c: number) => formatMoney(c, locale)
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('budget.title')}</h2>
      <SchoolSelect schools={schools} value={school} onChange={setSchoolId} label={t('cat.school')} inline />
      {budget ? (
        <>
          <p role="status">{t('budget.figures', { allocated: money(budget.allocatedCents), waived: money(budget.waivedCents), left: money(budget.remainingCents) })}</p>
          <form
            className="row-fields"
            onSubmit={(e) => {
              e.preventDefault()
              call('waivers.addBudget', { schoolId: school, amountCents: centsOf(amount) ?? Number.NaN, reason }).then(
                () => (setAmount(''), setReason(''), setTick((n) => n + 1)),
                (err: unknown) => setError(messageOf(err, t)),
              )
            }}
          >
            <div className="field">
              <label htmlFor={ids.amount}>{t('budget.add')}</label>
              <input id={ids.amount} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.reason}>{t('budget.reason')}</label>
              <input id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <button type="submit" className="button" disabled={!amount.trim() || !reason.trim()}>
              {t('budget.save')}
            </button>
          </form>
          {budget.waivers.length ? (
            <div className="table-scroll" tabIndex={0}>
              <table className="data-table">
                <caption>{t('budget.waivers', { count: budget.waivers.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('money.col.when')}</th>
                    <th scope="col">{t('budget.student')}</th>
                    <th scope="col">{t('budget.item')}</th>
                    <th scope="col" className="numeric">
                      {t('money.col.amount')}
                    </th>
                    <th scope="col">{t('budget.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {budget.waivers.map((w) => (
                    <tr key={w.id}>
                      <td>{formatInstant(w.createdAt, locale)}</td>
                      <td>{w.studentName}</td>
                      <td>{(locale === 'en-CA' && w.titleEn) || w.titleFr}</td>
                      <td className="numeric">{money(w.amountCents)}</td>
                      <td>{w.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
      <FormError message={error} />
    </section>
  )
}
