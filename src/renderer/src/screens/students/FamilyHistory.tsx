import { useEffect, useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import { formatInstant, formatMoney } from '../../../../shared/format'
import type { MessageKey } from '../../../../shared/i18n'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { saveFile } from '../../ui/download'
import { messageOf } from '../../ui/errors'

type HistoryEvent = Output<'families.history'>['events'][number]

/**
 * What the family did, newest first, across schools: payments (with their receipts), refunds,
 * waivers and consents. A secretary sees that a fee is covered, not why: the core leaves the
 * reason out for her.
 */
export function FamilyHistory({ studentId }: { studentId: string }) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const headingId = useId()
  const [events, setEvents] = useState<HistoryEvent[] | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    let current = true
    call('families.history', { studentId }).then(
      (r) => current && setEvents(r.events),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [studentId, epoch, t])

  const detailOf = (e: HistoryEvent): string => {
    if (e.kind === 'payment') return t('history.receipt', { number: e.detail ?? '' })
    if (e.kind === 'credit') return e.detail === 'used' ? t('history.credit.used') : t('history.credit.granted')
    if (e.kind === 'refund' || e.kind === 'consent') return e.detail ? t(`history.${e.kind}.${e.detail}` as MessageKey) : ''
    return t('history.covered')
  }
  return (
    <section aria-labelledby={headingId} className="family-section">
      <h3 id={headingId}>{t('history.title')}</h3>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : events === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : events.length === 0 ? (
        <p>{t('history.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('history.col.when')}</th>
                <th scope="col">{t('history.col.what')}</th>
                <th scope="col">{t('history.col.item')}</th>
                <th scope="col" className="numeric">
                  {t('history.col.amount')}
                </th>
                <th scope="col">{t('history.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, i) => (
                <tr key={i}>
                  <td>{formatInstant(e.at, locale)}</td>
                  <td>{t(`history.kind.${e.kind}`)}</td>
                  <td>
                    {[e.studentName, (locale === 'en-CA' && e.titleEn) || e.titleFr].filter(Boolean).join(' — ')}
                    <span className="muted"> · {e.schoolName}</span>
                  </td>
                  <td className="numeric">{e.amountCents === null ? '' : formatMoney(e.amountCents, locale)}</td>
                  <td>
                    {e.kind === 'payment' && e.paymentId ? (
                      <button
                        type="button"
                        className="button-link"
                        onClick={() =>
                          void call('receipts.pdf', { paymentId: e.paymentId! })
                            .then((f) => saveFile({ ...f, mimeType: 'application/pdf' }))
                            .catch((err: unknown) => setError(messageOf(err, t)))
                        }
                      >
                        {detailOf(e)}
                      </button>
                    ) : (
                      detailOf(e)
                    )}
                    {e.reason ? <span className="muted"> — {e.reason}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
