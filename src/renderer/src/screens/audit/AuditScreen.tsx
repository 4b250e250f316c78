import { useEffect, useId, useRef, useState } from 'react'
import { auditChanges } from '../../../../shared/audit-changes'
import type { Input, Output } from '../../../../shared/contract'
import { AUDIT_KINDS, type AuditKind, type AuditRow } from '../../../../shared/contract/admin'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatInstant } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { ExportButton } from '../../ui/ExportButton'
import { FormError } from '../../ui/FormError'
import { Pager } from '../../ui/Pager'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { ScreenHeading } from '../../ui/ScreenHeading'

const PAGE = 50
type Filter = Omit<Input<'audit.export'>, never>
type People = Output<'audit.people'>

/** A person in the filter: a staff id, or the name of an actor that has none ('Guichet'). */
const personKey = (p: People[number]) => (p.staffId ? `staff:${p.staffId}` : `actor:${p.name}`)

/** Journal: every sign-in and change, filtered by person, school, kind and days; open one; export. */
export function AuditScreen() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const ids = { filters: useId(), person: useId(), kind: useId(), from: useId(), to: useId(), caption: useId() }
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [people, setPeople] = useState<People>([])
  const [person, setPerson] = useState('')
  const [schoolId, setSchoolId] = useState('')
  const [kind, setKind] = useState<AuditKind | ''>('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [page, setPage] = useState(0)
  const [result, setResult] = useState<Output<'audit.list'> | null>(null)
  const [open, setOpen] = useState<AuditRow | null>(null)
  const [error, setError] = useState('')

  const filter: Filter = {
    ...(person.startsWith('staff:') ? { staffId: person.slice(6) } : person.startsWith('actor:') ? { actor: person.slice(6) } : {}),
    ...(schoolId ? { schoolId } : {}),
    ...(kind ? { kind } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  }
  const key = JSON.stringify(filter)

  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
    call('audit.people', {}).then(setPeople, () => setPeople([]))
  }, [epoch])
  useEffect(() => setPage(0), [key])
  useEffect(() => {
    let current = true
    call('audit.list', { ...(JSON.parse(key) as Filter), offset: page * PAGE, limit: PAGE }).then(
      (r) => current && (setResult(r), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [key, page, epoch, t])

  const clear = () => (setPerson(''), setSchoolId(''), setKind(''), setFrom(''), setTo(''))

  return (
    <div className="screen screen-audit">
      <ScreenHeading>{t('nav.audit')}</ScreenHeading>
      <p className="hint">{t('auditUi.intro')}</p>
      <section className="panel" aria-labelledby={ids.filters}>
        <h2 id={ids.filters}>{t('auditUi.filters')}</h2>
        <div className="row-fields">
          <div className="field">
            <label htmlFor={ids.person}>{t('auditUi.person')}</label>
            <select id={ids.person} value={person} onChange={(e) => setPerson(e.target.value)}>
              <option value="">{t('auditUi.everyone')}</option>
              {people.map((p) => (
                <option key={personKey(p)} value={personKey(p)}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <SchoolSelect schools={schools} value={schoolId} onChange={setSchoolId} label={t('auditUi.school')} allLabel={t('auditUi.allSchools')} />
          <div className="field">
            <label htmlFor={ids.kind}>{t('auditUi.kind')}</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
              <option value="">{t('auditUi.allKinds')}</option>
              {(Object.keys(AUDIT_KINDS) as AuditKind[]).map((k) => (
                <option key={k} value={k}>
                  {t('auditUi.kindLabel', { kind: k })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.from}>{t('auditUi.from')}</label>
            <input id={ids.from} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('auditUi.to')}</label>
            <input id={ids.to} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
          </div>
          <button type="button" className="button" onClick={clear} disabled={key === '{}'}>
            {t('auditUi.clear')}
          </button>
          <ExportButton fetch={() => call('audit.export', filter)} />
        </div>
      </section>
      <FormError message={error} />
      {result ? (
        <>
          <div className="table-scroll" tabIndex={0}>
            <table className="data-table">
              <caption id={ids.caption} aria-live="polite">
                {t('auditUi.caption', { total: result.total })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('auditUi.col.at')}</th>
                  <th scope="col">{t('auditUi.col.who')}</th>
                  <th scope="col">{t('auditUi.col.action')}</th>
                  <th scope="col">{t('auditUi.col.school')}</th>
                  <th scope="col">{t('auditUi.col.entity')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('auditUi.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr key={r.seq}>
                    <td>{formatInstant(r.at, locale)}</td>
                    <td>{r.actor}</td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td>{r.schoolName ?? t('auditUi.none')}</td>
                    <td>{r.entity ?? t('auditUi.none')}</td>
                    <td>
                      <button type="button" className="button" aria-label={t('auditUi.openLabel', { at: formatInstant(r.at, locale) })} onClick={() => setOpen(r)}>
                        {t('auditUi.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE} total={result.total} onPage={setPage} />
        </>
      ) : null}
      {open ? <AuditRecord row={open} onClose={() => setOpen(null)} /> : null}
    </div>
  )
}

/** One entry: who, when, what, and each field before and after. */
function AuditRecord({ row, onClose }: { row: AuditRow; onClose(): void }) {
  const t = useT()
  const locale = useLocale()
  const headingId = useId()
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => ref.current?.focus(), [row.seq])
  const changes = auditChanges(row)
  return (
    <section className="panel audit-record" aria-labelledby={headingId}>
      <h2 id={headingId} ref={ref} tabIndex={-1}>
        {t('auditUi.record')}
      </h2>
      <dl className="facts">
        <dt>{t('auditUi.col.at')}</dt>
        <dd>{formatInstant(row.at, locale)}</dd>
        <dt>{t('auditUi.col.who')}</dt>
        <dd>{row.actor}</dd>
        <dt>{t('auditUi.col.action')}</dt>
        <dd>
          <code>{row.action}</code>
        </dd>
        <dt>{t('auditUi.col.school')}</dt>
        <dd>{row.schoolName ?? t('auditUi.none')}</dd>
        <dt>{t('auditUi.col.entity')}</dt>
        <dd>{row.entity ? `${row.entity}${row.entityId ? ` · ${row.entityId}` : ''}` : t('auditUi.none')}</dd>
      </dl>
      {changes.length ? (
        <table className="data-table">
          <caption>{t('auditUi.col.changes')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('auditUi.field')}</th>
              <th scope="col">{t('auditUi.before')}</th>
              <th scope="col">{t('auditUi.after')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field}>
                <th scope="row">{c.field}</th>
                <td>{c.before ?? t('auditUi.none')}</td>
                <td>{c.after ?? t('auditUi.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('auditUi.noChanges')}</p>
      )}
      <button type="button" className="button" onClick={onClose}>
        {t('common.close')}
      </button>
    </section>
  )
}
