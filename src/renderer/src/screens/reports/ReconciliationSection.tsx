import { useEffect, useId, useRef, useState } from 'react'
import type { Reconciliation, ReconciliationDifference } from '../../../../shared/contract/reconciliation'
import { formatInstant, formatMoney, formatReceiptNumber, formatSchoolDate } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { saveFile } from '../../ui/download'
import { messageOf } from '../../ui/errors'

/** Between two looks at a fetch under way. */
const POLL_MS = 250

/** The four weeks up to today, as the school dates the inputs take. */
function lastFourWeeks(): { from: string; to: string } {
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
  const today = new Date()
  return { from: local(new Date(today.getTime() - 27 * 86_400_000)), to: local(today) }
}

/**
 * The reconciliation of the processor's payouts against the ledger: a period, "Rapprocher", then
 * a table of the payouts and every difference in words, with the receipt and family it points
 * at. The processor is asked by the core after the call (never inside it); the section looks at
 * the fetch until it is ready, saying so meanwhile.
 */
export function ReconciliationSection({ schoolId }: { schoolId: string }) {
  const t = useT()
  const locale = useLocale()
  const headingId = useId()
  const fromId = useId()
  const toId = useId()
  const [period, setPeriod] = useState(lastFourWeeks)
  /** The last reconciliation, with the fetch and the school it was made for (the export uses the same). */
  const [report, setReport] = useState<(Reconciliation & { fetchId: string; schoolId: string }) | null>(null)
  const [busy, setBusy] = useState<'run' | 'export' | null>(null)
  const [error, setError] = useState('')
  const run = useRef(0)

  // A new run (or leaving the screen) stops looking at the previous one.
  useEffect(() => () => void (run.current += 1), [])

  async function reconcile() {
    const mine = ++run.current
    const input = { from: period.from, to: period.to, ...(schoolId ? { schoolId } : {}) }
    setBusy('run')
    setError('')
    setReport(null)
    try {
      let result = await call('reports.reconciliation', input)
      while (result.state === 'fetching') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
        if (run.current !== mine) return
        result = await call('reports.reconciliation', { ...input, fetchId: result.fetchId })
      }
      if (run.current !== mine) return
      if (result.state === 'failed') setError(result.message)
      else setReport({ ...result.report, fetchId: result.fetchId, schoolId })
    } catch (e) {
      if (run.current === mine) setError(messageOf(e, t))
    } finally {
      if (run.current === mine) setBusy(null)
    }
  }

  async function exportFile() {
    if (!report) return
    setBusy('export')
    setError('')
    try {
      saveFile(await call('reports.reconciliationFile', { fetchId: report.fetchId, ...(report.schoolId ? { schoolId: report.schoolId } : {}) }))
    } catch (e) {
      setError(messageOf(e, t))
    } finally {
      setBusy(null)
    }
  }

  const day = (date: string) => formatSchoolDate(date, locale, 'short')
  return (
    <section className="report-section reconciliation" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('reconciliation.heading')}</h2>
      <p className="muted">{t('reconciliation.intro')}</p>
      <div className="period">
        <div className="field">
          <label htmlFor={fromId}>{t('reports.from')}</label>
          <input id={fromId} type="date" value={period.from} onChange={(e) => setPeriod({ ...period, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={toId}>{t('reports.to')}</label>
          <input id={toId} type="date" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.target.value })} />
        </div>
      </div>
      <div className="report-buttons">
        <button type="button" className="button button-primary" disabled={busy !== null || !period.from || !period.to} onClick={() => void reconcile()}>
          {t('reconciliation.run')}
        </button>
        <button type="button" className="button" disabled={busy !== null || !report} onClick={() => void exportFile()}>
          {busy === 'export' ? t('reports.working') : t('reconciliation.export')}
        </button>
      </div>
      <p role="status" className="report-count">
        {busy === 'run'
          ? t('reconciliation.working')
          : report
            ? t('reconciliation.summary', { payouts: report.payouts.length, differences: report.differences.length, from: day(report.from), to: day(report.to) })
            : ''}
      </p>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {report ? <ReconciliationView report={report} /> : null}
    </section>
  )
}

