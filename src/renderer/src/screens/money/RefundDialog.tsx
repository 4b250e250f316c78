import { useEffect, useId, useRef, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { OrderRow } from '../../../../shared/contract/money'
import { formatMoney, formatReceiptNumber, formatSchoolDate } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { amountText, centsOf } from '../catalogue/draft'
import { RefundJobPanel } from './RefundJobPanel'

type Refundable = Output<'refunds.refundable'>

/**
 * Refunding an order: each line in full or in part, up to what is still refundable on it (the
 * ledger's figure, sent back so that a refund made meanwhile by someone else is a conflict, not
 * a second refund).
 */
export function RefundDialog({ order, onClose }: { order: OrderRow; onClose(): void }) {
  const t = useT()
  const locale = useLocale()
  const ref = useRef<HTMLDialogElement>(null)
  const ids = { title: useId(), reason: useId() }
  const [data, setData] = useState<Refundable | null>(null)
  const [amounts, setAmounts] = useState<Record<string, string>>({})
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    ref.current?.showModal()
    call('refunds.refundable', { orderId: order.orderId }).then(setData, (e: unknown) => setError(messageOf(e, t)))
  }, [order.orderId, t])

  const chosen = (data?.lines ?? []).filter((l) => (amounts[l.orderLineId] ?? '').trim() !== '')
  const submit = () => {
    setBusy(true)
    call('refunds.refundLines', {
      reason,
      lines: chosen.map((l) => ({ orderLineId: l.orderLineId, amountCents: centsOf(amounts[l.orderLineId]!) ?? Number.NaN, expectedRemainingCents: l.refundableCents })),
    })
      .then(
        (r) => (setJobId(r.jobId), setError('')),
        (e: unknown) => setError(messageOf(e, t)),
      )
      .finally(() => setBusy(false))
  }
  return (
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby={ids.title} onClose={onClose}>
      <h2 id={ids.title}>{t('money.dialogTitle', { receipt: order.receiptNumber === null ? '' : formatReceiptNumber(order.receiptNumber, order.receiptSeries ?? 'board'), family: order.guardianName })}</h2>
      {jobId ? (
        <RefundJobPanel jobId={jobId} />
      ) : data === null ? (
        <p role="status">{error || t('common.loading')}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            submit()
          }}
        >
          {order.creditCents > 0 ? (
            <p className="notice">{t('refunds.creditNote', { whole: order.creditCents >= order.totalCents ? 'yes' : 'no', amount: formatMoney(order.creditCents, locale) })}</p>
          ) : null}
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('money.col.line')}</th>
                <th scope="col" className="numeric">
                  {t('money.col.paid')}
                </th>
                <th scope="col" className="numeric">
                  {t('money.col.left')}
                </th>
                <th scope="col">{t('money.col.refund')}</th>
              </tr>
            </thead>
            <tbody>
              {data.lines.map((l) => {
                const label = [l.studentName, (locale === 'en-CA' && l.titleEn) || l.titleFr, l.date ? formatSchoolDate(l.date, locale, 'short') : null].filter(Boolean).join(' — ')
                return (
                  <tr key={l.orderLineId}>
                    <td>{label}</td>
                    <td className="numeric">{formatMoney(l.amountCents, locale)}</td>
                    <td className="numeric">{formatMoney(l.refundableCents, locale)}</td>
                    <td>
                      <span className="money-input">
                        <input
                          aria-label={t('money.amountOf', { line: label })}
                          inputMode="decimal"
                          disabled={l.refundableCents === 0}
                          value={amounts[l.orderLineId] ?? ''}
                          onChange={(e) => setAmounts({ ...amounts, [l.orderLineId]: e.target.value })}
                        />
                        <span aria-hidden="true">$</span>
                        <button
                          type="button"
                          className="button-link"
                          disabled={l.refundableCents === 0}
                          onClick={() => setAmounts({ ...amounts, [l.orderLineId]: amountText(l.refundableCents, locale) })}
                        >
                          {t('money.all')}
                        </button>
                      </span>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <div className="field">
            <label htmlFor={ids.reason}>{t('money.reason')}</label>
            <input id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => ref.current?.close()}>
              {t('common.close')}
            </button>
            <button type="submit" className="button button-primary" disabled={busy || chosen.length === 0}>
              {t('money.submit', { count: chosen.length })}
            </button>
          </div>
        </form>
      )}
      {jobId ? (
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => ref.current?.close()}>
            {t('common.close')}
          </button>
        </div>
      ) : null}
    </dialog>
  )
}
