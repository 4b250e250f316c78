import { z } from 'zod'
import { method } from './method'
import { DocumentFile } from './reports'
import { Id, Instant, IsoDate } from './schemas'

/**
 * The kinds of change the audit log is filtered by, each the domains of the actions (method
 * names: 'refunds.setThreshold') it covers.
 */
export const AUDIT_KINDS = {
  signIn: ['auth'],
  catalogue: ['catalogue', 'calendar'],
  outings: ['outings'],
  money: ['refunds', 'waivers', 'credits', 'orders', 'receipts'],
  kiosk: ['kiosk'],
  sync: ['sync', 'roster'],
  settings: ['settings', 'processor', 'backups', 'staff', 'accounts'],
} as const satisfies Record<string, readonly string[]>
export type AuditKind = keyof typeof AUDIT_KINDS
export const AuditKind = z.enum(Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]])

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
  /** The school the change belongs to, when it belongs to one (services/audit-search.ts). */
  schoolId: Id.nullable(),
  schoolName: z.string().nullable(),
})
export type AuditRow = z.infer<typeof AuditRow>

/** The audit log's filters; dates are the office's local days, both included. */
export const AuditFilter = z.object({
  /** A staff member's id, or the name of an actor without one ('Guichet', 'system'). */
  staffId: Id.optional(),
  actor: z.string().max(200).optional(),
  schoolId: Id.optional(),
  kind: AuditKind.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
})

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
        ...AuditFilter.shape,
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    output: z.object({ rows: z.array(AuditRow), hasMore: z.boolean(), total: z.number().int() }),
  }),
  /** The people who appear in the audit log (the person filter), staff first by name. */
  'audit.people': method({
    kind: 'query',
    access: ['principal', 'admin'],
    input: z.object({}).strict(),
    output: z.array(z.object({ staffId: Id.nullable(), name: z.string() })),
  }),
  /** The audit log as filtered, every row, as a workbook. */
  'audit.export': method({
    kind: 'query',
    access: ['principal', 'admin'],
    input: AuditFilter.strict(),
    output: DocumentFile,
  }),
  /** How long a session may stay idle before it locks (the same for every staff member). */
  'settings.setLockAfter': method({
    kind: 'command',
    access: ['admin'],
    input: z.object({ seconds: z.number().int().min(60).max(3600) }).strict(),
    output: z.object({ seconds: z.number().int() }),
  }),
}