function ReconciliationView({ report }: { report: Reconciliation }) {
  const t = useT()
  const locale = useLocale()
  const differencesId = useId()
  const money = (cents: number) => formatMoney(cents, locale)
  const day = (date: string) => formatSchoolDate(date, locale, 'short')
  const totals: Array<[Parameters<typeof t>[0], number]> = [
    ['reconciliation.total.payouts', report.totals.payoutsCents],
    ['reconciliation.total.ledgerPayments', report.totals.ledgerPaymentsCents],
    ['reconciliation.total.ledgerRefunds', report.totals.ledgerRefundsCents],
    ['reconciliation.total.fees', report.totals.feesCents],
    ['reconciliation.total.expected', report.totals.expectedCents],
    ['reconciliation.total.unexplained', report.totals.unexplainedCents],
  ]
  return (
    <div>
      {report.demo ? <p className="notice">{t('reconciliation.demo')}</p> : null}
      <h3 className="sr-only">{t('reconciliation.totals')}</h3>
      <dl className="money-totals reconciliation-totals">
        {totals.map(([key, cents]) => (
          <div key={key} data-total={key.slice('reconciliation.total.'.length)}>
            <dt>{t(key)}</dt>
            <dd>{money(cents)}</dd>
          </div>
        ))}
      </dl>
      {report.payouts.length === 0 ? (
        <p>{t('reconciliation.payouts.none')}</p>
      ) : (
        <table className="data-table reconciliation-payouts">
          <caption>{t('reconciliation.payouts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reconciliation.col.arrival')}</th>
              <th scope="col">{t('reconciliation.col.status')}</th>
              <th scope="col" className="numeric">
                {t('reconciliation.col.amount')}
              </th>
              <th scope="col" className="numeric">
                {t('reconciliation.col.fees')}
              </th>
              <th scope="col" className="numeric">
                {t('reconciliation.col.matched')}
              </th>
              <th scope="col" className="numeric">
                {t('reconciliation.col.differences')}
              </th>
            </tr>
          </thead>
          <tbody>
            {report.payouts.map((p) => (
              <tr key={p.id} data-payout={p.id}>
                <th scope="row">{day(p.arrivalDate)}</th>
                <td>{t('reconciliation.status', { status: p.status })}</td>
                <td className="numeric">{money(p.amountCents)}</td>
                <td className="numeric">{money(p.feesCents)}</td>
                <td className="numeric">
                  {p.matchedCount} / {p.itemCount}
                </td>
                <td className="numeric">{p.differenceCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3 id={differencesId}>{t('reconciliation.differences.heading')}</h3>
      {report.differences.length === 0 ? (
        <p>{report.payouts.length > 0 ? t('reconciliation.clean') : t('reconciliation.differences.none')}</p>
      ) : (
        <ul className="reconciliation-differences" aria-labelledby={differencesId}>
          {report.differences.map((d, i) => (
            <li key={`${d.kind}-${d.balanceTransactionId ?? d.refundId ?? d.payment?.paymentId ?? i}`}>
              <strong>{t('reconciliation.kind', { kind: d.kind })}</strong> — {differenceSentence(d, report.settlementDelayDays, t, money)}
              <br />
              <span className="muted">{pointer(d, t, locale, day)}</span>
            </li>
          ))}
        </ul>
      )}

      <p>{t('reconciliation.board', { count: report.board.count, paid: money(report.board.paidCents), refunded: money(report.board.refundedCents) })}</p>
      {report.otherProcessor.count > 0 ? <p>{t('reconciliation.otherProcessor', { count: report.otherProcessor.count, paid: money(report.otherProcessor.paidCents) })}</p> : null}
      {report.inTransit.count + report.inTransit.refundCount > 0 ? (
        <p>
          {t('reconciliation.inTransit', {
            days: report.settlementDelayDays,
            count: report.inTransit.count,
            amount: money(report.inTransit.cents),
            refunds: report.inTransit.refundCount,
            refundAmount: money(report.inTransit.refundCents),
          })}
        </p>
      ) : null}
    </div>
  )
}

type T = ReturnType<typeof useT>

/** The difference in one sentence, with its amounts. */
function differenceSentence(d: ReconciliationDifference, days: number, t: T, money: (cents: number) => string): string {
  const amount = money(Math.abs(d.processorCents ?? d.ledgerCents ?? 0))
  switch (d.kind) {
    case 'amountDiffers':
      return t('reconciliation.diff.amountDiffers', { processorAmount: money(Math.abs(d.processorCents ?? 0)), ledgerAmount: money(Math.abs(d.ledgerCents ?? 0)) })
    case 'paymentNotPaidOut':
    case 'refundNotAtProcessor':
      return t(`reconciliation.diff.${d.kind}`, { amount, days })
    default:
      return t(`reconciliation.diff.${d.kind}`, { amount })
  }
}

/** What the difference points at: the receipt and the family, else the processor's reference; and the payout. */
function pointer(d: ReconciliationDifference, t: T, locale: Parameters<typeof formatInstant>[1], day: (date: string) => string): string {
  const parts: string[] = []
  if (d.payment) {
    parts.push(
      t('reconciliation.pointer.payment', {
        receipt: formatReceiptNumber(d.payment.receiptNumber, d.payment.receiptSeries),
        family: d.payment.familyName,
        school: d.payment.schoolName,
        date: formatInstant(d.payment.createdAt, locale),
      }),
    )
  }
  const ref = d.refundRef ?? d.paymentRef
  if (ref && (!d.payment || d.refundRef)) parts.push(t('reconciliation.pointer.processor', { ref }))
  parts.push(d.arrivalDate ? t('reconciliation.pointer.payout', { date: day(d.arrivalDate) }) : t('reconciliation.pointer.ledger'))
  return parts.join(' · ')
}
