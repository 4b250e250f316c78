import { useEffect, useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { CalendarView } from '../../../../shared/contract/catalogue'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatSchoolDate } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { OutcomeLine, type Outcome } from '../../ui/Outcome'
import { messageOf } from '../../ui/errors'
import { SchoolSelect } from '../../ui/SchoolSelect'

type Preview = Output<'calendar.previewImport'>
type DayKind = CalendarView['daysOff'][number]['kind']
const DAY_KINDS: readonly DayKind[] = ['pd_day', 'holiday', 'closure']

/** A school's year and days off (holidays, PD days, closures), edited by hand or from a file. */
export function SchoolCalendar({ schools }: { schools: SchoolView[] }) {
  const t = useT()
  const locale = useLocale()
  const { epoch, session } = useSession()
  const [schoolId, setSchoolId] = useState('')
  const [cal, setCal] = useState<CalendarView | null>(null)
  const [notice, setNotice] = useState<Outcome>(null)
  const [year, setYear] = useState({ label: '', startsOn: '', endsOn: '' })
  const [day, setDay] = useState({ date: '', kind: 'pd_day' as DayKind, labelFr: '', labelEn: '' })
  const [fileText, setFileText] = useState('')
  const [preview, setPreview] = useState<Preview | null>(null)
  const ids = { label: useId(), start: useId(), end: useId(), date: useId(), kind: useId(), fr: useId(), en: useId(), file: useId(), days: useId() }
  const school = schoolId || schools[0]?.id || ''
  const canSetYear = session.staff.role !== 'secretary'

  useEffect(() => {
    if (!school) return
    call('calendar.get', { schoolId: school }).then(
      (c) => {
        setCal(c)
        setYear(c.year ?? { label: '', startsOn: '', endsOn: '' })
      },
      (e: unknown) => setNotice({ kind: 'error', text: messageOf(e, t) }),
    )
  }, [school, epoch, t])

  const act = async (action: () => Promise<CalendarView>, done: string) => {
    setNotice(null)
    try {
      const c = await action()
      setCal(c)
      setNotice({ kind: 'ok', text: done })
      return true
    } catch (e) {
      setNotice({ kind: 'error', text: messageOf(e, t) })
      return false
    }
  }

  return (
    <section className="school-calendar">
      <SchoolSelect schools={schools} value={school} onChange={(v) => (setSchoolId(v), setPreview(null))} label={t('cat.school')} inline />
      <OutcomeLine outcome={notice} />

      <h2>{t('cal.year')}</h2>
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          void act(() => call('calendar.setYear', { schoolId: school, ...year }), t('cal.yearSaved'))
        }}
      >
        <div className="field">
          <label htmlFor={ids.label}>{t('cal.yearLabel')}</label>
          <input id={ids.label} value={year.label} placeholder="2026-2027" disabled={!canSetYear} onChange={(e) => setYear({ ...year, label: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.start}>{t('cal.startsOn')}</label>
          <input id={ids.start} type="date" value={year.startsOn} disabled={!canSetYear} onChange={(e) => setYear({ ...year, startsOn: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.end}>{t('cal.endsOn')}</label>
          <input id={ids.end} type="date" value={year.endsOn} disabled={!canSetYear} onChange={(e) => setYear({ ...year, endsOn: e.target.value })} />
        </div>
        {canSetYear ? (
          <button type="submit" className="button">
            {t('cal.saveYear')}
          </button>
        ) : (
          <p className="hint">{t('cal.yearPrincipal')}</p>
        )}
      </form>

      <h2 id={ids.days}>{t('cal.daysOff', { count: cal?.daysOff.length ?? 0 })}</h2>
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          void act(
            () => call('calendar.setDay', { schoolId: school, day: { date: day.date, kind: day.kind, labelFr: day.labelFr, labelEn: day.labelEn || null } }),
            t('cal.daySaved'),
          ).then((ok) => ok && setDay({ ...day, date: '', labelFr: '', labelEn: '' }))
        }}
      >
        <div className="field">
          <label htmlFor={ids.date}>{t('cal.date')}</label>
          <input id={ids.date} type="date" required value={day.date} onChange={(e) => setDay({ ...day, date: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>{t('cal.kind')}</label>
          <select id={ids.kind} value={day.kind} onChange={(e) => setDay({ ...day, kind: e.target.value as DayKind })}>
            {DAY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cal.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.fr}>{t('cal.labelFr')}</label>
          <input id={ids.fr} value={day.labelFr} onChange={(e) => setDay({ ...day, labelFr: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.en}>{t('cal.labelEn')}</label>
          <input id={ids.en} lang="en" value={day.labelEn} onChange={(e) => setDay({ ...day, labelEn: e.target.value })} />
        </div>
        <button type="submit" className="button">
          {t('cal.addDay')}
        </button>
      </form>
      <div className="table-scroll">
        <table className="data-table" aria-labelledby={ids.days}>
          <thead>
            <tr>
              <th scope="col">{t('cal.date')}</th>
              <th scope="col">{t('cal.kind')}</th>
              <th scope="col">{t('cal.labelFr')}</th>
              <th scope="col">{t('cal.labelEn')}</th>
              <th scope="col">
                <span className="sr-only">{t('cat.dates.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cal?.daysOff.map((d) => (
              <tr key={d.date}>
                <td>{formatSchoolDate(d.date, locale)}</td>
                <td>{t(`cal.kind.${d.kind}`)}</td>
                <td>{d.labelFr}</td>
                <td lang="en">{d.labelEn ?? ''}</td>
                <td>
                  <button type="button" className="button button-quiet" onClick={() => void act(() => call('calendar.removeDay', { schoolId: school, date: d.date }), t('cal.dayRemoved'))}>
                    {t('cat.remove', { what: formatSchoolDate(d.date, locale, 'short') })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('cal.import')}</h2>
      <p className="hint">{t('cal.importHint')}</p>
      <div className="field">
        <label htmlFor={ids.file}>{t('cal.importFile')}</label>
        <input
          id={ids.file}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (!file) return
            void file.text().then(async (text) => {
              setFileText(text)
              try {
                setPreview(await call('calendar.previewImport', { schoolId: school, text }))
              } catch (err) {
                setNotice({ kind: 'error', text: messageOf(err, t) })
              }
            })
          }}
        />
      </div>
      {preview ? (
        <div className="import-preview" role="region" aria-label={t('cal.preview')}>
          <p>{t('cal.previewCounts', { added: preview.added, changed: preview.changed, unchanged: preview.unchanged })}</p>
          {preview.errors.length ? (
            <ul className="import-errors">
              {preview.errors.map((e, i) => (
                <li key={i} className={e.fatal ? 'form-error' : 'hint'}>
                  {t('cal.previewLine', { line: e.line, message: e.message })}
                </li>
              ))}
            </ul>
          ) : null}
          <button
            type="button"
            className="button button-primary"
            disabled={!preview.ok}
            onClick={() => void act(() => call('calendar.import', { schoolId: school, text: fileText }), t('cal.imported')).then((ok) => ok && setPreview(null))}
          >
            {t('cal.apply')}
          </button>
        </div>
      ) : null}
    </section>
  )
}
