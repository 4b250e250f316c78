import { useEffect, useId, useState } from 'react'
import type { FieldIssue } from '../../../../shared/errors'
import type { ClassView } from '../../../../shared/contract/system'
import type { StudentRow } from '../../../../shared/contract/students'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { useDebounced } from '../../ui/useDebounced'
import { GRADES, type Draft } from './draft'
import { Field, MoneyInput, numberOrNull } from './fields'

export interface SectionProps {
  draft: Draft
  update(change: (d: Draft) => Draft): void
  issues: readonly FieldIssue[]
  /** Why a field can no longer change (families paid or answered), or null. */
  lockOf(field: string): string | null
}

type Variant = Draft['variants'][number]
type Question = Draft['questions'][number]
type Target = Draft['targets'][number]

export function TargetsSection({ draft, update, lockOf, schoolId, eligible }: SectionProps & { schoolId: string; eligible: number | null }) {
  const t = useT()
  const [classes, setClasses] = useState<ClassView[]>([])
  const [named, setNamed] = useState<Record<string, string>>({})
  const locked = lockOf('targets')
  useEffect(() => {
    if (!schoolId) return
    call('classes.list', { schoolId }).then(setClasses, () => setClasses([]))
  }, [schoolId])
  const has = (kind: Target['kind'], value: string) => draft.targets.some((x) => x.kind === kind && x.value === value)
  const toggle = (kind: Target['kind'], value: string, on: boolean) =>
    update((d) => ({ ...d, targets: on ? [...d.targets, { kind, value }] : d.targets.filter((x) => !(x.kind === kind && x.value === value)) }))
  const students = draft.targets.filter((x) => x.kind === 'student')
  const headingId = useId()
  return (
    <fieldset className="editor-section" data-field="targets" aria-describedby={headingId + '-count'}>
      <legend id={headingId}>{t('cat.targets')}</legend>
      {locked ? <p className="hint hint-lock">{locked}</p> : null}
      <label className="check">
        <input type="checkbox" disabled={Boolean(locked)} checked={has('school', schoolId)} onChange={(e) => toggle('school', schoolId, e.target.checked)} />
        {t('cat.targets.school')}
      </label>
      <div className="check-group" role="group" aria-label={t('cat.targets.grades')}>
        <span className="check-group-label">{t('cat.targets.grades')}</span>
        {GRADES.map((g) => (
          <label key={g} className="check check-small">
            <input type="checkbox" disabled={Boolean(locked)} checked={has('grade', g)} onChange={(e) => toggle('grade', g, e.target.checked)} />
            {t('grade.label', { grade: g })}
          </label>
        ))}
      </div>
      {classes.length ? (
        <div className="check-group" role="group" aria-label={t('cat.targets.classes')}>
          <span className="check-group-label">{t('cat.targets.classes')}</span>
          {classes.map((c) => (
            <label key={c.id} className="check check-small">
              <input type="checkbox" disabled={Boolean(locked)} checked={has('class', c.id)} onChange={(e) => toggle('class', c.id, e.target.checked)} />
              {c.name}
            </label>
          ))}
        </div>
      ) : null}
      <StudentPicker
        schoolId={schoolId}
        disabled={Boolean(locked)}
        onPick={(s) => {
          setNamed((n) => ({ ...n, [s.id]: `${s.firstName} ${s.lastName}` }))
          if (!has('student', s.id)) toggle('student', s.id, true)
        }}
      />
      {students.length ? (
        <ul className="chips" aria-label={t('cat.targets.students')}>
          {students.map((s) => (
            <li key={s.value} className="chip">
              {named[s.value] ?? t('cat.targets.studentN')}
              <button type="button" className="button-link" disabled={Boolean(locked)} onClick={() => toggle('student', s.value, false)} aria-label={t('cat.remove', { what: named[s.value] ?? '' })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p id={headingId + '-count'} className="eligible-count" role="status">
        {eligible === null ? '' : t('cat.eligible', { count: eligible })}
      </p>
    </fieldset>
  )
}

function StudentPicker({ schoolId, disabled, onPick }: { schoolId: string; disabled: boolean; onPick(s: StudentRow): void }) {
  const t = useT()
  const id = useId()
  const [query, setQuery] = useState('')
  const debounced = useDebounced(query.trim(), 200)
  const [rows, setRows] = useState<StudentRow[]>([])
  useEffect(() => {
    if (debounced.length < 2 || !schoolId) return setRows([])
    let current = true
    call('students.search', { query: debounced, schoolId, limit: 8 }).then(
      (r) => current && setRows(r.rows),
      () => current && setRows([]),
    )
    return () => {
      current = false
    }
  }, [debounced, schoolId])
  return (
    <div className="field student-picker">
      <label htmlFor={id}>{t('cat.targets.addStudent')}</label>
      <input id={id} type="search" disabled={disabled} value={query} onChange={(e) => setQuery(e.target.value)} />
      {rows.length ? (
        <ul className="picker-results">
          {rows.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="button-link"
                onClick={() => {
                  onPick(s)
                  setQuery('')
                }}
              >
                {s.firstName} {s.lastName} — {s.className ?? s.grade}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

export function VariantsSection({ draft, update, issues, lockOf }: SectionProps) {
  const t = useT()
  const set = (i: number, patch: Partial<Variant>) => update((d) => ({ ...d, variants: d.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) }))
  return (
    <fieldset className="editor-section" data-field="variants">
      <legend>{t('cat.variants')}</legend>
      <p className="hint">{t('cat.variants.hint')}</p>
      {draft.variants.map((v, i) => (
        <div key={v.id ?? `new-${i}`} className="row-fields">
          <Field field={`variants.${i}.labelFr`} label={t('cat.variant.labelFr', { n: i + 1 })} issues={issues}>
            {(p) => <input {...p} value={v.labelFr} onChange={(e) => set(i, { labelFr: e.target.value })} />}
          </Field>
          <Field field={`variants.${i}.labelEn`} label={t('cat.variant.labelEn', { n: i + 1 })} issues={issues}>
            {(p) => <input {...p} lang="en" value={v.labelEn ?? ''} onChange={(e) => set(i, { labelEn: e.target.value })} />}
          </Field>
          <Field field={`variants.${i}.priceCents`} label={t('cat.variant.price', { n: i + 1 })} issues={issues} locked={lockOf(`variants.${i}.priceCents`)}>
            {(p) => <MoneyInput {...p} cents={v.priceCents} onChange={(c) => set(i, { priceCents: c })} />}
          </Field>
          {v.id ? null : (
            <button type="button" className="button button-quiet" onClick={() => update((d) => ({ ...d, variants: d.variants.filter((_, j) => j !== i) }))}>
              {t('cat.remove', { what: v.labelFr || t('cat.variant.n', { n: i + 1 }) })}
            </button>
          )}
        </div>
      ))}
      <button type="button" className="button" onClick={() => update((d) => ({ ...d, variants: [...d.variants, { labelFr: '', labelEn: null, priceCents: Number.NaN }] }))}>
        {t('cat.variants.add')}
      </button>
    </fieldset>
  )
}

export function OutingSection({ draft, update, issues, lockOf }: SectionProps) {
  const t = useT()
  const o = draft.outing
  if (!o) return null
  const set = (patch: Partial<NonNullable<Draft['outing']>>) => update((d) => ({ ...d, outing: { ...d.outing!, ...patch } }))
  const num = (key: 'busCount' | 'seatsPerBus' | 'staffCount', label: string) => (
    <Field field={`outing.${key}`} label={label} issues={issues} locked={lockOf(`outing.${key}`)}>
      {(p) => <input {...p} type="number" min={0} value={Number.isFinite(o[key]) ? o[key] : ''} onChange={(e) => set({ [key]: numberOrNull(e.target.value) ?? 0 })} />}
    </Field>
  )
  return (
    <fieldset className="editor-section" data-field="outing">
      <legend>{t('cat.outing')}</legend>
      <div className="row-fields">
        <Field field="outing.startsOn" label={t('cat.outing.startsOn')} issues={issues} locked={lockOf('outing.startsOn')}>
          {(p) => <input {...p} type="date" value={o.startsOn} onChange={(e) => set({ startsOn: e.target.value, endsOn: o.endsOn < e.target.value ? e.target.value : o.endsOn })} />}
        </Field>
        <Field field="outing.endsOn" label={t('cat.outing.endsOn')} issues={issues} locked={lockOf('outing.endsOn')}>
          {(p) => <input {...p} type="date" value={o.endsOn} onChange={(e) => set({ endsOn: e.target.value })} />}
        </Field>
        <Field field="outing.startTime" label={t('cat.outing.startTime')} issues={issues}>
          {(p) => <input {...p} type="time" value={o.startTime ?? ''} onChange={(e) => set({ startTime: e.target.value || null })} />}
        </Field>
        <Field field="outing.endTime" label={t('cat.outing.endTime')} issues={issues}>
          {(p) => <input {...p} type="time" value={o.endTime ?? ''} onChange={(e) => set({ endTime: e.target.value || null })} />}
        </Field>
      </div>
      <Field field="outing.destination" label={t('cat.outing.destination')} issues={issues} locked={lockOf('outing.destination')}>
        {(p) => <input {...p} value={o.destination} onChange={(e) => set({ destination: e.target.value })} />}
      </Field>
      <div className="row-fields">
        {num('busCount', t('cat.outing.busCount'))}
        {num('seatsPerBus', t('cat.outing.seatsPerBus'))}
        {num('staffCount', t('cat.outing.staffCount'))}
        <Field field="outing.chaperoneRatio" label={t('cat.outing.ratio')} issues={issues} hint={t('cat.outing.ratioHint')}>
          {(p) => <input {...p} type="number" min={1} value={o.chaperoneRatio ?? ''} onChange={(e) => set({ chaperoneRatio: numberOrNull(e.target.value) })} />}
        </Field>
        <Field field="outing.venueLimit" label={t('cat.outing.venueLimit')} issues={issues} hint={t('cat.outing.venueHint')}>
          {(p) => <input {...p} type="number" min={1} value={o.venueLimit ?? ''} onChange={(e) => set({ venueLimit: numberOrNull(e.target.value) })} />}
        </Field>
      </div>
    </fieldset>
  )
}

export function QuestionsSection({ draft, update, issues, lockOf }: SectionProps) {
  const t = useT()
  const locked = lockOf('questions')
  const set = (i: number, patch: Partial<Question>) => update((d) => ({ ...d, questions: d.questions.map((q, j) => (j === i ? { ...q, ...patch } : q)) }))
  return (
    <fieldset className="editor-section" data-field="questions">
      <legend>{t('cat.questions')}</legend>
      {locked ? <p className="hint hint-lock">{locked}</p> : null}
      {draft.questions.map((q, i) => (
        <div key={q.id ?? `new-${i}`} className="question" data-field={`questions.${i}`}>
          <div className="row-fields">
            <Field field={`questions.${i}.kind`} label={t('cat.question.kind', { n: i + 1 })} issues={issues} locked={locked}>
              {(p) => (
                <select {...p} value={q.kind} onChange={(e) => set(i, { kind: e.target.value as Question['kind'], choices: e.target.value === 'choice' ? q.choices : [] })}>
                  <option value="yes_no">{t('cat.question.yes_no')}</option>
                  <option value="text">{t('cat.question.text')}</option>
                  <option value="choice">{t('cat.question.choice')}</option>
                </select>
              )}
            </Field>
            <label className="check">
              <input type="checkbox" disabled={Boolean(locked)} checked={q.required} onChange={(e) => set(i, { required: e.target.checked })} />
              {t('cat.question.required')}
            </label>
            {locked ? null : (
              <button type="button" className="button button-quiet" onClick={() => update((d) => ({ ...d, questions: d.questions.filter((_, j) => j !== i) }))}>
                {t('cat.remove', { what: t('cat.question.n', { n: i + 1 }) })}
              </button>
            )}
          </div>
          <Field field={`questions.${i}.labelFr`} label={t('cat.question.labelFr', { n: i + 1 })} issues={issues} locked={locked}>
            {(p) => <input {...p} value={q.labelFr} onChange={(e) => set(i, { labelFr: e.target.value })} />}
          </Field>
          <Field field={`questions.${i}.labelEn`} label={t('cat.question.labelEn', { n: i + 1 })} issues={issues}>
            {(p) => <input {...p} lang="en" value={q.labelEn ?? ''} onChange={(e) => set(i, { labelEn: e.target.value })} />}
          </Field>
          {q.kind === 'choice' ? (
            <div className="choices" data-field={`questions.${i}.choices`}>
              {q.choices.map((c, k) => (
                <div key={k} className="row-fields">
                  <Field field={`questions.${i}.choices.${k}.labelFr`} label={t('cat.choice.labelFr', { n: k + 1 })} issues={issues} locked={locked}>
                    {(p) => <input {...p} value={c.labelFr} onChange={(e) => set(i, { choices: q.choices.map((x, m) => (m === k ? { ...x, labelFr: e.target.value } : x)) })} />}
                  </Field>
                  <Field field={`questions.${i}.choices.${k}.labelEn`} label={t('cat.choice.labelEn', { n: k + 1 })} issues={issues}>
                    {(p) => <input {...p} lang="en" value={c.labelEn ?? ''} onChange={(e) => set(i, { choices: q.choices.map((x, m) => (m === k ? { ...x, labelEn: e.target.value } : x)) })} />}
                  </Field>
                </div>
              ))}
              {locked ? null : (
                <button type="button" className="button button-quiet" onClick={() => set(i, { choices: [...q.choices, { labelFr: '', labelEn: null }] })}>
                  {t('cat.choice.add')}
                </button>
              )}
            </div>
          ) : null}
        </div>
      ))}
      {locked ? null : (
        <button type="button" className="button" onClick={() => update((d) => ({ ...d, questions: [...d.questions, { kind: 'yes_no', labelFr: '', labelEn: null, choices: [], required: true }] }))}>
          {t('cat.questions.add')}
        </button>
      )}
    </fieldset>
  )
}
