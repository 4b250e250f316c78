import { useCallback, useEffect, useId, useState } from 'react'
import type { ConflictSide, SyncConflict, SyncRejection, SyncState } from '../../../../shared/contract/sync'
import { formatInstant, formatMoney } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT, type Translate } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { RosterImport } from './RosterImport'

/** While a run goes on, the state is read again this often; otherwise when the screen opens. */
const RUNNING_POLL_MS = 1_000

const typeKey = (type: string) => type.replace('.', '_')

/** Where sync stands, enrolment with the board, and what staff must settle: conflicts, refusals. */
export function SyncScreen() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const [state, setState] = useState<SyncState | null>(null)
  const [conflicts, setConflicts] = useState<SyncConflict[]>([])
  const [rejections, setRejections] = useState<SyncRejection[]>([])
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')

  const load = useCallback(() => {
    Promise.all([call('sync.state', {}), call('sync.conflicts', {}), call('sync.rejections', {})]).then(
      ([s, c, r]) => (setState(s), setConflicts(c), setRejections(r), setError('')),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [t])
  useEffect(load, [load, epoch])
  useEffect(() => {
    if (!state?.running) return
    const timer = window.setTimeout(load, RUNNING_POLL_MS)
    return () => window.clearTimeout(timer)
  }, [state, load])

  const act = (run: () => Promise<SyncState>, done: string) =>
    run().then(
      (s) => (setState(s), setNotice(done), setError(''), load()),
      (e: unknown) => setError(fieldMessagesOf(e, t)),
    )

  return (
    <div className="screen screen-sync">
      <ScreenHeading>{t('nav.sync')}</ScreenHeading>
      <p className="muted">{t('syncUi.intro')}</p>
      {notice ? <p role="status">{notice}</p> : null}
      <FormError message={error} />
      {state ? (
        <>
          <StateSection state={state} onSyncNow={() => void act(() => call('sync.now', {}), t('syncUi.started'))} />
          <EnrolSection state={state} onEnrol={(input) => act(() => call('sync.enroll', input), t('syncUi.enrolled'))} />
          <ConflictsSection conflicts={conflicts} locale={locale} onResolve={(mutationId, choice) => void act(() => call('sync.resolveConflict', { mutationId, choice }), t(choice === 'ours' ? 'syncUi.resolvedOurs' : 'syncUi.resolvedTheirs'))} />
          <RejectionsSection rejections={rejections} onAcknowledge={(mutationId) => void act(() => call('sync.acknowledgeRejection', { mutationId }), t('syncUi.acknowledged'))} />
          <RosterImport />
        </>
      ) : (
        <p role="status">{t('common.loading')}</p>
      )}
    </div>
  )
}

function errorText(t: Translate, e: { code: string } | null): string {
  return e ? t('syncUi.error', { code: e.code }) : ''
}

function StateSection({ state, onSyncNow }: { state: SyncState; onSyncNow(): void }) {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  const progress = state.progress
  const progressSchool = progress ? (state.schools.find((s) => s.id === progress.schoolId)?.name ?? '') : ''
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{t('syncUi.stateHeading')}</h2>
      <p>{t(`syncUi.enrolment.${state.enrolment}`, { url: state.centralUrl ?? '', device: state.deviceName ?? '' })}</p>
      <p role="status" aria-live="polite">
        {state.running ? t('syncUi.running') : state.lastSuccessAt ? t('syncUi.lastSuccess', { at: formatInstant(state.lastSuccessAt, locale) }) : t('syncUi.never')}
      </p>
      {progress && progress.headSeq > progress.startSeq ? (
        <>
          <progress max={progress.headSeq - progress.startSeq} value={progress.lastSeq - progress.startSeq} aria-labelledby={id} />
          <p>{t('syncUi.progress', { school: progressSchool, done: progress.lastSeq - progress.startSeq, total: progress.headSeq - progress.startSeq })}</p>
        </>
      ) : null}
      <p>
        {t('syncUi.waiting', { count: state.waiting })} · {t('syncUi.blockedCounts', { conflicts: state.conflicts, rejections: state.rejections })}
      </p>
      {state.lastError ? <p className="form-error">{t('syncUi.lastError', { error: errorText(t, state.lastError) })}</p> : null}
      {state.schools.length ? (
        <table className="data-table">
          <caption>{t('syncUi.schoolsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('syncUi.col.school')}</th>
              <th scope="col">{t('syncUi.col.lastPull')}</th>
              <th scope="col">{t('syncUi.col.lastPush')}</th>
              <th scope="col" className="numeric">
                {t('syncUi.col.position')}
              </th>
              <th scope="col">{t('syncUi.col.error')}</th>
            </tr>
          </thead>
          <tbody>
            {state.schools.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{s.lastPullAt ? formatInstant(s.lastPullAt, locale) : '—'}</td>
                <td>{s.lastPushAt ? formatInstant(s.lastPushAt, locale) : '—'}</td>
                <td className="numeric">{s.headSeq === null ? s.lastSeq : `${s.lastSeq} / ${s.headSeq}`}</td>
                <td>{errorText(t, s.lastError)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {state.enrolment === 'enrolled' ? (
        <button type="button" className="button button-primary" disabled={state.running} onClick={onSyncNow}>
          {t('syncUi.syncNow')}
        </button>
      ) : null}
    </section>
  )
}

function EnrolSection({ state, onEnrol }: { state: SyncState; onEnrol(input: { centralUrl: string; code: string; deviceName: string }): Promise<unknown> }) {
  const t = useT()
  const { session } = useSession()
  const ids = { heading: useId(), url: useId(), code: useId(), device: useId() }
  const [form, setForm] = useState({ centralUrl: state.centralUrl ?? '', code: '', deviceName: state.deviceName ?? '' })
  const mayEnrol = session.staff.role !== 'secretary'
  if (state.enrolment === 'enrolled' && !mayEnrol) return null
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('syncUi.enrolHeading')}</h2>
      <p className="hint">{t('syncUi.enrolIntro')}</p>
      {!state.canSeal ? (
        <p className="form-error">{t('syncUi.cannotSeal')}</p>
      ) : !mayEnrol ? (
        <p className="hint">{t('syncUi.enrolOnlyPrincipal')}</p>
      ) : (
        <form
          className="row-fields"
          onSubmit={(e) => {
            e.preventDefault()
            void onEnrol(form).then(() => setForm((f) => ({ ...f, code: '' })))
          }}
        >
          <div className="field">
            <label htmlFor={ids.url}>{t('syncUi.url')}</label>
            <input id={ids.url} type="url" value={form.centralUrl} onChange={(e) => setForm({ ...form, centralUrl: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.code}>{t('syncUi.code')}</label>
            <input id={ids.code} autoComplete="off" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.device}>{t('syncUi.device')}</label>
            <input id={ids.device} value={form.deviceName} onChange={(e) => setForm({ ...form, deviceName: e.target.value })} />
          </div>
          <button type="submit" className="button">
            {t('syncUi.enrol')}
          </button>
        </form>
      )}
    </section>
  )
}

const FIELDS: Array<[keyof ConflictSide, 'syncUi.f.version' | 'syncUi.f.status' | 'syncUi.f.titleFr' | 'syncUi.f.titleEn' | 'syncUi.f.descriptionFr' | 'syncUi.f.price' | 'syncUi.f.opensAt' | 'syncUi.f.deadlineAt' | 'syncUi.f.stockLimit']> = [
  ['version', 'syncUi.f.version'],
  ['status', 'syncUi.f.status'],
  ['titleFr', 'syncUi.f.titleFr'],
  ['titleEn', 'syncUi.f.titleEn'],
  ['descriptionFr', 'syncUi.f.descriptionFr'],
  ['priceCents', 'syncUi.f.price'],
  ['opensAt', 'syncUi.f.opensAt'],
  ['deadlineAt', 'syncUi.f.deadlineAt'],
  ['stockLimit', 'syncUi.f.stockLimit'],
]

function show(side: ConflictSide, key: keyof ConflictSide, locale: 'fr-CA' | 'en-CA'): string {
  const v = side[key]
  if (v === null) return '—'
  if (key === 'priceCents') return formatMoney(v as number, locale)
  if (key === 'opensAt' || key === 'deadlineAt') return formatInstant(v as string, locale)
  return String(v)
}

function ConflictsSection({ conflicts, locale, onResolve }: { conflicts: SyncConflict[]; locale: 'fr-CA' | 'en-CA'; onResolve(mutationId: string, choice: 'ours' | 'theirs'): void }) {
  const t = useT()
  const id = useId()
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{t('syncUi.conflictsHeading')}</h2>
      {conflicts.length === 0 ? <p className="muted">{t('syncUi.conflictsNone')}</p> : null}
      {conflicts.map((c) => (
        <div key={c.mutationId} className="conflict">
          <p>{t('syncUi.conflictIntro', { title: c.ours.titleFr, school: c.schoolName })}</p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('syncUi.field')}</th>
                <th scope="col">{t('syncUi.ours')}</th>
                <th scope="col">{t('syncUi.theirs')}</th>
              </tr>
            </thead>
            <tbody>
              {FIELDS.map(([key, label]) => {
                const ours = show(c.ours, key, locale)
                const theirs = show(c.theirs, key, locale)
                return (
                  <tr key={key} className={ours !== theirs ? 'differs' : undefined}>
                    <th scope="row">{t(label)}</th>
                    <td>{ours}</td>
                    <td>{theirs}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => onResolve(c.mutationId, 'ours')}>
              {t('syncUi.keepOurs')}
            </button>
            <button type="button" className="button" onClick={() => onResolve(c.mutationId, 'theirs')}>
              {t('syncUi.takeTheirs')}
            </button>
          </div>
        </div>
      ))}
    </section>
  )
}

function RejectionsSection({ rejections, onAcknowledge }: { rejections: SyncRejection[]; onAcknowledge(mutationId: string): void }) {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{t('syncUi.rejectionsHeading')}</h2>
      {rejections.length === 0 ? (
        <p className="muted">{t('syncUi.rejectionsNone')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('syncUi.col.change')}</th>
              <th scope="col">{t('syncUi.col.school')}</th>
              <th scope="col">{t('syncUi.col.when')}</th>
              <th scope="col">{t('syncUi.col.reason')}</th>
              <th scope="col">{t('syncUi.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {rejections.map((r) => {
              const change = t('syncUi.type', { type: typeKey(r.type) })
              const when = formatInstant(r.createdAt, locale)
              return (
                <tr key={r.mutationId}>
                  <td>{change}</td>
                  <td>{r.schoolName}</td>
                  <td>{when}</td>
                  <td>{t('syncUi.rejection', { code: r.code })}</td>
                  <td>
                    <button type="button" className="button button-quiet" aria-label={t('syncUi.acknowledgeLabel', { change, when })} onClick={() => onAcknowledge(r.mutationId)}>
                      {t('syncUi.acknowledge')}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
