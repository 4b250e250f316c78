import { useEffect, useState } from 'react'
import type { DashboardSummary, RosterAlert } from '../../../../shared/contract/dashboard'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatInstant, formatMoney, formatSchoolDate } from '../../../../shared/format'
import { hrefOf, subHref } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT, type Translate } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { ScreenHeading } from '../../ui/ScreenHeading'
import '../../styles/dashboard.css'
import { BackupWarning } from './BackupWarning'
import { Meter, Tile } from './Tile'

/** The deadlines shown: today and the coming days. */
const DAYS = 7

/**
 * Tableau de bord: the office's day at a glance. Each tile shows one figure of dashboard.summary
 * and leads to the screen that shows the same figure in detail. The figures are read when the
 * screen opens and on "Actualiser", never on a timer: every call counts as activity, and a timer
 * would keep an unattended session from locking.
 */
export function DashboardScreen() {
  const t = useT()
  const { epoch } = useSession()
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [schoolId, setSchoolId] = useState('')
  const [summary, setSummary] = useState<{ data: DashboardSummary; at: string } | null>(null)
  const [error, setError] = useState('')
  const [tick, setTick] = useState(0)

  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])

  useEffect(() => {
    let current = true
    call('dashboard.summary', { days: DAYS, ...(schoolId ? { schoolId } : {}) }).then(
      (data) => current && (setSummary({ data, at: new Date().toISOString() }), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [schoolId, epoch, t, tick])

  const locale = useLocale()
  const data = summary?.data
  return (
    <div className="screen screen-dashboard">
      <ScreenHeading>{t('nav.dashboard')}</ScreenHeading>
      <p className="muted">{t('dash.intro')}</p>
      <BackupWarning tick={tick} />
      <div className="dash-toolbar">
        <SchoolSelect schools={schools} value={schoolId} onChange={setSchoolId} label={t('dash.school')} allLabel={t('dash.allSchools')} inline />
        <p role="status" className="dash-updated">
          {summary ? t('dash.updated', { date: formatInstant(summary.at, locale) }) : t('common.loading')}
        </p>
        <button type="button" className="button" onClick={() => setTick((n) => n + 1)}>
          {t('dash.refresh')}
        </button>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {data ? (
        <div className="dash-tiles">
          <Deliveries data={data} showSchool={!schoolId} />
          <Deadlines data={data} showSchool={!schoolId} />
          <Outings data={data} showSchool={!schoolId} />
          <Refunds data={data} />
          <Sync data={data} />
          <RosterAlerts data={data} showSchool={!schoolId} onSeen={() => setTick((n) => n + 1)} onError={setError} />
        </div>
      ) : null}
    </div>
  )
}

interface TileProps {
  data: DashboardSummary
  showSchool?: boolean
}

function useTitle() {
  const locale = useLocale()
  return (r: { titleFr: string; titleEn: string | null }) => (locale === 'en-CA' ? (r.titleEn ?? r.titleFr) : r.titleFr)
}

function Deliveries({ data, showSchool }: TileProps) {
  const t = useT()
  const locale = useLocale()
  const title = useTitle()
  const total = data.deliveries.filter((d) => !d.cancelled).reduce((n, d) => n + d.portions, 0)
  return (
    <Tile id="deliveries" title={t('dash.deliveries.heading')} subtitle={formatSchoolDate(data.today, locale)} href={hrefOf('reports')} linkLabel={t('dash.deliveries.link')}>
      {data.deliveries.length === 0 ? (
        <p className="muted">{t('dash.deliveries.none')}</p>
      ) : (
        <>
          <ul className="dash-list">
            {data.deliveries.map((d) => (
              <li key={d.programDateId} className={d.cancelled ? 'dash-cancelled' : undefined}>
                <span className="dash-item">
                  <span className="dash-item-title">
                    {title(d)}
                    {d.cancelled ? <span className="tag tag-warning">{t('dash.deliveries.cancelled')}</span> : null}
                  </span>
                  <span className="dash-item-meta">{[showSchool ? d.schoolName : null, d.supplier ? t('dash.deliveries.supplier', { supplier: d.supplier }) : null].filter(Boolean).join(' · ')}</span>
                </span>
                <span className="dash-figure" data-portions={d.portions}>
                  {t('dash.deliveries.portions', { portions: d.portions })}
                </span>
              </li>
            ))}
          </ul>
          <p className="dash-total">{t('dash.deliveries.total', { portions: total })}</p>
        </>
      )}
    </Tile>
  )
}

function Deadlines({ data, showSchool }: TileProps) {
  const t = useT()
  const locale = useLocale()
  const title = useTitle()
  return (
    <Tile id="deadlines" title={t('dash.deadlines.heading', { days: DAYS })} href={hrefOf('catalogue')} linkLabel={t('dash.deadlines.link')}>
      {data.deadlines.length === 0 ? (
        <p className="muted">{t('dash.deadlines.none')}</p>
      ) : (
        <ul className="dash-list">
          {data.deadlines.map((d) => (
            <li key={d.offeringId}>
              <span className="dash-item">
                <a className="dash-item-title" href={subHref('catalogue', 'article', d.offeringId)}>
                  {title(d)}
                </a>
                <span className="dash-item-meta">{[t('dash.deadlines.due', { date: formatInstant(d.deadlineAt, locale) }), showSchool ? d.schoolName : null].filter(Boolean).join(' · ')}</span>
                <Meter label={t('dash.deadlines.answered', { answered: d.answered, eligible: d.eligible })} value={d.answered} max={d.eligible} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Tile>
  )
}

function Outings({ data, showSchool }: TileProps) {
  const t = useT()
  const locale = useLocale()
  const title = useTitle()
  return (
    <Tile id="outings" title={t('dash.outings.heading')} href={hrefOf('outings')} linkLabel={t('dash.outings.link')}>
      {data.outings.length === 0 ? (
        <p className="muted">{t('dash.outings.none')}</p>
      ) : (
        <ul className="dash-list">
          {data.outings.map((o) => (
            <li key={o.offeringId}>
              <span className="dash-item">
                <a className="dash-item-title" href={subHref('outings', 'sortie', o.offeringId)}>
                  {title(o)}
                </a>
                <span className="dash-item-meta">{[formatSchoolDate(o.startsOn, locale), showSchool ? o.schoolName : null].filter(Boolean).join(' · ')}</span>
                <Meter
                  label={t('dash.outings.gauge', { figure: o.capacity === null ? t('dash.outings.noLimit', { value: o.confirmed }) : t('dash.outings.of', { value: o.confirmed, max: o.capacity }) })}
                  value={o.confirmed}
                  max={o.capacity}
                  full
                />
                <span className="dash-item-meta">{t('dash.outings.consented', { consented: o.consented, eligible: o.eligible, waitlisted: o.waitlisted })}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Tile>
  )
}

function Refunds({ data }: TileProps) {
  const t = useT()
  const locale = useLocale()
  const r = data.refunds
  return (
    <Tile id="refunds" title={t('dash.refunds.heading')} href={hrefOf('orders')} linkLabel={t('dash.refunds.link')} alert={r.failed > 0}>
      <dl className="facts dash-facts">
        <dt>{t('dash.refunds.pending')}</dt>
        <dd data-count={r.pending} data-cents={r.pendingCents}>
          {t('dash.refunds.figure', { count: r.pending, amount: formatMoney(r.pendingCents, locale) })}
        </dd>
        <dt>{t('dash.refunds.failed')}</dt>
        <dd data-count={r.failed} data-cents={r.failedCents} className={r.failed > 0 ? 'dash-alert-text' : undefined}>
          {t('dash.refunds.figure', { count: r.failed, amount: formatMoney(r.failedCents, locale) })}
        </dd>
      </dl>
    </Tile>
  )
}

function Sync({ data }: TileProps) {
  const t = useT()
  const locale = useLocale()
  const s = data.sync
  return (
    <Tile id="sync" title={t('dash.sync.heading')} href={hrefOf('sync')} linkLabel={t('dash.sync.link')} alert={s.blocked > 0}>
      <dl className="facts dash-facts">
        <dt>{t('dash.sync.waiting')}</dt>
        <dd>{t('dash.sync.count', { count: s.waitingToSend })}</dd>
        <dt>{t('dash.sync.blocked')}</dt>
        <dd className={s.blocked > 0 ? 'dash-alert-text' : undefined}>{t('dash.sync.count', { count: s.blocked })}</dd>
        <dt>{t('dash.sync.lastPull')}</dt>
        <dd>{s.lastPullAt ? formatInstant(s.lastPullAt, locale) : t('dash.sync.never')}</dd>
      </dl>
    </Tile>
  )
}

function alertText(t: Translate, a: RosterAlert): string {
  const name = a.studentName ?? t('dash.roster.unknown')
  if (a.kind === 'email_bounced') return t('dash.roster.bounced', { guardian: a.guardianName ?? '' })
  if (a.kind === 'class_changed') return t('dash.roster.classChanged', { name, from: a.fromClass ?? t('dash.roster.noClass'), to: a.toClass ?? t('dash.roster.noClass') })
  const money = [a.futurePaid > 0 ? t('dash.roster.futurePaid', { count: a.futurePaid }) : null, a.unpaidFees > 0 ? t('dash.roster.unpaidFees', { count: a.unpaidFees }) : null].filter(Boolean).join(' · ')
  return `${t('dash.roster.withdrawn', { name })} ${money}`
}

/** Roster changes from the board (sync or OneRoster import) that the office should act on; "Vu" clears one. */
function RosterAlerts({ data, showSchool, onSeen, onError }: TileProps & { onSeen(): void; onError(message: string): void }) {
  const t = useT()
  const locale = useLocale()
  const alerts = data.rosterAlerts
  return (
    <Tile id="roster-alerts" title={t('dash.roster.heading')} href={hrefOf('students')} linkLabel={t('dash.roster.link')} alert={alerts.length > 0}>
      {alerts.length === 0 ? (
        <p className="muted">{t('dash.roster.none')}</p>
      ) : (
        <ul className="dash-list">
          {alerts.map((a) => {
            const text = alertText(t, a)
            return (
              <li key={a.id} data-alert={a.kind}>
                <span className="dash-item">
                  <span className="dash-item-title">{text}</span>
                  <span className="dash-item-meta">
                    {[t('dash.roster.when', { date: formatInstant(a.createdAt, locale) }), showSchool ? a.schoolName : null].filter(Boolean).join(' · ')}
                    {a.studentId ? (
                      <>
                        {' · '}
                        <a href={subHref('students', 'famille', a.studentId)}>{t('dash.roster.openFamily', { name: a.studentName ?? '' })}</a>
                      </>
                    ) : null}
                  </span>
                </span>
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={t('dash.roster.seenLabel', { alert: text })}
                  onClick={() => call('dashboard.acknowledgeRosterAlert', { alertId: a.id }).then(onSeen, (e: unknown) => onError(messageOf(e, t)))}
                >
                  {t('dash.roster.seen')}
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </Tile>
  )
}
