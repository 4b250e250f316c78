import type { Kysely } from 'kysely'
import type { z } from 'zod'
import { contract, isMethodName, type MethodName, type MethodSpec } from '../shared/contract'
import { GuichetError, type ErrorPayload, type FieldIssue, type RpcResult } from '../shared/errors'
import { DEFAULT_LOCALE, isLocale, isMessageKey, localeOf, type Locale, type MessageKey } from '../shared/i18n'
import type { RpcRequest } from '../shared/rpc'
import type { DB } from './db/schema'
import { handlers } from './api'
import type { CoreState, HandlerContext } from './api/types'
import { translate, translateCode } from './i18n'
import { writeAudit, type Actor, type AuditEntry } from './services/audit'
import type { Session } from './services/sessions'

export interface DispatchDeps {
  db: Kysely<DB>
  state: CoreState
  /** Where unexpected errors go (never with personal data: the message and stack only). */
  logError?: (error: unknown) => void
}

/**
 * The one entry point of the core, whatever the transport: validates the input against the
 * contract, checks the session and its role, runs the handler in one transaction with its
 * audit rows, validates the output, and turns every failure into a stable code and a message
 * in the caller's language. A failed call changes nothing.
 */
export async function dispatch(deps: DispatchDeps, request: RpcRequest): Promise<RpcResult<unknown>> {
  const { state } = deps
  const session = state.sessions.get(request.session)
  const locale: Locale = session ? localeOf(session.language) : isLocale(request.locale) ? request.locale : DEFAULT_LOCALE
  try {
    if (!isMethodName(request.method)) throw new GuichetError('UNKNOWN_METHOD', { method: request.method })
    const name: MethodName = request.method
    const spec: MethodSpec = contract[name]

    if (spec.access !== 'public') {
      if (!session) throw new GuichetError('NOT_SIGNED_IN')
      // A kiosk token opens the kiosk's methods and nothing else; a staff token never opens them.
      if ((spec.access === 'kiosk') !== (session.kiosk !== undefined)) throw new GuichetError('FORBIDDEN')
      if (session.locked && !spec.whileLocked) throw new GuichetError(session.kiosk ? 'KIOSK_EXPIRED' : 'SESSION_LOCKED')
      if (Array.isArray(spec.access) && !spec.access.includes(session.role)) throw new GuichetError('FORBIDDEN')
      // Signed in with a one-time password: nothing else until it is changed.
      if (session.mustChangePassword && !spec.beforePasswordChange) throw new GuichetError('PASSWORD_CHANGE_REQUIRED')
      // Looking at the session (the UI polls it) is not activity; everything else is.
      if (name !== 'auth.session') state.sessions.touch(session)
    }

    // Checked after the session, so a caller who may not call a method learns nothing of it.
    const parsed = spec.input.safeParse(request.input ?? {}, { reportInput: true })
    if (!parsed.success) throw new GuichetError('INVALID_INPUT', {}, issuesOf(parsed.error, locale))

    const value = await run(deps, name, spec, parsed.data, session ?? null, locale)
    return { ok: true, value: spec.output.parse(value) }
  } catch (error) {
    return { ok: false, error: toPayload(error, locale, deps.logError) }
  }
}

async function run(
  deps: DispatchDeps,
  name: MethodName,
  spec: MethodSpec,
  input: unknown,
  session: Session | null,
  locale: Locale,
): Promise<unknown> {
  const now = new Date(deps.state.nowMs()).toISOString()
  const audits: AuditEntry[] = []
  const onFailure: Array<AuditEntry & { actor?: string }> = []
  const afterCommit: Array<() => void> = []
  const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => Promise<unknown>

  try {
    const value = await deps.db.transaction().execute(async (trx) => {
      const ctx: HandlerContext = {
        db: trx,
        session,
        now,
        locale,
        core: deps.state,
        audit: (entry) => audits.push(entry),
        afterCommit: (fn) => afterCommit.push(fn),
        auditOnFailure: (entry) => onFailure.push(entry),
      }
      const result = await handler(input, ctx)
      if (spec.kind === 'command') {
        // The handler may have set the session (signing in): the row names who it now is.
        const actor = actorOf(ctx.session)
        if (audits.length === 0) audits.push({ detail: { input } })
        for (const entry of audits) await writeAudit(trx, now, actor, name, entry)
      }
      return result
    })
    for (const fn of afterCommit) fn()
    return value
  } catch (error) {
    for (const { actor, ...entry } of onFailure) {
      await writeAudit(deps.db, now, actor ? { staffId: null, name: actor } : actorOf(session), name, entry)
    }
    throw error
  }
}

function actorOf(session: Session | null): Actor {
  return session ? { staffId: session.staffId, name: session.displayName } : { staffId: null, name: 'system' }
}

function toPayload(error: unknown, locale: Locale, logError?: (error: unknown) => void): ErrorPayload {
  if (error instanceof GuichetError) {
    const issues = error.issues?.map((i): FieldIssue => ('key' in i ? { path: i.path, message: translateCode(locale, i.key, i.values) } : i))
    return {
      code: error.code,
      message: translate(locale, `error.${error.code}`, error.values),
      ...(issues ? { issues } : {}),
    }
  }
  logError?.(error)
  return { code: 'INTERNAL', message: translate(locale, 'error.INTERNAL') }
}

/** Zod's issues, each with a path the UI can point at and a message in the caller's language. */
function issuesOf(error: z.ZodError, locale: Locale): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    // Rules that carry their own message give it as a catalogue key ('validation.priceNegative').
    if (isMessageKey(issue.message)) return { path, message: translate(locale, issue.message) }
    let key: MessageKey = 'issue.invalid'
    let values: Record<string, string | number> = {}
    switch (issue.code) {
      case 'invalid_type':
        key = issue.input === undefined ? 'issue.required' : 'issue.invalidType'
        break
      case 'too_small':
        if (issue.origin === 'string' && Number(issue.minimum) <= 1) key = 'issue.required'
        else if (issue.origin === 'string') [key, values] = ['issue.tooShort', { min: Number(issue.minimum) }]
        else [key, values] = ['issue.tooSmall', { min: Number(issue.minimum) }]
        break
      case 'too_big':
        if (issue.origin === 'string') [key, values] = ['issue.tooLong', { max: Number(issue.maximum) }]
        else [key, values] = ['issue.tooBig', { max: Number(issue.maximum) }]
        break
      case 'invalid_value':
        key = 'issue.invalidValue'
        break
      case 'invalid_format':
        key = 'issue.invalidFormat'
        break
      case 'unrecognized_keys':
        ;[key, values] = ['issue.unknownKeys', { keys: issue.keys.join(', ') }]
        break
    }
    return { path, message: translate(locale, key, values) }
  })
}
