import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'

export interface AuditEntry {
  entity?: string
  entityId?: string
  before?: unknown
  after?: unknown
  detail?: unknown
}

export interface Actor {
  staffId: string | null
  name: string
}

const SECRET_KEY = /pass(word)?|pin|secret|token|api.?key/i

/** Copies a value for the audit log with anything secret masked. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '***' : redact(v)]),
    )
  }
  return value
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(redact(value))
}

export async function writeAudit(db: Kysely<DB>, at: string, actor: Actor, action: string, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at,
      staff_id: actor.staffId,
      actor: actor.name,
      action,
      entity: entry.entity ?? null,
      entity_id: entry.entityId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      detail: json(entry.detail),
    })
    .execute()
}
