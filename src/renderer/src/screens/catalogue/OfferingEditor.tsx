import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { FieldIssue } from '../../../../shared/errors'
import { isMessageKey, type MessageKey } from '../../../../shared/i18n'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatInstant, formatMonth } from '../../../../shared/format'
import { navigate, subHref } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call, RpcError } from '../../rpc/client'
import { OutcomeLine, type Outcome } from '../../ui/Outcome'
import { messageOf } from '../../ui/errors'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { useDebounced } from '../../ui/useDebounced'
import { RefundJobPanel } from '../money/RefundJobPanel'
import { formatSchoolDate } from '../../../../shared/format'
import { CheckerPanel } from './CheckerPanel'
import { emptyDraft, emptyRule, instantOf, wallOf, type Detail, type Draft, type Kind, type Problem, type ProgramRule } from './draft'
import { Field, MoneyInput, numberOrNull } from './fields'
import { ProgramDatesSection } from './ProgramDatesSection'
import { OutingSection, QuestionsSection, TargetsSection, VariantsSection } from './sections'

type Props = { id: string; newKind?: undefined } | { id?: undefined; newKind: Kind }

interface Form {
  schoolId: string
  draft: Draft
  rule: ProgramRule
  /** Opening and deadline as typed, in the school's wall time. */
  opens: string
  deadline: string
}

function formOf(detail: Detail): Form {
  return {
    schoolId: detail.schoolId,
    draft: detail.draft,
    rule: detail.programRule ?? emptyRule(),
    opens: wallOf(detail.draft.opensAt),
    deadline: wallOf(detail.draft.deadlineAt),
  }
}

/** The draft as the core takes it: the typed times made instants. */
function wireDraft(form: Form): Draft {
  return { ...form.draft, opensAt: instantOf(form.opens), deadlineAt: instantOf(form.deadline) }
}

