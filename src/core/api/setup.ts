import { GuichetError } from '../../shared/errors'
import { assertPasswordAllowed } from '../services/accounts'
import { newId } from '../services/ids'
import { hashPassword } from '../services/passwords'
import { SessionStore, type Session } from '../services/sessions'
import { sessionView } from './auth'
import type { HandlerContext, Handlers } from './types'

async function isFirstStart(ctx: HandlerContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('staff').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

export const setupHandlers: Handlers<'setup.state' | 'setup.createAdmin' | 'setup.tryDemo' | 'setup.leaveDemo'> = {
  async 'setup.state'(_input, ctx) {
    return { firstStart: await isFirstStart(ctx), workspace: ctx.core.workspace.kind }
  },

  async 'setup.createAdmin'({ username, displayName, password, language }, ctx) {
    // Only the very first account is made here; every other one by an admin (staff.create).
    if (!(await isFirstStart(ctx))) throw new GuichetError('SETUP_DONE')
    assertPasswordAllowed(password, { username, displayName })
    const id = newId()
    await ctx.db
      .insertInto('staff')
      .values({ id, username, display_name: displayName, role: 'admin', language, password_hash: await hashPassword(password), created_at: ctx.now })
      .execute()
    const session: Session = {
      token: SessionStore.newToken(),
      staffId: id,
      username,
      displayName,
      role: 'admin',
      language,
      lastActivityMs: ctx.core.nowMs(),
      locked: false,
    }
    ctx.session = session
    ctx.audit({ entity: 'staff', entityId: id, before: null, after: { username, displayName, role: 'admin', active: true, schoolIds: [] }, detail: { outcome: 'first_admin' } })
    ctx.afterCommit(() => ctx.core.sessions.add(session))
    return sessionView(session, ctx.core)
  },

  async 'setup.tryDemo'(_input, ctx) {
    if (ctx.core.workspace.kind !== 'board') throw new GuichetError('WORKSPACE_FIXED')
    // The demo is offered on the first screen only: an install with people in it stays on its data.
    if (!(await isFirstStart(ctx))) throw new GuichetError('SETUP_DONE')
    ctx.audit({ detail: { outcome: 'demo_opened' } })
    ctx.afterCommit(() => ctx.core.workspace.switchTo('demo'))
    return { switching: true as const }
  },

  async 'setup.leaveDemo'(_input, ctx) {
    if (ctx.core.workspace.kind !== 'demo') throw new GuichetError('WORKSPACE_FIXED')
    // A parent at the kiosk holds a kiosk token: it opens the kiosk and nothing else.
    if (ctx.session?.kiosk) throw new GuichetError('FORBIDDEN')
    ctx.afterCommit(() => ctx.core.workspace.switchTo('board'))
    return { switching: true as const }
  },
}
