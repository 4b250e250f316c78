import { useEffect, useId, useMemo, useState } from 'react'
import { Temporal } from 'temporal-polyfill'
import type { Output } from '../../../../shared/contract'
import type { SchoolView } from '../../../../shared/contract/system'
import { subHref } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { todayInSchool } from './draft'

type Month = Output<'catalogue.month'>

/** Every program date and outing of a month, on a grid of weeks, with the days off marked. */
export function MonthCalendar({ schools }: { schools: SchoolView[] }) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const [month, setMonth] = useState(() => todayInSchool().slice(0, 7))
  const [schoolId, setSchoolId] = useState('')
  const [data, setData] = useState<Month | null>(null)
  const [error, setError] = useState('')
  const ids = { month: useId(), title: useId() }

  useEffect(() => {
    let current = true
    call('catalogue.month', { month, ...(schoolId ? { schoolId } : {}) }).then(
      (r) => current && (setData(r), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [month, schoolId, epoch, t])

  const weeks = useMemo(() => weeksOf(month), [month])
  const first = Temporal.PlainYearMonth.from(month)
  const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(first.year, first.month - 1, 15)))
  const dayNames = [1, 2, 3, 4, 5, 6, 7].map((d) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d))))
  const schoolName = (id: string) => (schools.length > 1 ? schools.find((s) => s.id === id)?.name : undefined)
  const move = (n: number) => setMonth(first.add({ months: n }).toString())

  return (
    <section aria-labelledby={ids.title} className="month">
      <div className="month-bar">
        <button type="button" className="button" onClick={() => move(-1)}>
          {t('cat.month.previous')}
        </button>
        <h2 id={ids.title} className="month-title" aria-live="polite">
          {title}
        </h2>
        <button type="button" className="button" onClick={() => move(1)}>
          {t('cat.month.next')}
        </button>
        <div className="field field-inline">
          <label htmlFor={ids.month}>{t('cat.month.goTo')}</label>
          <input id={ids.month} type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </div>
        <SchoolSelect schools={schools} value={schoolId} onChange={setSchoolId} label={t('cat.school')} allLabel={t('cat.allSchools')} inline />
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <table className="month-grid">
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            {dayNames.map((n) => (
              <th key={n} scope="col">
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((date) => {
                const inMonth = date.startsWith(month)
                const entries = data?.entries.filter((e) => e.date === date) ?? []
                const off = data?.daysOff.filter((d) => d.date === date) ?? []
                const label = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`))
                return (
                  <td key={date} className={`${inMonth ? '' : 'out-of-month'}${off.length ? ' day-off' : ''}`} data-date={date}>
                    <span className="day-number" aria-label={label}>
                      {Number(date.slice(8))}
                    </span>
                    {off.map((o) => (
                      <span key={o.schoolId} className="day-off-label">
                        {(locale === 'en-CA' && o.labelEn) || o.labelFr}
                        {schoolName(o.schoolId) ? ` (${schoolName(o.schoolId)})` : ''}
                      </span>
                    ))}
                    <ul className="day-entries" aria-label={t('names.calendar.day', { date: label })}>
                      {entries.map((e) => (
                        <li key={e.offeringId} className={`entry entry-${e.kind}${e.dateStatus === 'cancelled' ? ' entry-cancelled' : ''}`}>
                          <a href={subHref('catalogue', 'article', e.offeringId)}>{(locale === 'en-CA' && e.titleEn) || e.titleFr}</a>
                          {e.status === 'draft' ? <span className="tag tag-muted">{t('cat.status.draft')}</span> : null}
                          {e.dateStatus === 'cancelled' ? <span className="tag tag-muted">{t('cat.dates.cancelled')}</span> : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The Monday-to-Sunday weeks that cover a month, as ISO dates. */
function weeksOf(month: string): string[][] {
  const first = Temporal.PlainYearMonth.from(month).toPlainDate({ day: 1 })
  let day = first.subtract({ days: first.dayOfWeek - 1 })
  const last = first.add({ months: 1 })
  const weeks: string[][] = []
  while (Temporal.PlainDate.compare(day, last) < 0) {
    const week: string[] = []
    for (let i = 0; i < 7; i++) {
      week.push(day.toString())
      day = day.add({ days: 1 })
    }
    weeks.push(week)
  }
  return weeks
}
