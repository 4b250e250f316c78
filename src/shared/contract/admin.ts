import { z } from 'zod'
import { method } from './method'
import { Id, Instant } from './schemas'

export const AuditRow = z.object({
  seq: z.number().int(),
  at: Instant,
  actor: z.string(),
  staffId: Id.nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  detail: z.string().nullable(),
})
export type AuditRow = z.infer<typeof AuditRow>

export const adminMethods = {
  /** The audit log, newest first. The principal reads it; nobody edits it. */
  'audit.list': method({
    kind: 'query',
    access: ['principal', 'admin'],
    input: z
      .object({
        entity: z.string().max(40).optional(),
        entityId: Id.optional(),
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: z.object({ rows: z.array(AuditRow), hasMore: z.boolean() }),
  }),
  /** How long a session may stay idle before it locks (the same for every staff member). */
  'settings.setLockAfter': method({
    kind: 'command',
    access: ['admin'],
    input: z.object({ seconds: z.number().int().min(60).max(3600) }).strict(),
    output: z.object({ seconds: z.number().int() }),
  }),
}
