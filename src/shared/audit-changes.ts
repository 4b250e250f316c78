/** One line of an audit record as people read it: a field, what it was, what it became. */
export interface AuditChange {
  field: string
  before: string | null
  after: string | null
}

function parse(text: string | null): unknown {
  if (text === null) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Nested objects become dotted fields ('plan.buses'); lists and values become text. */
function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (value === undefined) return
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0 && prefix) into.set(prefix, '—')
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, into)
    return
  }
  into.set(prefix || 'value', text(value))
}

function text(value: unknown): string {
  if (value === null) return '—'
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' ? JSON.stringify(v) : text(v))).join(', ')
  if (typeof value === 'boolean') return value ? '✓' : '✗'
  return String(value)
}

/**
 * The before and after of an audit row, field by field (changed fields, then the detail's), so
 * that a principal reads "refundThresholdCents: 5000 → 10000" instead of two blobs of JSON.
 */
export function auditChanges(row: { before: string | null; after: string | null; detail: string | null }): AuditChange[] {
  const before = new Map<string, string>()
  const after = new Map<string, string>()
  flatten(parse(row.before), '', before)
  flatten(parse(row.after), '', after)
  const changes: AuditChange[] = []
  for (const field of new Set([...before.keys(), ...after.keys()])) changes.push({ field, before: before.get(field) ?? null, after: after.get(field) ?? null })
  const detail = new Map<string, string>()
  flatten(parse(row.detail), '', detail)
  for (const [field, value] of detail) changes.push({ field, before: null, after: value })
  return changes
}

/** The same on one line, for a spreadsheet cell. */
export function auditChangesText(row: { before: string | null; after: string | null; detail: string | null }): string {
  return auditChanges(row)
    .map((c) => (c.before === null ? `${c.field}: ${c.after ?? '—'}` : `${c.field}: ${c.before} → ${c.after ?? '—'}`))
    .join('; ')
}
