import { useEffect, useId, useState, type ReactNode } from 'react'
import type { FieldIssue } from '../../../../shared/errors'
import { useLocale } from '../../i18n/I18n'
import { amountText, centsOf, issuesAt } from './draft'

export interface FieldProps {
  /** The draft path of the value ('titleFr', 'variants.0.priceCents'): checker problems point at it. */
  field: string
  label: string
  issues: readonly FieldIssue[]
  hint?: string
  locked?: string | null
  children: (props: { id: string; 'data-field': string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; disabled: boolean }) => ReactNode
  className?: string
}

/** A labelled input with its hint, what locks it, and the core's messages about it. */
export function Field({ field, label, issues, hint, locked, children, className }: FieldProps) {
  const id = useId()
  const mine = issuesAt(issues, field)
  const describedBy = [hint ? `${id}-hint` : '', locked ? `${id}-lock` : '', mine.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'data-field': field, 'aria-invalid': mine.length > 0, 'aria-describedby': describedBy, disabled: Boolean(locked) })}
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {locked ? (
        <span id={`${id}-lock`} className="hint hint-lock">
          {locked}
        </span>
      ) : null}
      {mine.length ? (
        <span id={`${id}-err`} className="form-error">
          {mine.map((i) => i.message).join(' ')}
        </span>
      ) : null}
    </div>
  )
}

/**
 * An amount typed as the secretary writes it ("3,50"), kept as text while she types so a
 * half-typed value is not rewritten under her; the draft gets cents, or NaN, which the core
 * refuses with the field's own message.
 */
export function MoneyInput({ cents, onChange, ...rest }: { cents: number; onChange(cents: number): void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'>) {
  const locale = useLocale()
  const [text, setText] = useState(() => amountText(cents, locale))
  useEffect(() => {
    // A value set from outside (a loaded item, a duplicate) replaces the text; our own does not.
    setText((current) => (centsOf(current) === cents ? current : amountText(cents, locale)))
  }, [cents, locale])
  return (
    <span className="money-input">
      <input
        {...rest}
        inputMode="decimal"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          onChange(centsOf(e.target.value) ?? Number.NaN)
        }}
      />
      <span aria-hidden="true">$</span>
    </span>
  )
}

/** A whole number or nothing: '' → null, the rest as typed (NaN when not a number). */
export function numberOrNull(text: string): number | null {
  if (text.trim() === '') return null
  const n = Number(text)
  return Number.isFinite(n) ? n : Number.NaN
}
