import { z } from 'zod'
import { method } from './method'
import { Id, Instant } from './schemas'

/** An error of the last run, as a code (translated by the screen: `syncUi.error.<code>`) and a technical detail. */
export const SyncError = z.object({ code: z.string(), message: z.string(), at: Instant })

export const SyncState = z.object({
  /** none: never enrolled; needs_enrolment: the board refused the token, sync is stopped. */
  enrolment: z.enum(['none', 'enrolled', 'needs_enrolment']),
  centralUrl: z.string().nullable(),
  deviceName: z.string().nullable(),
  enrolledAt: Instant.nullable(),
  /** Whether this PC can seal the device token (the shell's secret box). */
  canSeal: z.boolean(),
  running: z.boolean(),
  /** The last time every page of a school's feed was applied (the latest of the schools). */
  lastSuccessAt: Instant.nullable(),
  lastError: SyncError.nullable(),
  /** Mutations waiting to be sent, conflicts and rejections staff have not settled. */
  waiting: z.number().int(),
  conflicts: z.number().int(),
  rejections: z.number().int(),
  schools: z.array(
    z.object({
      id: Id,
      name: z.string(),
      lastSeq: z.number().int(),
      /** The board's latest seq when last read; null before the first page. */
      headSeq: z.number().int().nullable(),
      lastPullAt: Instant.nullable(),
      lastPushAt: Instant.nullable(),
      lastError: SyncError.nullable(),
    }),
  ),
  /** A catch-up under way: lastSeq of headSeq (pull), or mutations sent (push). */
  progress: z.object({ schoolId: Id, phase: z.enum(['push', 'pull']), startSeq: z.number().int(), lastSeq: z.number().int(), headSeq: z.number().int() }).nullable(),
})
export type SyncState = z.infer<typeof SyncState>

/** The fields of an item staff compare in a conflict. */
export const ConflictSide = z.object({
  version: z.number().int(),
  status: z.string(),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  descriptionFr: z.string(),
  priceCents: z.number().int(),
  opensAt: z.string(),
  deadlineAt: z.string(),
  stockLimit: z.number().int().nullable(),
})
export type ConflictSide = z.infer<typeof ConflictSide>

export const SyncConflict = z.object({
  mutationId: Id,
  type: z.string(),
  offeringId: Id,
  schoolName: z.string(),
  createdAt: Instant,
  ours: ConflictSide,
  theirs: ConflictSide,
})
export type SyncConflict = z.infer<typeof SyncConflict>

export const SyncRejection = z.object({
  mutationId: Id,
  type: z.string(),
  entityId: Id,
  schoolName: z.string(),
  createdAt: Instant,
  /** The board's rejection code (`syncUi.rejection.<code>`) and its technical message. */
  code: z.string(),
  message: z.string(),
})
export type SyncRejection = z.infer<typeof SyncRejection>

export const syncMethods = {
  'sync.state': method({ kind: 'query', access: 'session', input: z.object({}).strict(), output: SyncState }),
  /** Exchanges the board's enrolment code for a device token, sealed on this PC. */
  'sync.enroll': method({
    kind: 'command',
    access: ['principal', 'admin'],
    input: z
      .object({
        centralUrl: z.url({ protocol: /^https?$/, error: 'syncUi.urlInvalid' }).max(500),
        code: z.string().trim().min(1, { error: 'syncUi.codeRequired' }).max(64),
        deviceName: z.string().trim().min(1, { error: 'syncUi.deviceRequired' }).max(200),
      })
      .strict(),
    output: SyncState,
  }),
  /** Starts a run now (it goes on in the background); the state says how it goes. */
  'sync.now': method({ kind: 'command', access: 'session', input: z.object({}).strict(), output: SyncState }),
  'sync.conflicts': method({ kind: 'query', access: 'session', input: z.object({}).strict(), output: z.array(SyncConflict) }),
  'sync.rejections': method({ kind: 'query', access: 'session', input: z.object({}).strict(), output: z.array(SyncRejection) }),
  /** ours: resend ours with the board's version as base; theirs: apply the board's item and drop ours. */
  'sync.resolveConflict': method({
    kind: 'command',
    access: ['secretary', 'principal', 'admin'],
    input: z.object({ mutationId: Id, choice: z.enum(['ours', 'theirs']) }).strict(),
    output: SyncState,
  }),
  /** A rejection seen: it stays in the log and no longer holds back its entity. */
  'sync.acknowledgeRejection': method({
    kind: 'command',
    access: ['secretary', 'principal', 'admin'],
    input: z.object({ mutationId: Id }).strict(),
    output: SyncState,
  }),
}
