/** What an action came to: done (announced politely) or refused (an alert). */
export type Outcome = { kind: 'ok' | 'error'; text: string } | null

export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null
  return (
    <p className={`notice ${outcome.kind === 'error' ? 'notice-error' : 'notice-ok'}`} role={outcome.kind === 'error' ? 'alert' : 'status'}>
      {outcome.text}
    </p>
  )
}