/** One item of the catalogue: its form, the checker beside it, and what may happen to it next. */
export function OfferingEditor(props: Props) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const [detail, setDetail] = useState<Detail | null>(null)
  const [form, setForm] = useState<Form | null>(null)
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [loadError, setLoadError] = useState('')
  const [problems, setProblems] = useState<Problem[] | null>(null)
  const [issues, setIssues] = useState<FieldIssue[]>([])
  const [eligible, setEligible] = useState<number | null>(null)
  const [notice, setNotice] = useState<Outcome>(null)
  const [busy, setBusy] = useState(false)
  const [dirty, setDirty] = useState(false)
  const cancelDialog = useRef<HTMLDialogElement>(null)
  const warnDialog = useRef<HTMLDialogElement>(null)
  const [reason, setReason] = useState('')
  /** A published item's later deadline or reopening: the principal's reason (services/exceptions.ts). */
  const [exceptionReason, setExceptionReason] = useState('')
  const dateDialog = useRef<HTMLDialogElement>(null)
  const [dateToCancel, setDateToCancel] = useState<{ id: string; date: string } | null>(null)
  const [dateReason, setDateReason] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const ids = { reason: useId(), warnTitle: useId(), cancelTitle: useId(), dateTitle: useId(), dateReason: useId() }

  const load = useCallback(async (id: string) => {
    try {
      const d = await call('catalogue.get', { id })
      setDetail(d)
      setForm(formOf(d))
      setProblems(d.problems)
      setDirty(false)
      setLoadError('')
    } catch (e) {
      setLoadError(messageOf(e, t))
    }
  }, [t])

  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])

  useEffect(() => {
    if (props.id) void load(props.id)
  }, [props.id, load, epoch])

  useEffect(() => {
    if (props.newKind && !form && schools.length) {
      const d = emptyDraft(props.newKind)
      setForm({ schoolId: schools[0]!.id, draft: d, rule: emptyRule(), opens: wallOf(d.opensAt), deadline: wallOf(d.deadlineAt) })
    }
  }, [props.newKind, form, schools])

  const update = useCallback((change: (d: Draft) => Draft) => {
    setForm((f) => (f ? { ...f, draft: change(f.draft) } : f))
    setDirty(true)
  }, [])
  const setFormField = (patch: Partial<Form>) => {
    setForm((f) => (f ? { ...f, ...patch } : f))
    setDirty(true)
  }

  // The checker runs on the form as it is, saved or not, a moment after each change.
  const checked = useDebounced(form, 350)
  useEffect(() => {
    if (!checked || !checked.schoolId) return
    let current = true
    call('catalogue.check', { schoolId: checked.schoolId, ...(props.id ? { id: props.id } : {}), draft: wireDraft(checked) }).then(
      (r) => {
        if (!current) return
        setProblems(r.problems)
        setEligible(r.eligible)
        setIssues([])
      },
      (e: unknown) => {
        if (!current) return
        if (e instanceof RpcError && e.issues.length) {
          setIssues([...e.issues])
          setProblems(null)
        }
      },
    )
    return () => {
      current = false
    }
  }, [checked, props.id])

  const locks = useMemo(() => new Map((detail?.locks ?? []).map((l) => [l.field, l.message])), [detail])
  const lockOf = useCallback((field: string) => locks.get(field) ?? null, [locks])

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setNotice(null)
    try {
      await action()
    } catch (e) {
      if (e instanceof RpcError && e.issues.length) setIssues([...e.issues])
      setNotice({ kind: 'error', text: messageOf(e, t) })
    } finally {
      setBusy(false)
    }
  }

  /** Saves the form; returns the version now stored. */
  const save = async (): Promise<{ id: string; version: number }> => {
    if (!form) throw new Error('no form')
    const programRule = form.draft.kind === 'program' ? form.rule : null
    if (!props.id) {
      const created = await call('catalogue.create', { schoolId: form.schoolId, draft: wireDraft(form), programRule })
      setDirty(false)
      navigate('catalogue', 'article', created.id)
      return created
    }
    const saved = await call('catalogue.update', { id: props.id, version: detail!.version, draft: wireDraft(form), programRule, ...(exceptionReason.trim() ? { exceptionReason } : {}) })
    setExceptionReason('')
    await load(props.id)
    return saved
  }

  const onSave = () =>
    run(async () => {
      await save()
      setIssues([])
      setNotice({ kind: 'ok', text: t('cat.saved') })
    })

  const publish = (confirmWarnings: boolean) =>
    run(async () => {
      const { id, version } = dirty ? await save() : { id: props.id!, version: detail!.version }
      try {
        await call('catalogue.publish', { id, version, confirmWarnings, ...(exceptionReason.trim() ? { exceptionReason } : {}) })
      } catch (e) {
        if (e instanceof RpcError && e.code === 'WARNINGS_UNCONFIRMED') {
          warnDialog.current?.showModal()
          return
        }
        throw e
      }
      warnDialog.current?.close()
      await load(id)
      setNotice({ kind: 'ok', text: t('cat.published') })
    })

  const transition = (method: 'catalogue.close' | 'catalogue.archive', done: string) =>
    run(async () => {
      await call(method, { id: props.id!, version: detail!.version })
      await load(props.id!)
      setNotice({ kind: 'ok', text: done })
    })

  const cancel = () =>
    run(async () => {
      await call('catalogue.cancel', { id: props.id!, version: detail!.version, reason })
      cancelDialog.current?.close()
      // Families paid: cancelling is what refunds them, in one job the screen follows.
      if (detail!.facts.paidLines > 0) setJobId((await call('refunds.startBulk', { target: { kind: 'offering', offeringId: props.id! }, reason })).jobId)
      setReason('')
      await load(props.id!)
      setNotice({ kind: 'ok', text: t('cat.cancelled') })
    })

  /** A snow day: the date is called off, then its paid lines are refunded in one job the screen follows. */
  const cancelDate = () =>
    run(async () => {
      const target = dateToCancel!
      const r = await call('catalogue.cancelDate', { id: props.id!, version: detail!.version, programDateId: target.id, reason: dateReason })
      dateDialog.current?.close()
      if (r.paidLines > 0) {
        const job = await call('refunds.startBulk', { target: { kind: 'programDate', programDateId: target.id }, reason: dateReason })
        setJobId(job.jobId)
      }
      setDateReason('')
      await load(props.id!)
      setNotice({ kind: 'ok', text: t('money.cancelDateDone') })
    })

  const duplicate = (nextYear: boolean) =>
    run(async () => {
      const copy = await call('catalogue.duplicate', { id: props.id!, nextYear })
      navigate('catalogue', 'article', copy.id)
    })

  if (loadError)
    return (
      <div className="screen">
        <p className="notice notice-error" role="alert">
          {loadError}
        </p>
        <a href={subHref('catalogue')}>{t('cat.backToList')}</a>
      </div>
    )
  if (!form) return <div className="screen" aria-busy="true" />

  const d = form.draft
  const status = detail?.status ?? 'draft'
  const final = status === 'archived' || status === 'cancelled'
  const shown = problems && status !== 'draft' ? problems.filter((p) => !isHistory(p, d)) : problems
  const warnings = (shown ?? []).filter((p) => p.severity === 'warning')
  const kindLabel = t(`cat.kind.${d.kind}`)
  const section = { draft: d, update, issues, lockOf }

  return (
    <div className="screen screen-editor">
      <p className="breadcrumb">
        <a href={subHref('catalogue')}>{t('nav.catalogue')}</a> › {kindLabel}
      </p>
      <ScreenHeading>{d.titleFr.trim() || t('cat.untitled', { kind: kindLabel })}</ScreenHeading>
      <div className="editor-status">
        <span className={`tag status-${status}`}>{t(`cat.status.${status}`)}</span>
        {detail?.cancelReason ? <span className="muted">{t('cat.cancelReason', { reason: detail.cancelReason })}</span> : null}
        {detail?.outbox.some((o) => o.state === 'pending') ? <span className="tag tag-info">{t('cat.waitingToSend')}</span> : null}
        {dirty ? <span className="tag tag-warning">{t('cat.unsaved')}</span> : null}
      </div>
      <OutcomeLine outcome={notice} />
      {jobId ? <RefundJobPanel jobId={jobId} /> : null}
      <div className="editor-layout">
        <form
          className="editor-form"
          onSubmit={(e) => {
            e.preventDefault()
            void onSave()
          }}
        >
          <fieldset disabled={final || busy} className="editor-all">
            {detail && detail.locks.length ? <LocksNotice detail={detail} /> : null}
            <fieldset className="editor-section">
              <legend>{t('cat.general')}</legend>
              {props.id ? null : (
                <Field field="schoolId" label={t('cat.school')} issues={issues}>
                  {(p) => (
                    <select {...p} value={form.schoolId} onChange={(e) => setFormField({ schoolId: e.target.value })}>
                      {schools.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              <Field field="titleFr" label={t('cat.titleFr')} issues={issues}>
                {(p) => <input {...p} value={d.titleFr} onChange={(e) => update((x) => ({ ...x, titleFr: e.target.value }))} />}
              </Field>
              <Field field="titleEn" label={t('cat.titleEn')} issues={issues}>
                {(p) => <input {...p} lang="en" value={d.titleEn ?? ''} onChange={(e) => update((x) => ({ ...x, titleEn: e.target.value }))} />}
              </Field>
              <Field field="descriptionFr" label={t('cat.descriptionFr')} issues={issues}>
                {(p) => <textarea {...p} rows={3} value={d.descriptionFr} onChange={(e) => update((x) => ({ ...x, descriptionFr: e.target.value }))} />}
              </Field>
              <Field field="descriptionEn" label={t('cat.descriptionEn')} issues={issues}>
                {(p) => <textarea {...p} lang="en" rows={3} value={d.descriptionEn ?? ''} onChange={(e) => update((x) => ({ ...x, descriptionEn: e.target.value }))} />}
              </Field>
              <div className="row-fields">
                <Field field="opensAt" label={t('cat.opensAt')} issues={issues}>
                  {(p) => <input {...p} type="datetime-local" value={form.opens} onChange={(e) => setFormField({ opens: e.target.value })} />}
                </Field>
                <Field field="deadlineAt" label={t('cat.deadlineAt')} issues={issues} hint={t('cat.deadlineHint')}>
                  {(p) => <input {...p} type="datetime-local" value={form.deadline} onChange={(e) => setFormField({ deadline: e.target.value })} />}
                </Field>
                <Field field="reminderDaysBefore" label={t('cat.reminderDays')} issues={issues} hint={t('cat.reminderHint')}>
                  {(p) => (
                    <input {...p} type="number" min={0} value={Number.isFinite(d.reminderDaysBefore) ? d.reminderDaysBefore : ''} onChange={(e) => update((x) => ({ ...x, reminderDaysBefore: numberOrNull(e.target.value) ?? 0 }))} />
                  )}
                </Field>
              </div>
              {detail?.publishedAt ? (
                <Field field="exceptionReason" label={t('rules.exceptionReasonLabel')} issues={issues} hint={t('rules.exceptionHint')}>
                  {(p) => <input {...p} value={exceptionReason} maxLength={500} onChange={(e) => setExceptionReason(e.target.value)} />}
                </Field>
              ) : null}
              {detail ? <ReminderInfo detail={detail} /> : null}
            </fieldset>

            <TargetsSection {...section} schoolId={form.schoolId} eligible={eligible} />

            {d.kind === 'consent_form' ? null : (
              <fieldset className="editor-section">
                <legend>{t('cat.price')}</legend>
                {d.kind === 'product' || d.kind === 'program' ? <p className="hint">{t('cat.priceWithVariants')}</p> : null}
                <div className="row-fields">
                  <Field field="priceCents" label={d.kind === 'outing' ? t('cat.pricePerStudent') : t('cat.amount')} issues={issues} locked={lockOf('priceCents')}>
                    {(p) => <MoneyInput {...p} cents={d.priceCents} onChange={(c) => update((x) => ({ ...x, priceCents: c }))} />}
                  </Field>
                  {d.kind === 'fee' ? (
                    <>
                      <Field field="feePer" label={t('cat.feePer')} issues={issues} locked={lockOf('feePer')}>
                        {(p) => (
                          <select {...p} value={d.feePer ?? ''} onChange={(e) => update((x) => ({ ...x, feePer: (e.target.value || null) as Draft['feePer'] }))}>
                            <option value="student">{t('cat.feePer.student')}</option>
                            <option value="family">{t('cat.feePer.family')}</option>
                          </select>
                        )}
                      </Field>
                      <label className="check">
                        <input type="checkbox" checked={d.required} onChange={(e) => update((x) => ({ ...x, required: e.target.checked }))} data-field="required" />
                        {t('cat.required')}
                      </label>
                    </>
                  ) : null}
                  {d.kind === 'product' ? (
                    <>
                      <Field field="stockLimit" label={t('cat.stockLimit')} issues={issues} hint={t('cat.noLimitHint')}>
                        {(p) => <input {...p} type="number" min={1} value={d.stockLimit ?? ''} onChange={(e) => update((x) => ({ ...x, stockLimit: numberOrNull(e.target.value) }))} />}
                      </Field>
                      <Field field="perStudentLimit" label={t('cat.perStudentLimit')} issues={issues} hint={t('cat.noLimitHint')}>
                        {(p) => <input {...p} type="number" min={1} value={d.perStudentLimit ?? ''} onChange={(e) => update((x) => ({ ...x, perStudentLimit: numberOrNull(e.target.value) }))} />}
                      </Field>
                    </>
                  ) : null}
                </div>
              </fieldset>
            )}

            {d.kind === 'product' || d.kind === 'program' ? <VariantsSection {...section} /> : null}
            {d.kind === 'program' ? (
              <ProgramDatesSection
                {...section}
                schoolId={form.schoolId}
                rule={form.rule}
                setRule={(rule) => setFormField({ rule })}
                {...(status === 'published' || status === 'closed'
                  ? {
                      onCancelDate: (date: { id: string; date: string }) => {
                        setDateToCancel(date)
                        dateDialog.current?.showModal()
                      },
                    }
                  : {})}
              />
            ) : null}
            {d.kind === 'outing' ? <OutingSection {...section} /> : null}
            {d.kind === 'outing' || d.kind === 'consent_form' ? <QuestionsSection {...section} /> : null}
          </fieldset>

          <div className="editor-actions">
            {final ? null : (
              <button type="submit" className="button" disabled={busy}>
                {t('cat.save')}
              </button>
            )}
            {props.id && (status === 'draft' || status === 'closed') ? (
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void publish(false)}>
                {status === 'closed' ? t('cat.reopen') : t('cat.publish')}
              </button>
            ) : null}
            {status === 'published' ? (
              <button type="button" className="button" disabled={busy} onClick={() => void transition('catalogue.close', t('cat.closed'))}>
                {t('cat.close')}
              </button>
            ) : null}
            {status === 'closed' || status === 'cancelled' ? (
              <button type="button" className="button" disabled={busy} onClick={() => void transition('catalogue.archive', t('cat.archived'))}>
                {t('cat.archive')}
              </button>
            ) : null}
            {props.id && !final ? (
              <button type="button" className="button button-danger" disabled={busy} onClick={() => cancelDialog.current?.showModal()}>
                {t('cat.cancel')}
              </button>
            ) : null}
            {props.id ? (
              <>
                <button type="button" className="button button-quiet" disabled={busy} onClick={() => void duplicate(false)}>
                  {t('cat.duplicate')}
                </button>
                <button type="button" className="button button-quiet" disabled={busy} onClick={() => void duplicate(true)}>
                  {t('cat.duplicateNextYear')}
                </button>
              </>
            ) : null}
          </div>
        </form>
        <CheckerPanel problems={shown} issues={issues} />
      </div>

      <dialog ref={warnDialog} aria-labelledby={ids.warnTitle} className="dialog">
        <h2 id={ids.warnTitle}>{t('cat.warnings.title')}</h2>
        <p>{t('cat.warnings.intro')}</p>
        <ul>
          {warnings.map((w, i) => (
            <li key={i}>{w.message}</li>
          ))}
        </ul>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => warnDialog.current?.close()}>
            {t('cat.warnings.back')}
          </button>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void publish(true)}>
            {t('cat.warnings.publish')}
          </button>
        </div>
      </dialog>

      <dialog ref={cancelDialog} aria-labelledby={ids.cancelTitle} className="dialog">
        <h2 id={ids.cancelTitle}>{t('cat.cancelTitle')}</h2>
        <p>{(detail?.facts.paidLines ?? 0) > 0 ? t('cat.cancelPaid', { count: detail!.facts.paidLines }) : t('cat.cancelIntro')}</p>
        <div className="field">
          <label htmlFor={ids.reason}>{t('cat.cancelReasonLabel')}</label>
          <textarea id={ids.reason} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => cancelDialog.current?.close()}>
            {t('cat.cancelBack')}
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void cancel()}>
            {t('cat.cancelConfirm')}
          </button>
        </div>
      </dialog>
      <dialog ref={dateDialog} aria-labelledby={ids.dateTitle} className="dialog">
        <h2 id={ids.dateTitle}>{dateToCancel ? t('money.cancelDateTitle', { date: formatSchoolDate(dateToCancel.date, locale) }) : ''}</h2>
        <p>{t('money.cancelDateIntro')}</p>
        <div className="field">
          <label htmlFor={ids.dateReason}>{t('money.cancelDateReason')}</label>
          <input id={ids.dateReason} value={dateReason} onChange={(e) => setDateReason(e.target.value)} />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => dateDialog.current?.close()}>
            {t('money.cancelDateBack')}
          </button>
          <button type="button" className="button button-danger" disabled={busy || !dateReason.trim()} onClick={() => void cancelDate()}>
            {t('money.cancelDateConfirm')}
          </button>
        </div>
      </dialog>
      <p className="muted">{detail?.publishedAt ? t('cat.publishedAt', { at: formatInstant(detail.publishedAt, locale) }) : ''}</p>
    </div>
  )
}

