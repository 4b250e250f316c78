import { useEffect, useId, useState } from 'react'
import type { RefundRow } from '../../../../shared/contract/refunds'
import { useSession } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FailedRefundsTable } from './FailedRefundActions'

/** Refunds the processor refused, waiting for the office: nothing is dropped without a decision. */
export function FailedRefunds({ refresh }: { refresh: number }) {
  const t = useT()
  const { epoch } = useSession()
  const headingId = useId()
  const [rows, setRows] = useState<RefundRow[] | null>(null)
  const [error, setError] = useState('')
  const [tick, setTick] = useState(0)
  useEffect(() => {
    call('refunds.failed', {}).then(
      (r) => (setRows(r.refunds), setError('')),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [epoch, t, tick, refresh])
  return (
    <section aria-labelledby={headingId} className="report-section">
      <h2 id={headingId}>{t('money.failedTitle', { count: rows?.length ?? 0 })}</h2>
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : rows && rows.length === 0 ? (
        <p className="muted">{t('money.noneFailed')}</p>
      ) : rows ? (
        <FailedRefundsTable rows={rows} onDone={() => setTick((n) => n + 1)} labelledBy={headingId} withWhen />
      ) : null}
    </section>
  )
}
