import { useEffect, useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import { formatInstant, formatMoney } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'

/** The family's credit (credits.ofFamily): the balance per school and guardian, and its movements. */
export function FamilyCredit({ studentId }: { studentId: string }) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const headingId = useId()
  const [credit, setCredit] = useState<Output<'credits.ofFamily'> | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    let current = true
    call('credits.ofFamily', { studentId }).then(
      (c) => current && (setCredit(c), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [studentId, epoch, t])
  const money = (c: number) => formatMoney(c, locale)
  return (
    <section aria-labelledby={headingId} className="family-section">
      <h3 id={headingId}>{t('officeUi.credit.title')}</h3>
      <FormError message={error} />
      {credit && credit.balances.length === 0 && credit.entries.length === 0 ? <p>{t('officeUi.credit.none')}</p> : null}
      {credit && credit.balances.length ? (
        <table className="data-table">
          <caption>{t('officeUi.credit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('officeUi.credit.col.school')}</th>
              <th scope="col">{t('officeUi.credit.col.guardian')}</th>
              <th scope="col" className="numeric">
                {t('officeUi.credit.col.balance')}
              </th>
            </tr>
          </thead>
          <tbody>
            {credit.balances.map((b) => (
              <tr key={`${b.schoolId}:${b.guardianId}`}>
                <td>{b.schoolName}</td>
                <td>{b.guardianName}</td>
                <td className="numeric">{money(b.balanceCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {credit && credit.entries.length ? (
        <table className="data-table">
          <caption>{t('officeUi.credit.entries')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('officeUi.credit.col.when')}</th>
              <th scope="col">{t('officeUi.credit.col.kind')}</th>
              <th scope="col">{t('officeUi.credit.col.school')}</th>
              <th scope="col" className="numeric">
                {t('officeUi.credit.col.amount')}
              </th>
              <th scope="col">{t('officeUi.credit.col.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {credit.entries.map((e) => (
              <tr key={e.id}>
                <td>{formatInstant(e.createdAt, locale)}</td>
                <td>{t('officeUi.credit.kind', { kind: e.kind })}</td>
                <td>{e.schoolName}</td>
                <td className="numeric">{money(e.kind === 'used' ? -e.amountCents : e.amountCents)}</td>
                <td>{e.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
