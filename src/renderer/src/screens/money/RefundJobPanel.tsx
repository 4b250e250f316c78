import { useEffect, useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import { formatMoney } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FailedRefundsTable, RefundsToCreditTable } from './FailedRefundActions'

type Job = Output<'refunds.job'>
const POLL_MS = 600

/**
 * A refund job as it runs: the core asks the processor one refund at a time after the request
 * has committed; this panel follows it (done / total, failed) until it is finished, and lets the
 * office deal with each failure: try again, or keep the money as a credit for the family.
 */
export function RefundJobPanel({ jobId }: { jobId: string }) {
  const t = useT()
  const locale = useLocale()
  const headingId = useId()
  const [job, setJob] = useState<Job | null>(null)
  const [error, setError] = useState('')
  const [tick, setTick] = useState(0)

  useEffect(() => {
    let current = true
    let timer: number | undefined
    const poll = () =>
      call('refunds.job', { jobId, limit: 500 }).then(
        (j) => {
          if (!current) return
          setJob(j)
          setError('')
          if (!j.job.progress.finished) timer = window.setTimeout(poll, POLL_MS)
        },
        (e: unknown) => current && setError(messageOf(e, t)),
      )
    void poll()
    return () => {
      current = false
      window.clearTimeout(timer)
    }
  }, [jobId, t, tick])

  if (error)
    return (
      <p className="notice notice-error" role="alert">
        {error}
      </p>
    )
  if (!job) return <p role="status">{t('common.loading')}</p>
  const p = job.job.progress
  const failed = job.items.filter((i) => i.state === 'failed')
  const toCredit = job.items.filter((i) => i.tender === 'credit' && i.state === 'succeeded')
  return (
    <section className="refund-job" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('money.job.title', { reason: job.job.reason })}</h3>
      <progress max={p.total} value={p.done} aria-labelledby={headingId} />
      <p role="status" aria-live="polite">
        {p.finished
          ? t('money.job.finished', { succeeded: p.succeeded, total: p.total, failed: p.failed, amount: formatMoney(p.succeededCents, locale) })
          : t('money.job.running', { done: p.done, total: p.total, failed: p.failed })}
      </p>
      {toCredit.length ? <RefundsToCreditTable rows={toCredit} /> : null}
      {failed.length ? <FailedRefundsTable rows={failed} onDone={() => setTick((n) => n + 1)} caption={t('money.failedTitle', { count: failed.length })} /> : null}
    </section>
  )
}
