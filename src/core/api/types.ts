import type { Kysely } from 'kysely'
import type { DocumentPrinter } from '../adapters/printing/types'
import type { MethodName, Output, ParsedInput } from '../../shared/contract'
import type { Locale } from '../../shared/i18n'
import type { DB } from '../db/schema'
import type { AuditEntry } from '../services/audit'
import type { RefundRunner } from '../services/refunds/runner'
import type { ProcessorState } from '../services/processor-state'
import type { PrintJobs } from '../services/printing'
import type { Session, SessionStore } from '../services/sessions'
import type { SignInThrottle } from '../services/sign-in-throttle'
import type { SyncEngine } from '../services/sync'
import type { BackupControl } from '../services/backup-control'

/** What the core knows about itself, shared by every handler. */
export interface CoreState {
  sessions: SessionStore
  appVersion: string
  nowMs(): number
  /** Refunds are asked of the processor after the call commits: the card processors and the runner. */
  refunds: RefundRunner
  /** The card processor's key, held in memory, sealed in the database. */
  processor: ProcessorState
  /** The sync client (services/sync): background runs, enrolment, conflict choices. */
  sync: SyncEngine
  /** The printer the shell gives (the desktop app); null in browser mode. */
  printer: DocumentPrinter | null
  /** Print jobs running after their call committed (services/printing.ts). */
  printing: PrintJobs
  /** Failed sign-ins and unlocks per username (issue 14). */
  throttle: SignInThrottle
  /** Which database this core has open, and the way to the other (the first start's demo). */
  workspace: WorkspaceControl
  /** The office database's backups and restore (services/backup-control.ts). */
  backups: BackupControl
}

/**
 * Given by the host that opened the core (src/core/workspace.ts): 'board' is the install's own
 * database, 'demo' the demo's; 'fixed' is a file named on the command line, which never switches.
 */
export interface WorkspaceControl {
  readonly kind: 'board' | 'demo' | 'fixed'
  /** Closes this core and opens the other database once the current call has answered. */
  switchTo(kind: 'board' | 'demo'): void
}

export interface HandlerContext {
  /** The transaction this call runs in: every read and write of the call goes through it. */
  db: Kysely<DB>
  /** The caller's session; null only for public methods called signed out. */
  session: Session | null
  /** The instant the call started (ISO-8601 UTC), the same for every row it writes. */
  now: string
  locale: Locale
  core: CoreState
  /** Adds an audit row for this call (who and when are filled in by dispatch). */
  audit(entry: AuditEntry): void
  /** Runs once the transaction has committed (in-memory state follows the database). */
  afterCommit(fn: () => void): void
  /** An audit row written even though the call fails and its transaction rolls back. */
  auditOnFailure(entry: AuditEntry & { actor?: string }): void
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: HandlerContext) => Promise<Output<M>>

export type HandlerMap = { [M in MethodName]: Handler<M> }

/** A domain's handlers: a partial map whose keys must be methods of the contract. */
export type Handlers<M extends MethodName> = { [K in M]: Handler<K> }

/** The session of a handler that the contract says needs one. */
export function requireSession(ctx: HandlerContext): Session {
  if (!ctx.session) throw new Error('handler for a session method called without a session')
  return ctx.session
}
