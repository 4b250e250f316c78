import { useEffect, useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatMoney } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { saveFile } from '../../ui/download'
import { messageOf } from '../../ui/errors'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { CallListSection } from './CallListSection'
import { ProgramDatesTable, type DocumentKind, type ProgramDateRow } from './ProgramDatesTable'
import { ReconciliationSection } from './ReconciliationSection'

const MAX_DATES_IN_ONE_PDF = 31

/** Today and a week later, as the school dates the inputs take. */
function thisWeek(): { from: string; to: string } {
  const today = new Date()
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
  return { from: local(today), to: local(new Date(today.getTime() + 6 * 86_400_000)) }
}

export function ReportsScreen() {
  const t = useT()
  const { epoch } = useSession()
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [schoolId, setSchoolId] = useState('')

  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])

  const schoolSelectId = useId()
  return (
    <div className="screen screen-reports">
      <ScreenHeading>{t('nav.reports')}</ScreenHeading>
      <div className="field field-inline">
        <label htmlFor={schoolSelectId}>{t('reports.school')}</label>
        <select id={schoolSelectId} value={schoolId} onChange={(e) => setSchoolId(e.target.value)}>
          <option value="">{t('reports.allSchools')}</option>
          {schools.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <OrderSheets schoolId={schoolId} />
      <MoneyReport schoolId={schoolId} />
      <CallListSection schoolId={schoolId} />
      <ReconciliationSection schoolId={schoolId} />
    </div>
  )
}

function Period({ value, onChange }: { value: { from: string; to: string }; onChange(v: { from: string; to: string }): void }) {
  const t = useT()
  const fromId = useId()
  const toId = useId()
  return (
    <div className="period">
      <div className="field">
        <label htmlFor={fromId}>{t('reports.from')}</label>
        <input id={fromId} type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={toId}>{t('reports.to')}</label>
        <input id={toId} type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} />
      </div>
    </div>
  )
}

function OrderSheets({ schoolId }: { schoolId: string }) {
  const t = useT()
  const headingId = useId()
  const [period, setPeriod] = useState(thisWeek)
  const [rows, setRows] = useState<ProgramDateRow[] | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    if (!period.from || !period.to) return
    let current = true
    call('reports.programDates', { from: period.from, to: period.to, ...(schoolId ? { schoolId } : {}) }).then(
      (r) => current && (setRows(r), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [period, schoolId, t])

  async function download(key: string, fetch: () => Promise<Output<'reports.deliveryLists'>>) {
    setBusy(key)
    setError('')
    try {
      saveFile(await fetch())
    } catch (e) {
      setError(messageOf(e, t))
    } finally {
      setBusy(null)
    }
  }

  const onDocument = (row: ProgramDateRow, kind: DocumentKind) =>
    void download(`${row.programDateId}:${kind}`, () =>
      kind === 'delivery'
        ? call('reports.deliveryLists', { programDateId: row.programDateId })
        : call('reports.orderSheetFile', { programDateIds: [row.programDateId], format: kind }),
    )

  const tooMany = (rows?.length ?? 0) > MAX_DATES_IN_ONE_PDF
  return (
    <section className="report-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('reports.sheets.heading')}</h2>
      <p className="muted">{t('reports.sheets.intro')}</p>
      <Period value={period} onChange={setPeriod} />
      <p role="status" className="report-count">
        {rows ? t('reports.count', { count: rows.length }) : ''}
      </p>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {rows && rows.length > 0 ? (
        <>
          <ProgramDatesTable rows={rows} busy={busy} onDocument={onDocument} />
          <button
            type="button"
            className="button"
            disabled={busy !== null || tooMany}
            aria-describedby={tooMany ? `${headingId}-too-many` : undefined}
            onClick={() => void download('week', () => call('reports.orderSheetFile', { programDateIds: rows.map((r) => r.programDateId), format: 'pdf' }))}
          >
            {busy === 'week' ? t('reports.working') : t('reports.weekPdf')}
          </button>
          {tooMany ? (
            <p id={`${headingId}-too-many`} className="field-hint">
              {t('reports.tooMany')}
            </p>
          ) : null}
        </>
      ) : rows ? (
        <p>{t('reports.none')}</p>
      ) : null}
    </section>
  )
}

function MoneyReport({ schoolId }: { schoolId: string }) {
  const t = useT()
  const locale = useLocale()
  const headingId = useId()
  const [period, setPeriod] = useState(() => {
    const now = new Date()
    const start = now.getMonth() >= 7 ? now.getFullYear() : now.getFullYear() - 1
    return { from: `${start}-08-01`, to: thisWeek().from }
  })
  const [report, setReport] = useState<Output<'reports.money'> | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const input = { from: period.from, to: period.to, ...(schoolId ? { schoolId } : {}) }

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true)
    setError('')
    try {
      return await work()
    } catch (e) {
      setError(messageOf(e, t))
      return undefined
    } finally {
      setBusy(false)
    }
  }

  const money = (cents: number) => formatMoney(cents, locale)
  return (
    <section className="report-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('reports.money.heading')}</h2>
      <p className="muted">{t('reports.money.intro')}</p>
      <Period value={period} onChange={setPeriod} />
      <div className="report-buttons">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void run(() => call('reports.money', input)).then((r) => r && setReport(r))}>
          {t('reports.money.show')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => call('reports.moneyFile', input)).then((f) => f && saveFile(f))}>
          {t('reports.money.export')}
        </button>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {report ? (
        <div aria-live="polite">
          <dl className="money-totals">
            {(['paid', 'refunded', 'waived', 'net'] as const).map((k) => (
              <div key={k}>
                <dt>{t(`reports.money.${k}`)}</dt>
                <dd>{money(report.totals[`${k}Cents`])}</dd>
              </div>
            ))}
          </dl>
          {report.byItem.length === 0 ? (
            <p>{t('reports.money.empty')}</p>
          ) : (
            <table className="data-table">
              <caption>{t('reports.money.byItem')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.col.item')}</th>
                  <th scope="col">{t('reports.col.school')}</th>
                  {(['paid', 'refunded', 'waived', 'net'] as const).map((k) => (
                    <th key={k} scope="col" className="numeric">
                      {t(`reports.money.${k}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.byItem.map((r) => (
                  <tr key={r.key}>
                    <td>{locale === 'en-CA' ? (r.labelEn ?? r.labelFr) : r.labelFr}</td>
                    <td>{r.schoolName}</td>
                    <td className="numeric">{money(r.paidCents)}</td>
                    <td className="numeric">{money(r.refundedCents)}</td>
                    <td className="numeric">{money(r.waivedCents)}</td>
                    <td className="numeric">{money(r.netCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : null}
    </section>
  )
}
