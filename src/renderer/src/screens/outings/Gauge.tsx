import { useId } from 'react'
import { useT } from '../../i18n/I18n'

/**
 * "86 / 96": a count against its limit, as text and as a bar. With `need`, the limit is what
 * is needed (chaperones): falling short is the problem, not reaching it.
 */
export function Gauge({ label, value, max, need }: { label: string; value: number; max: number | null; need?: boolean }) {
  const t = useT()
  const id = useId()
  const full = max !== null && (need ? value < max : value >= max)
  return (
    <div className={`gauge${full ? ' gauge-alert' : ''}`}>
      <span id={id} className="gauge-label">
        {label}
      </span>
      <span className="gauge-figure">{max === null ? t(need ? 'outings.gauge.noRatio' : 'outings.gauge.noLimit', { value }) : t('outings.gauge.of', { value, max })}</span>
      {max !== null && max > 0 ? <meter aria-labelledby={id} min={0} max={max} value={Math.min(value, max)} {...(need ? { low: max - 0.5, optimum: max } : { high: max - 0.5, optimum: 0 })} /> : null}
    </div>
  )
}
