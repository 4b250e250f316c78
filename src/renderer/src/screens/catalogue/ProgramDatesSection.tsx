import { useId, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import { formatInstant, formatSchoolDate } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf } from '../../ui/errors'
import type { Draft, ProgramRule } from './draft'
import { Field, numberOrNull } from './fields'
import type { SectionProps } from './sections'

type Skipped = Output<'catalogue.proposeDates'>['skipped']
const WEEKDAYS = [1, 2, 3, 4, 5] as const

/**
 * A program's dates come from a rule (every Friday between two dates, cut off two school days
 * before at noon) applied to the school calendar by the core, plus or minus single dates. The
 * rule is kept with the item, so next year's copy and a later change start from it.
 */
export function ProgramDatesSection({
  draft,
  update,
  issues,
  lockOf,
  schoolId,
  rule,
  setRule,
  onCancelDate,
}: SectionProps & { schoolId: string; rule: ProgramRule; setRule(rule: ProgramRule): void; onCancelDate?: (date: { id: string; date: string }) => void }) {
  const t = useT()
  const locale = useLocale()
  const [skipped, setSkipped] = useState<Skipped | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [extra, setExtra] = useState('')
  const statusId = useId()

  const propose = async (next: ProgramRule) => {
    setRule(next)
    setBusy(true)
    try {
      const r = await call('catalogue.proposeDates', { schoolId, request: next })
      setError('')
      setSkipped(r.skipped)
      update((d) => mergeDates(d, r.dates))
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  const setRuleField = (patch: Partial<ProgramRule>) => setRule({ ...rule, ...patch })
  const weekdays = rule.weekdays
  return (
    <fieldset className="editor-section" data-field="dates">
      <legend>{t('cat.dates')}</legend>
      <div className="row-fields">
        <Field field="rule.from" label={t('cat.rule.from')} issues={issues}>
          {(p) => <input {...p} type="date" value={rule.from} onChange={(e) => setRuleField({ from: e.target.value })} />}
        </Field>
        <Field field="rule.to" label={t('cat.rule.to')} issues={issues}>
          {(p) => <input {...p} type="date" value={rule.to} onChange={(e) => setRuleField({ to: e.target.value })} />}
        </Field>
        <div className="check-group" role="group" aria-label={t('cat.rule.weekdays')}>
          <span className="check-group-label">{t('cat.rule.weekdays')}</span>
          {WEEKDAYS.map((w) => (
            <label key={w} className="check check-small">
              <input
                type="checkbox"
                checked={weekdays.includes(w)}
                onChange={(e) => setRuleField({ weekdays: e.target.checked ? [...weekdays, w].sort() : weekdays.filter((x) => x !== w) })}
              />
              {t('cat.weekday', { day: w })}
            </label>
          ))}
        </div>
      </div>
      <div className="row-fields">
        <Field field="rule.cutoff.schoolDaysBefore" label={t('cat.rule.cutoffDays')} issues={issues}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              value={rule.cutoff.schoolDaysBefore}
              onChange={(e) => setRuleField({ cutoff: { ...rule.cutoff, schoolDaysBefore: numberOrNull(e.target.value) ?? 0 } })}
            />
          )}
        </Field>
        <Field field="rule.cutoff.time" label={t('cat.rule.cutoffTime')} issues={issues}>
          {(p) => <input {...p} type="time" value={rule.cutoff.time} onChange={(e) => setRuleField({ cutoff: { ...rule.cutoff, time: e.target.value } })} />}
        </Field>
        <Field field="rule.supplier" label={t('cat.rule.supplier')} issues={issues}>
          {(p) => <input {...p} value={rule.supplier ?? ''} onChange={(e) => setRuleField({ supplier: e.target.value || null })} />}
        </Field>
      </div>
      <button type="button" className="button" disabled={busy || !schoolId} onClick={() => void propose(rule)}>
        {t('cat.rule.propose')}
      </button>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <p id={statusId} role="status" className="eligible-count">
        {draft.dates.length ? t('cat.dates.count', { count: draft.dates.filter((d) => d.status !== 'cancelled').length }) : t('cat.dates.none')}
      </p>
      {skipped && skipped.length ? (
        <details className="skipped">
          <summary>{t('cat.dates.skipped', { count: skipped.length })}</summary>
          <ul>
            {skipped.map((s) => (
              <li key={s.date}>{t(s.label ? 'cat.dates.skippedOneLabel' : 'cat.dates.skippedOne', { date: formatSchoolDate(s.date, locale), reason: t(`cat.skip.${s.reason as 'weekend'}`), label: s.label ?? '' })}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {draft.dates.length ? (
        <div className="table-scroll dates-scroll">
          <table className="data-table" aria-describedby={statusId}>
            <thead>
              <tr>
                <th scope="col">{t('cat.dates.date')}</th>
                <th scope="col">{t('cat.dates.cutoff')}</th>
                <th scope="col">{t('cat.dates.supplier')}</th>
                <th scope="col">
                  <span className="sr-only">{t('cat.dates.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.dates.map((d, i) => {
                const locked = lockOf(`dates.${i}.date`)
                return (
                  <tr key={d.date} data-field={`dates.${i}`} className={d.status === 'cancelled' ? 'row-cancelled' : undefined}>
                    <td>
                      {formatSchoolDate(d.date, locale)}
                      {d.status === 'cancelled' ? <span className="tag tag-muted">{t('cat.dates.cancelled')}</span> : null}
                    </td>
                    <td>{d.cutoffAt ? formatInstant(d.cutoffAt, locale) : '—'}</td>
                    <td>
                      <input
                        aria-label={t('cat.dates.supplierOf', { date: formatSchoolDate(d.date, locale) })}
                        data-field={`dates.${i}.supplier`}
                        value={d.supplier ?? ''}
                        onChange={(e) => update((x) => ({ ...x, dates: x.dates.map((y, j) => (j === i ? { ...y, supplier: e.target.value || null } : y)) }))}
                      />
                    </td>
                    <td>
                      {onCancelDate && d.id && d.status !== 'cancelled' ? (
                        <button type="button" className="button button-quiet" onClick={() => onCancelDate({ id: d.id!, date: d.date })} aria-label={t('money.cancelDateOf', { date: formatSchoolDate(d.date, locale) })}>
                          {t('money.cancelDate')}
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="button button-quiet"
                        disabled={Boolean(locked) || busy}
                        title={locked ?? undefined}
                        onClick={() => void propose({ ...rule, remove: [...(rule.remove ?? []).filter((x) => x !== d.date), d.date], add: (rule.add ?? []).filter((x) => x !== d.date) })}
                      >
                        {t('cat.remove', { what: formatSchoolDate(d.date, locale, 'short') })}
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="row-fields">
        <Field field="rule.add" label={t('cat.dates.addOne')} issues={issues}>
          {(p) => <input {...p} type="date" value={extra} onChange={(e) => setExtra(e.target.value)} />}
        </Field>
        <button
          type="button"
          className="button"
          disabled={!extra || busy}
          onClick={() => {
            void propose({ ...rule, add: [...(rule.add ?? []).filter((x) => x !== extra), extra], remove: (rule.remove ?? []).filter((x) => x !== extra) })
            setExtra('')
          }}
        >
          {t('cat.dates.add')}
        </button>
      </div>
    </fieldset>
  )
}

/** The proposed dates, keeping the id, supplier and status of dates the item already has. */
function mergeDates(d: Draft, proposed: Output<'catalogue.proposeDates'>['dates']): Draft {
  const known = new Map(d.dates.map((x) => [x.date, x]))
  const dates = proposed.map((p) => {
    const old = known.get(p.date)
    return old ? { ...old, cutoffAt: old.status === 'cancelled' ? old.cutoffAt : p.cutoffAt } : { date: p.date, cutoffAt: p.cutoffAt, supplier: p.supplier }
  })
  // A date families paid for and the rule no longer gives is left out here: the core refuses
  // the save and says which date (change.paidDateRemoved), rather than the form hiding it.
  return { ...d, dates }
}
