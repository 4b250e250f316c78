import { useEffect, useState } from 'react'
import type { OutingOverviewRow } from '../../../../shared/contract/outings'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatSchoolDate } from '../../../../shared/format'
import { subHref, useSubPath } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { Gauge } from './Gauge'
import { OutingView } from './OutingView'

/** '#/sorties' (every upcoming outing at a glance) and '#/sorties/sortie/ID' (one outing). */
export function OutingsScreen() {
  const [view, id] = useSubPath()
  if (view === 'sortie' && id) return <OutingView key={id} id={id} />
  return <Overview />
}

function Overview() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [schoolId, setSchoolId] = useState('')
  const [rows, setRows] = useState<OutingOverviewRow[] | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])
  useEffect(() => {
    let current = true
    call('outings.overview', schoolId ? { schoolId } : {}).then(
      (r) => current && (setRows(r.rows), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [schoolId, epoch, t])
  return (
    <div className="screen screen-outings">
      <ScreenHeading>{t('nav.outings')}</ScreenHeading>
      <p className="muted">{t('outings.intro')}</p>
      <SchoolSelect schools={schools} value={schoolId} onChange={setSchoolId} label={t('cat.school')} allLabel={t('cat.allSchools')} inline />
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {rows === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p role="status">{t('outings.none')}</p>
      ) : (
        <ul className="outing-cards">
          {rows.map((r) => (
            <li key={r.offeringId} className="card outing-card">
              <h2>
                <a href={subHref('outings', 'sortie', r.offeringId)}>{(locale === 'en-CA' && r.titleEn) || r.titleFr}</a>
              </h2>
              <p className="muted">
                {formatSchoolDate(r.startsOn, locale)} · {r.schoolName}
              </p>
              <Gauge label={t('outings.gauge.seats')} value={r.counts.confirmed} max={r.capacity} />
              <Gauge label={t('outings.gauge.chaperones')} value={r.chaperonesCovering} max={r.chaperonesNeeded} need />
              <p>
                {t('outings.summary', { consented: r.counts.consented, waitlisted: r.counts.waitlisted, noAnswer: r.counts.noAnswer, eligible: r.counts.eligible })}
              </p>
              {r.busesNeededForConsented !== null && r.busesNeededForConsented > r.busCount ? (
                <p className="tag tag-warning">{t('outings.moreBuses', { needed: r.busesNeededForConsented, planned: r.busCount })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
