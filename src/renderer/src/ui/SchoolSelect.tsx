import { useId } from 'react'
import type { SchoolView } from '../../../shared/contract/system'

/** The school filter of a screen: one school, or all of them when `allLabel` is given. */
export function SchoolSelect({ schools, value, onChange, label, allLabel, inline }: { schools: SchoolView[]; value: string; onChange(id: string): void; label: string; allLabel?: string; inline?: boolean }) {
  const id = useId()
  return (
    <div className={inline ? 'field field-inline' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {allLabel ? <option value="">{allLabel}</option> : null}
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  )
}
