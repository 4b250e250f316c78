import type { SessionView, StaffView } from '../../shared/contract/schemas'
import { GuichetError } from '../../shared/errors'
import type { Session } from '../services/sessions'
import { SessionStore } from '../services/sessions'
import { decoyHash, verifyPassword } from '../services/passwords'
import { requireSession, type CoreState, type Handlers } from './types'

function staffView(s: Session): StaffView {
  return { id: s.staffId, username: s.username, displayName: s.displayName, role: s.role, language: s.language }
}

export function sessionView(s: Session, core: CoreState): SessionView {
  return { token: s.token, staff: staffView(s), locked: s.locked, lockAfterSeconds: core.sessions.lockAfterSeconds, mustChangePassword: s.mustChangePassword === true }
}

export const authHandlers: Handlers<'auth.signIn' | 'auth.signOut' | 'auth.unlock' | 'auth.session' | 'auth.setLanguage'> = {
  async 'auth.signIn'({ username, password }, ctx) {
    // Slowed down, then locked, whether the name exists or not (domain/accounts/throttle.ts).
    ctx.core.throttle.check(username)
    const staff = await ctx.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst()
    // Check a hash even for an unknown name, so timing does not tell which names exist.
    const ok = await verifyPassword(password, staff?.password_hash ?? (await decoyHash()))
    if (!staff || !ok) {
      const failures = ctx.core.throttle.failed(username)
      ctx.auditOnFailure({ actor: username, detail: { outcome: 'bad_credentials', username, failures } })
      throw new GuichetError('BAD_CREDENTIALS')
    }
    ctx.core.throttle.succeeded(username)
    if (!staff.active) {
      ctx.auditOnFailure({ actor: username, detail: { outcome: 'disabled', username } })
      throw new GuichetError('ACCOUNT_DISABLED')
    }
    const session: Session = {
      token: SessionStore.newToken(),
      staffId: staff.id,
      username: staff.username,
      displayName: staff.display_name,
      role: staff.role,
      language: staff.language,
      lastActivityMs: ctx.core.nowMs(),
      locked: false,
      mustChangePassword: staff.must_change_password === 1,
    }
    ctx.session = session
    ctx.audit({ entity: 'staff', entityId: staff.id, detail: { outcome: 'signed_in' } })
    ctx.afterCommit(() => ctx.core.sessions.add(session))
    return sessionView(session, ctx.core)
  },

  async 'auth.signOut'(_input, ctx) {
    const s = requireSession(ctx)
    ctx.audit({ entity: 'staff', entityId: s.staffId, detail: { outcome: 'signed_out' } })
    ctx.afterCommit(() => ctx.core.sessions.remove(s.token))
    return { signedOut: true as const }
  },

  async 'auth.unlock'({ password }, ctx) {
    const s = requireSession(ctx)
    ctx.core.throttle.check(s.username)
    const staff = await ctx.db.selectFrom('staff').select(['password_hash', 'active']).where('id', '=', s.staffId).executeTakeFirst()
    if (!staff || !staff.active || !(await verifyPassword(password, staff.password_hash))) {
      const failures = ctx.core.throttle.failed(s.username)
      ctx.auditOnFailure({ entity: 'staff', entityId: s.staffId, detail: { outcome: 'unlock_failed', failures } })
      throw new GuichetError('BAD_CREDENTIALS')
    }
    ctx.core.throttle.succeeded(s.username)
    ctx.audit({ entity: 'staff', entityId: s.staffId, detail: { outcome: 'unlocked' } })
    ctx.afterCommit(() => ctx.core.sessions.unlock(s))
    return { ...sessionView(s, ctx.core), locked: false }
  },

  async 'auth.session'(_input, ctx) {
    return sessionView(requireSession(ctx), ctx.core)
  },

  async 'auth.setLanguage'({ language }, ctx) {
    const s = requireSession(ctx)
    const before = await ctx.db.selectFrom('staff').select('language').where('id', '=', s.staffId).executeTakeFirstOrThrow()
    await ctx.db.updateTable('staff').set({ language }).where('id', '=', s.staffId).execute()
    ctx.audit({ entity: 'staff', entityId: s.staffId, before, after: { language } })
    ctx.afterCommit(() => ctx.core.sessions.updateStaff(s.staffId, { language }))
    return { ...staffView(s), language }
  },
}
