import { useCallback, useEffect, useId, useRef, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import { OUTING_DOCUMENTS, type OutingDetail, type OutingPlanInput } from '../../../../shared/contract/outings'
import { formatInstant, formatMoney, formatSchoolDate } from '../../../../shared/format'
import { subHref } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { saveFile } from '../../ui/download'
import { OutcomeLine, type Outcome } from '../../ui/Outcome'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { Gauge } from './Gauge'

type Preview = Output<'outings.previewPlan'>
type CallList = Output<'outings.callList'>['rows']

/** One outing: how many go against the seats and the adults, per class, and what to print. */
export function OutingView({ id }: { id: string }) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const [detail, setDetail] = useState<OutingDetail | null>(null)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState<Outcome>(null)

  const load = useCallback(() => {
    call('outings.get', { id }).then(
      (d) => (setDetail(d), setError('')),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [id, t])
  useEffect(load, [load, epoch])

  if (error)
    return (
      <div className="screen">
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      </div>
    )
  if (!detail) return <div className="screen" aria-busy="true" />
  const d = detail
  const title = (locale === 'en-CA' && d.titleEn) || d.titleFr
  return (
    <div className="screen screen-outing">
      <p className="breadcrumb">
        <a href={subHref('outings')}>{t('nav.outings')}</a> › {d.schoolName}
      </p>
      <ScreenHeading>{title}</ScreenHeading>
      <p className="muted">
        {t('outings.facts', {
          date: formatSchoolDate(d.startsOn, locale),
          place: d.destination,
          deadline: formatInstant(d.deadlineAt, locale),
          cost: formatMoney(d.priceCents, locale),
        })}{' '}
        <a href={subHref('catalogue', 'article', d.offeringId)}>{t('outings.editItem')}</a>
      </p>
      <OutcomeLine outcome={notice} />
      <section className="outing-gauges" aria-label={t('outings.gauges')}>
        <Gauge label={t('outings.gauge.seats')} value={d.totals.confirmed} max={d.capacity} />
        <Gauge label={t('outings.gauge.chaperones')} value={d.chaperones.covering} max={d.chaperones.needed} need />
        <p>
          {t('outings.summary', { consented: d.totals.consented, waitlisted: d.totals.waitlisted, noAnswer: d.totals.noAnswer, eligible: d.totals.eligible })}
          {d.limitedBy ? ` ${t(d.limitedBy === 'seats' ? 'outings.limitedBySeats' : 'outings.limitedByVenue')}` : ''}
        </p>
      </section>
      {d.issues.length ? (
        <ul className="outing-issues">
          {d.issues.map((i, n) => (
            <li key={n} className={i.severity === 'error' ? 'form-error' : 'hint hint-lock'}>
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <ClassTable detail={d} />
      <PlanForm detail={d} onSaved={(text) => (setNotice({ kind: 'ok', text }), load())} onError={(text) => setNotice({ kind: 'error', text })} />
      <Chaperones detail={d} onChanged={load} />
      <Waitlist detail={d} />
      <Exceptions detail={d} onDone={(text) => (setNotice({ kind: 'ok', text }), load())} />
      <CallListSection id={id} />
      <Documents id={id} />
    </div>
  )
}

function ClassTable({ detail: d }: { detail: OutingDetail }) {
  const t = useT()
  const id = useId()
  const cols = ['eligible', 'consented', 'declined', 'noAnswer', 'paid', 'waived', 'confirmed', 'waitlisted'] as const
  return (
    <section aria-labelledby={id} className="report-section">
      <h2 id={id}>{t('outings.byClass')}</h2>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('outings.col.class')}</th>
              {cols.map((c) => (
                <th key={c} scope="col" className="numeric">
                  {t(`outings.col.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.classes.map((r) => (
              <tr key={r.classId ?? 'none'}>
                <th scope="row">{r.className ?? t('students.noClass')}</th>
                {cols.map((c) => (
                  <td key={c} className="numeric">
                    {r[c]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('outings.total')}</th>
              {cols.map((c) => (
                <td key={c} className="numeric">
                  {d.totals[c]}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  )
}

function PlanForm({ detail: d, onSaved, onError }: { detail: OutingDetail; onSaved(text: string): void; onError(text: string): void }) {
  const t = useT()
  const ids = { heading: useId(), buses: useId(), seats: useId(), staff: useId(), venue: useId(), ratio: useId() }
  const [plan, setPlan] = useState<OutingPlanInput>(d.plan)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [busy, setBusy] = useState(false)
  const confirm = useRef<HTMLDialogElement>(null)
  useEffect(() => setPlan(d.plan), [d.plan])
  const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v))
  const field = (key: 'busCount' | 'seatsPerBus' | 'staffCount', label: string, inputId: string) => (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} type="number" value={Number.isFinite(plan[key]) ? plan[key] : ''} onChange={(e) => setPlan({ ...plan, [key]: num(e.target.value) })} />
    </div>
  )
  const save = async (confirmMoves: boolean) => {
    setBusy(true)
    try {
      const p = await call('outings.previewPlan', { id: d.offeringId, plan })
      setPreview(p)
      if (p.issues.some((i) => i.severity === 'error')) return
      if (p.movedToWaitlist.length && !confirmMoves) {
        confirm.current?.showModal()
        return
      }
      const r = await call('outings.setPlan', { id: d.offeringId, plan, confirmMoves })
      confirm.current?.close()
      setPreview(null)
      onSaved(r.promoted.length ? t('outings.savedPromoted', { count: r.promoted.length }) : r.movedToWaitlist.length ? t('outings.savedMoved', { count: r.movedToWaitlist.length }) : t('outings.saved'))
    } catch (e) {
      onError(fieldMessagesOf(e, t))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section aria-labelledby={ids.heading} className="report-section">
      <h2 id={ids.heading}>{t('outings.plan')}</h2>
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          void save(false)
        }}
      >
        {field('busCount', t('cat.outing.busCount'), ids.buses)}
        {field('seatsPerBus', t('cat.outing.seatsPerBus'), ids.seats)}
        {field('staffCount', t('cat.outing.staffCount'), ids.staff)}
        <div className="field">
          <label htmlFor={ids.ratio}>{t('cat.outing.ratio')}</label>
          <input id={ids.ratio} type="number" value={plan.chaperoneRatio ?? ''} onChange={(e) => setPlan({ ...plan, chaperoneRatio: e.target.value === '' ? null : num(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor={ids.venue}>{t('cat.outing.venueLimit')}</label>
          <input id={ids.venue} type="number" value={plan.venueLimit ?? ''} onChange={(e) => setPlan({ ...plan, venueLimit: e.target.value === '' ? null : num(e.target.value) })} />
        </div>
        <RatioBands plan={plan} setPlan={setPlan} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('outings.savePlan')}
        </button>
      </form>
      {preview?.issues.length ? (
        <ul>
          {preview.issues.map((i, n) => (
            <li key={n} className={i.severity === 'error' ? 'form-error' : 'hint'}>
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <dialog ref={confirm} className="dialog" aria-labelledby={ids.heading + '-confirm'}>
        <h2 id={ids.heading + '-confirm'}>{t('outings.confirmMoves', { count: preview?.movedToWaitlist.length ?? 0 })}</h2>
        <ol className="moves">
          {preview?.movedToWaitlist.map((m) => (
            <li key={m.studentId}>
              {m.name} {m.className ? <span className="muted">({m.className})</span> : null}
            </li>
          ))}
        </ol>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => confirm.current?.close()}>
            {t('outings.keepPlan')}
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void save(true)}>
            {t('outings.applyMoves')}
          </button>
        </div>
      </dialog>
    </section>
  )
}

const BAND_GRADES = ['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8'] as const

/** Students per adult by band of grades (1:8 for the little ones, 1:10 for grades 4–6); none uses the single ratio. */
function RatioBands({ plan, setPlan }: { plan: OutingPlanInput; setPlan(plan: OutingPlanInput): void }) {
  const t = useT()
  const setBand = (i: number, band: OutingPlanInput['bands'][number]) => setPlan({ ...plan, bands: plan.bands.map((b, j) => (j === i ? band : b)) })
  return (
    <fieldset className="bands">
      <legend>{t('outings.bands')}</legend>
      {plan.bands.length === 0 ? <p className="hint">{t('outings.bandsNone')}</p> : null}
      {plan.bands.map((band, i) => (
        <div key={i} className="row-fields band">
          <div className="check-group" role="group" aria-label={t('outings.bandGrades', { n: i + 1 })}>
            {BAND_GRADES.map((g) => (
              <label key={g} className="check check-small">
                <input
                  type="checkbox"
                  checked={band.grades.includes(g)}
                  onChange={(e) => setBand(i, { ...band, grades: e.target.checked ? [...band.grades, g] : band.grades.filter((x) => x !== g) })}
                />
                {t('grade.label', { grade: g })}
              </label>
            ))}
          </div>
          <label className="field">
            {t('outings.bandRatio', { n: i + 1 })}
            <input type="number" value={Number.isFinite(band.studentsPerAdult) ? band.studentsPerAdult : ''} onChange={(e) => setBand(i, { ...band, studentsPerAdult: e.target.value === '' ? Number.NaN : Number(e.target.value) })} />
          </label>
          <button type="button" className="button button-quiet" onClick={() => setPlan({ ...plan, bands: plan.bands.filter((_, j) => j !== i) })}>
            {t('cat.remove', { what: t('outings.bandN', { n: i + 1 }) })}
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => setPlan({ ...plan, bands: [...plan.bands, { grades: [], studentsPerAdult: plan.chaperoneRatio ?? 10 }] })}>
        {t('outings.bandAdd')}
      </button>
    </fieldset>
  )
}

function Chaperones({ detail: d, onChanged }: { detail: OutingDetail; onChanged(): void }) {
  const t = useT()
  const locale = useLocale()
  const ids = { heading: useId(), name: useId(), phone: useId(), expires: useId() }
  const [form, setForm] = useState({ name: '', phone: '', expires: '' })
  const [error, setError] = useState('')
  const add = async () => {
    try {
      await call('outings.addChaperone', { id: d.offeringId, name: form.name, phone: form.phone || null, policeCheckExpiresOn: form.expires || null })
      setForm({ name: '', phone: '', expires: '' })
      setError('')
      onChanged()
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    }
  }
  return (
    <section aria-labelledby={ids.heading} className="report-section">
      <h2 id={ids.heading}>{t('outings.chaperones', { covering: d.chaperones.covering, needed: d.chaperones.needed ?? 0 })}</h2>
      {d.chaperones.list.length ? (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('outings.chaperone.name')}</th>
              <th scope="col">{t('outings.chaperone.phone')}</th>
              <th scope="col">{t('outings.chaperone.expires')}</th>
              <th scope="col">{t('outings.chaperone.covers')}</th>
              <th scope="col">
                <span className="sr-only">{t('cat.dates.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.chaperones.list.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.phone ?? ''}</td>
                <td>{c.expiresOn ? formatSchoolDate(c.expiresOn, locale, 'short') : t('outings.chaperone.noCheck')}</td>
                <td>{c.covers ? t('outings.chaperone.yes') : t(`outings.reason.${c.reason ?? 'checkMissing'}` as 'outings.reason.checkMissing')}</td>
                <td>
                  <button type="button" className="button button-quiet" onClick={() => void call('outings.removeChaperone', { id: d.offeringId, chaperoneId: c.id }).then(onChanged, (e: unknown) => setError(messageOf(e, t)))}>
                    {t('cat.remove', { what: c.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          void add()
        }}
      >
        <div className="field">
          <label htmlFor={ids.name}>{t('outings.chaperone.name')}</label>
          <input id={ids.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.phone}>{t('outings.chaperone.phone')}</label>
          <input id={ids.phone} type="tel" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.expires}>{t('outings.chaperone.expires')}</label>
          <input id={ids.expires} type="date" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
        </div>
        <button type="submit" className="button">
          {t('outings.chaperone.add')}
        </button>
      </form>
      <FormError message={error} />
    </section>
  )
}

function Waitlist({ detail: d }: { detail: OutingDetail }) {
  const t = useT()
  const id = useId()
  return (
    <section aria-labelledby={id} className="report-section">
      <h2 id={id}>{t('outings.waitlist', { count: d.waitlist.length })}</h2>
      {d.waitlist.length ? (
        <ol className="waitlist">
          {d.waitlist.map((w) => (
            <li key={w.studentId}>
              {w.name} {w.className ? <span className="muted">({w.className})</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t('outings.waitlistEmpty')}</p>
      )}
    </section>
  )
}

/** After the deadline only the principal withdraws a consent, with the reason (the parent called). */
function Exceptions({ detail: d, onDone }: { detail: OutingDetail; onDone(text: string): void }) {
  const t = useT()
  const { session } = useSession()
  const ids = { heading: useId(), student: useId(), reason: useId() }
  const [studentId, setStudentId] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  if (!d.deadlinePassed || session.staff.role === 'secretary') return null
  const consented = d.students.filter((s) => s.state === 'confirmed' || s.state === 'consented_unpaid' || s.state === 'waitlisted')
  return (
    <section aria-labelledby={ids.heading} className="report-section">
      <h2 id={ids.heading}>{t('outings.exception')}</h2>
      <p className="hint">{t('outings.exceptionHint')}</p>
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          call('outings.withdrawException', { id: d.offeringId, studentId, reason }).then(
            (r) => (setReason(''), setStudentId(''), setError(''), onDone(t('outings.exceptionDone', { count: r.promoted.length }))),
            (err: unknown) => setError(fieldMessagesOf(err, t)),
          )
        }}
      >
        <div className="field">
          <label htmlFor={ids.student}>{t('outings.exceptionStudent')}</label>
          <select id={ids.student} value={studentId} onChange={(e) => setStudentId(e.target.value)}>
            <option value="">—</option>
            {consented.map((s) => (
              <option key={s.studentId} value={s.studentId}>
                {s.name} {s.className ? `(${s.className})` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.reason}>{t('outings.exceptionReason')}</label>
          <input id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={!studentId}>
          {t('outings.exceptionSubmit')}
        </button>
      </form>
      <FormError message={error} />
    </section>
  )
}

function CallListSection({ id }: { id: string }) {
  const t = useT()
  const headingId = useId()
  const [rows, setRows] = useState<CallList | null>(null)
  const [error, setError] = useState('')
  return (
    <section aria-labelledby={headingId} className="report-section">
      <h2 id={headingId}>{t('outings.callList')}</h2>
      <button type="button" className="button" onClick={() => call('outings.callList', { id }).then((r) => (setRows(r.rows), setError('')), (e: unknown) => setError(messageOf(e, t)))}>
        {t('outings.callListShow')}
      </button>
      <FormError message={error} />
      {rows === null ? null : rows.length === 0 ? (
        <p role="status">{t('outings.callListEmpty')}</p>
      ) : (
        <table className="data-table">
          <caption className="sr-only">{t('outings.callList')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outings.call.guardian')}</th>
              <th scope="col">{t('outings.call.phone')}</th>
              <th scope="col">{t('outings.call.language')}</th>
              <th scope="col">{t('outings.call.children')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{r.guardianName}</td>
                <td>{[r.phone, r.phoneAlt].filter(Boolean).join(' · ') || t('family.noPhone')}</td>
                <td>{t(r.language === 'en' ? 'outings.call.english' : 'outings.call.french')}</td>
                <td>{r.students.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function Documents({ id }: { id: string }) {
  const t = useT()
  const headingId = useId()
  const [error, setError] = useState('')
  return (
    <section aria-labelledby={headingId} className="report-section">
      <h2 id={headingId}>{t('outings.documents')}</h2>
      <div className="report-buttons">
        {OUTING_DOCUMENTS.map((doc) => (
          <button key={doc} type="button" className="button" onClick={() => call('outings.document', { id, document: doc }).then(saveFile, (e: unknown) => setError(messageOf(e, t)))}>
            {t(`outings.doc.${doc}`)}
          </button>
        ))}
      </div>
      <FormError message={error} />
    </section>
  )
}
