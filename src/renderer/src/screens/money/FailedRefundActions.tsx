import { useId, useState } from 'react'
import type { RefundRow } from '../../../../shared/contract/refunds'
import { formatInstant, formatMoney, formatReceiptNumber } from '../../../../shared/format'
import { isMessageKey } from '../../../../shared/i18n'
import { useLocale, useT, type Translate } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'

/** A failed refund: ask the processor again, or settle it as a credit kept for the family. */
export function FailedRefundActions({ refund, onDone }: { refund: RefundRow; onDone(): void }) {
  const t = useT()
  const id = useId()
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const act = (method: 'refunds.retry' | 'refunds.settleAsCredit') => {
    setBusy(true)
    call(method, { refundId: refund.refundId, reason })
      .then(
        () => (setError(''), onDone()),
        (e: unknown) => setError(messageOf(e, t)),
      )
      .finally(() => setBusy(false))
  }
  return (
    <div className="failed-actions">
      <label htmlFor={id} className="sr-only">
        {t('money.resolveReason', { family: refund.guardianName })}
      </label>
      <input id={id} placeholder={t('money.reasonPlaceholder')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="button" className="button" disabled={busy || !reason.trim()} onClick={() => act('refunds.settleAsCredit')}>
        {t('money.toCredit')}
      </button>
      <button type="button" className="button button-quiet" disabled={busy || !reason.trim()} onClick={() => act('refunds.retry')}>
        {t('money.retry')}
      </button>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  )
}

/** The processor's reason in words ('expired_or_canceled_card' → "La carte est expirée ou annulée."). */
export function failureText(code: string | null, t: Translate): string {
  const key = `refunds.failure.${code ?? 'unknown'}`
  return isMessageKey(key) ? t(key) : t('refunds.failure.unknown')
}

/** A refund's state in words; a part the family paid with credit went back to its credit, not to a card. */
export function refundStateText(row: Pick<RefundRow, 'state' | 'tender' | 'reversed'>, t: Translate): string {
  if (row.reversed) return t('refunds.reversed')
  if (row.tender === 'credit' && row.state === 'succeeded') return t('refunds.state.toCredit')
  return t(`refunds.state.${row.state}`)
}

/** A refund's family (and child), receipt and amount: the cells every refund table starts with. */
function RefundCells({ refund: r }: { refund: RefundRow }) {
  const locale = useLocale()
  return (
    <>
      <td>
        {r.guardianName}
        {r.studentName ? <span className="muted"> — {r.studentName}</span> : null}
      </td>
      <td>{formatReceiptNumber(r.receiptNumber, r.receiptSeries)}</td>
      <td className="numeric">{formatMoney(r.amountCents, locale)}</td>
    </>
  )
}

/** The refunds of a job that went back to the family's credit (settled at once, never failed). */
export function RefundsToCreditTable({ rows }: { rows: readonly RefundRow[] }) {
  const t = useT()
  const locale = useLocale()
  const total = rows.reduce((sum, r) => sum + r.amountCents, 0)
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>{t('refunds.toCreditTitle', { count: rows.length, amount: formatMoney(total, locale) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('money.col.family')}</th>
            <th scope="col">{t('money.col.receipt')}</th>
            <th scope="col" className="numeric">
              {t('money.col.amount')}
            </th>
            <th scope="col">{t('refunds.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.refundId}>
              <RefundCells refund={r} />
              <td>{refundStateText(r, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Failed refunds, each with its two ways out; `withWhen` adds the date it failed. */
export function FailedRefundsTable({ rows, onDone, caption, labelledBy, withWhen }: { rows: readonly RefundRow[]; onDone(): void; caption?: string; labelledBy?: string; withWhen?: boolean }) {
  const t = useT()
  const locale = useLocale()
  return (
    <div className="table-scroll">
      <table className="data-table" aria-labelledby={labelledBy}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {withWhen ? <th scope="col">{t('money.col.when')}</th> : null}
            <th scope="col">{t('money.col.family')}</th>
            <th scope="col">{t('money.col.receipt')}</th>
            <th scope="col" className="numeric">
              {t('money.col.amount')}
            </th>
            <th scope="col">{t('money.col.why')}</th>
            <th scope="col">{t('money.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.refundId}>
              {withWhen ? <td>{formatInstant(r.settledAt ?? r.requestedAt, locale)}</td> : null}
              <RefundCells refund={r} />
              <td>{failureText(r.failureCode, t)}</td>
              <td>
                <FailedRefundActions refund={r} onDone={onDone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