const PAST_CODES = new Set(['check.programDatePast', 'check.programCutoffPast', 'check.programCutoffBeforeOpening'])

/** A saved date of a published item that has gone by is the program's history, not a problem to fix. */
function isHistory(p: Problem, d: Draft): boolean {
  const index = /^dates\.(\d+)/.exec(p.field)?.[1]
  return PAST_CODES.has(p.code) && index !== undefined && Boolean(d.dates[Number(index)]?.id)
}

/** Once families paid or answered, what may still change and what needs a new item. */
function LocksNotice({ detail }: { detail: Detail }) {
  const t = useT()
  const byMessage = [...new Map(detail.locks.map((l) => [l.message, l])).values()]
  return (
    <div className="notice notice-info locks">
      <p>{t('cat.locks.intro', { paid: detail.facts.paidLines, answers: detail.facts.answers })}</p>
      <ul>
        {byMessage.map((l) => (
          <li key={l.message}>
            {l.message} {isMessageKey(`change.remedy.${l.remedy}`) ? <span className="muted">{t(`change.remedy.${l.remedy}` as MessageKey)}</span> : null}
          </li>
        ))}
      </ul>
      <p className="hint">{t('cat.locks.stillFree')}</p>
    </div>
  )
}

function ReminderInfo({ detail }: { detail: Detail }) {
  const t = useT()
  const locale = useLocale()
  const { at, runs } = detail.reminder
  const program = detail.draft.kind === 'program'
  return (
    <div className="reminder-info" role="note">
      {program && detail.draft.reminderDaysBefore > 0 ? <p className="hint">{t('cat.reminder.monthly')}</p> : null}
      {runs.map((r) => {
        const text =
          r.outcome === 'missed' ? t('cat.reminder.missed', { at: formatInstant(r.sentAt, locale) }) : t('cat.reminder.sent', { at: formatInstant(r.sentAt, locale), count: r.familyCount })
        return <p key={`${r.period}|${r.sentAt}`}>{r.period ? t('cat.reminder.forMonth', { month: formatMonth(r.period, locale), text }) : text}</p>
      })}
      {at ? <p>{t('cat.reminder.planned', { at: formatInstant(at, locale) })}</p> : runs.length ? null : <p className="muted">{t('cat.reminder.none')}</p>}
    </div>
  )
}
