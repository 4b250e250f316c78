import { useId, type ReactNode } from 'react'

/**
 * One tile of the dashboard: a region named by its heading, its figures, and a link to the
 * screen with the detail (the link's text says where it goes, so it reads alone in a list of links).
 */
export function Tile({ id, title, subtitle, href, linkLabel, alert, children }: { id: string; title: string; subtitle?: string; href: string; linkLabel: string; alert?: boolean; children: ReactNode }) {
  const headingId = useId()
  return (
    <section className={`dash-tile${alert ? ' dash-tile-alert' : ''}`} aria-labelledby={headingId} data-tile={id}>
      <h2 id={headingId}>{title}</h2>
      {subtitle ? <p className="dash-subtitle">{subtitle}</p> : null}
      <div className="dash-tile-body">{children}</div>
      <a className="dash-tile-link" href={href}>
        {linkLabel}
        <span aria-hidden="true"> →</span>
      </a>
    </section>
  )
}

/**
 * A count against its limit, said in words (the label) and drawn as a bar. With `full`, reaching
 * the limit is the alert (seats); otherwise it is the goal (answers).
 */
export function Meter({ label, value, max, full }: { label: string; value: number; max: number | null; full?: boolean }) {
  const id = useId()
  const alert = full && max !== null && value >= max
  return (
    <span className={`dash-meter${alert ? ' dash-meter-alert' : ''}`}>
      <span id={id} className="dash-meter-label">
        {label}
      </span>
      {max !== null && max > 0 ? <meter aria-labelledby={id} min={0} max={max} value={Math.min(value, max)} {...(full ? { high: max - 0.5, optimum: 0 } : { low: max * 0.5, optimum: max })} /> : null}
    </span>
  )
}
