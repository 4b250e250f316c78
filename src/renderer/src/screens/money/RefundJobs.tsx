import { useEffect, useId, useState } from 'react'
import type { RefundJob } from '../../../../shared/contract/refunds'
import { formatInstant } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { RefundJobPanel } from './RefundJobPanel'

/**
 * The bulk refunds (refunds.jobs), newest first, each with its progress; one left unfinished
 * (a crash, the network) is started again with "Reprendre" (refunds.resume), and its details
 * open the same panel that followed it when it was asked.
 */
export function RefundJobs({ refresh }: { refresh: number }) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const headingId = useId()
  const [jobs, setJobs] = useState<RefundJob[] | null>(null)
  const [shown, setShown] = useState<string | null>(null)
  const [error, setError] = useState('')
  const [tick, setTick] = useState(0)
  useEffect(() => {
    call('refunds.jobs', { limit: 20 }).then(
      (r) => (setJobs(r.jobs), setError('')),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [epoch, refresh, tick, t])
  if (!jobs) return null
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('officeUi.jobs.title')}</h2>
      <FormError message={error} />
      {jobs.length === 0 ? (
        <p>{t('officeUi.jobs.none')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="data-table">
            <caption className="sr-only">{t('officeUi.jobs.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('officeUi.jobs.col.created')}</th>
                <th scope="col">{t('officeUi.jobs.col.reason')}</th>
                <th scope="col">{t('officeUi.jobs.col.progress')}</th>
                <th scope="col">{t('officeUi.jobs.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>{formatInstant(j.createdAt, locale)}</td>
                  <td>{j.reason}</td>
                  <td>{j.progress.finished ? t('officeUi.jobs.finished') : t('officeUi.jobs.progress', { done: j.progress.done, total: j.progress.total, failed: j.progress.failed })}</td>
                  <td className="actions">
                    <button type="button" className="button" aria-label={t('officeUi.jobs.showLabel', { reason: j.reason })} onClick={() => setShown(shown === j.id ? null : j.id)} aria-expanded={shown === j.id}>
                      {t('officeUi.jobs.show')}
                    </button>
                    {j.progress.pending > 0 ? (
                      <button
                        type="button"
                        className="button"
                        aria-label={t('officeUi.jobs.resumeLabel', { reason: j.reason })}
                        onClick={() =>
                          call('refunds.resume', { jobId: j.id }).then(
                            () => (setShown(j.id), setTick((n) => n + 1)),
                            (e: unknown) => setError(messageOf(e, t)),
                          )
                        }
                      >
                        {t('officeUi.jobs.resume')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown ? <RefundJobPanel key={`${shown}:${tick}`} jobId={shown} /> : null}
    </section>
  )
}
