import type { ConsentDecision, ConsentRow, Instant } from './types'

export interface CurrentConsent {
  studentId: string
  decision: ConsentDecision
  /**
   * For a consent: when the student's place in line was taken. That is the first grant of the
   * current unbroken run of grants: a guardian who submits the form again (to update the
   * allergy answer) keeps the place; one who withdrew or declined and consents again goes to
   * the back of the line. Null for a decline or a withdrawal.
   */
  consentedAt: Instant | null
  /** The current answer is a withdrawal of an earlier consent. */
  withdrawn: boolean
}

/** Instants sort by time; an unreadable one sorts last rather than throwing. */
export function instantKey(instant: Instant): number {
  const ms = Date.parse(instant)
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms
}

/** History order: by time, then by the row id (UUIDv7, itself in time order) for rows of the same instant. */
export function compareConsentRows(a: ConsentRow, b: ConsentRow): number {
  return instantKey(a.recordedAt) - instantKey(b.recordedAt) || cmp(a.recordedAt, b.recordedAt) || cmp(a.id, b.id)
}

/** Consent order: the earlier place in line first; the student id breaks ties. */
export function compareConsentOrder(a: { consentedAt: Instant | null; studentId: string }, b: { consentedAt: Instant | null; studentId: string }): number {
  const ta = a.consentedAt === null ? Number.POSITIVE_INFINITY : instantKey(a.consentedAt)
  const tb = b.consentedAt === null ? Number.POSITIVE_INFINITY : instantKey(b.consentedAt)
  return (ta === tb ? 0 : ta < tb ? -1 : 1) || cmp(a.consentedAt ?? '', b.consentedAt ?? '') || cmp(a.studentId, b.studentId)
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The current answer of each student who has one: the latest row of their history. */
export function currentConsents(rows: readonly ConsentRow[]): Map<string, CurrentConsent> {
  const byStudent = new Map<string, ConsentRow[]>()
  for (const row of rows) {
    const list = byStudent.get(row.studentId)
    if (list) list.push(row)
    else byStudent.set(row.studentId, [row])
  }
  const current = new Map<string, CurrentConsent>()
  for (const [studentId, list] of byStudent) {
    const history = [...list].sort(compareConsentRows)
    const last = history[history.length - 1]!
    if (last.decision !== 'granted') {
      current.set(studentId, { studentId, decision: last.decision, consentedAt: null, withdrawn: last.decision === 'withdrawn' })
      continue
    }
    let first = history.length - 1
    while (first > 0 && history[first - 1]!.decision === 'granted') first--
    current.set(studentId, { studentId, decision: 'granted', consentedAt: history[first]!.recordedAt, withdrawn: false })
  }
  return current
}
