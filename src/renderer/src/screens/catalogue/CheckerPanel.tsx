import { useId } from 'react'
import type { FieldIssue } from '../../../../shared/errors'
import { useT } from '../../i18n/I18n'
import { focusField, type Problem } from './draft'

/**
 * The pre-publish checker beside the form: errors block publishing, warnings ask for a
 * confirmation, and each one takes the secretary to its field. When the form itself cannot be
 * read (a price that is not an amount), the core's field messages come first.
 */
export function CheckerPanel({ problems, issues }: { problems: Problem[] | null; issues: readonly FieldIssue[] }) {
  const t = useT()
  const headingId = useId()
  const errors = problems?.filter((p) => p.severity === 'error') ?? []
  const warnings = problems?.filter((p) => p.severity === 'warning') ?? []
  const summary = issues.length
    ? t('cat.check.invalid', { count: issues.length })
    : problems === null
      ? t('cat.check.pending')
      : errors.length === 0 && warnings.length === 0
        ? t('cat.check.ready')
        : t('cat.check.summary', { errors: errors.length, warnings: warnings.length })
  return (
    <aside className="checker" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('cat.check.title')}</h2>
      <p role="status" className={errors.length || issues.length ? 'checker-summary checker-blocked' : 'checker-summary'}>
        {summary}
      </p>
      <ul className="checker-list">
        {issues.map((i, n) => (
          <Item key={`i${n}`} severity="error" message={i.message} field={i.path} />
        ))}
        {errors.map((p, n) => (
          <Item key={`e${n}`} severity="error" message={p.message} field={p.field} />
        ))}
        {warnings.map((p, n) => (
          <Item key={`w${n}`} severity="warning" message={p.message} field={p.field} />
        ))}
      </ul>
    </aside>
  )
}

function Item({ severity, message, field }: { severity: 'error' | 'warning'; message: string; field: string }) {
  const t = useT()
  return (
    <li className={`checker-item checker-${severity}`}>
      <span className={`tag ${severity === 'error' ? 'tag-error' : 'tag-warning'}`}>{t(severity === 'error' ? 'cat.check.error' : 'cat.check.warning')}</span>
      <button type="button" className="button-link" onClick={() => focusField(field)}>
        {message}
      </button>
    </li>
  )
}
