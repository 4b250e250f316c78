import type { StaffAccount } from '../../shared/contract/accounts'
import { GuichetError } from '../../shared/errors'
import { assertAnotherAdmin, assertPasswordAllowed, checkPlacement, oneTimePassword, setSchools, staffAccount, staffAccounts } from '../services/accounts'
import { newId } from '../services/ids'
import { hashPassword, verifyPassword } from '../services/passwords'
import { sessionView } from './auth'
import { requireSession, type Handlers } from './types'

/** What the audit log keeps of an account: who and where, never a hash. */
function audited(a: StaffAccount) {
  return { username: a.username, displayName: a.displayName, role: a.role, active: a.active, schoolIds: a.schoolIds }
}

type AccountMethod = 'staff.list' | 'staff.create' | 'staff.update' | 'staff.setActive' | 'staff.resetPassword' | 'auth.changePassword' | 'auth.setPin'

export const accountHandlers: Handlers<AccountMethod> = {
  async 'staff.list'(_input, ctx) {
    return staffAccounts(ctx.db)
  },

  async 'staff.create'({ username, displayName, role, schoolIds, language }, ctx) {
    const taken = await ctx.db.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirst()
    if (taken) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'username', key: 'accounts.usernameTaken' }])
    const schools = await checkPlacement(ctx.db, role, schoolIds)
    const password = oneTimePassword()
    const id = newId()
    await ctx.db
      .insertInto('staff')
      .values({ id, username, display_name: displayName, role, language, password_hash: await hashPassword(password), must_change_password: 1, created_at: ctx.now })
      .execute()
    await setSchools(ctx.db, id, schools)
    const account = await staffAccount(ctx.db, id)
    ctx.audit({ entity: 'staff', entityId: id, before: null, after: audited(account), detail: { outcome: 'one_time_issued' } })
    return { account, oneTimePassword: password }
  },

  async 'staff.update'({ staffId, role, schoolIds }, ctx) {
    const before = await staffAccount(ctx.db, staffId)
    if (before.role === 'admin' && role !== 'admin' && before.active) await assertAnotherAdmin(ctx.db, staffId)
    const schools = await checkPlacement(ctx.db, role, schoolIds)
    await ctx.db.updateTable('staff').set({ role }).where('id', '=', staffId).execute()
    await setSchools(ctx.db, staffId, schools)
    const after = await staffAccount(ctx.db, staffId)
    ctx.audit({ entity: 'staff', entityId: staffId, before: audited(before), after: audited(after) })
    ctx.afterCommit(() => ctx.core.sessions.updateStaff(staffId, { role }))
    return after
  },

  async 'staff.setActive'({ staffId, active }, ctx) {
    const before = await staffAccount(ctx.db, staffId)
    if (!active && before.role === 'admin') await assertAnotherAdmin(ctx.db, staffId)
    await ctx.db.updateTable('staff').set({ active: active ? 1 : 0 }).where('id', '=', staffId).execute()
    const after = await staffAccount(ctx.db, staffId)
    ctx.audit({ entity: 'staff', entityId: staffId, before: audited(before), after: audited(after) })
    // Disabled: every session of theirs ends now, not at their next sign-in.
    if (!active) ctx.afterCommit(() => ctx.core.sessions.endStaff(staffId))
    return after
  },

  async 'staff.resetPassword'({ staffId }, ctx) {
    const before = await staffAccount(ctx.db, staffId)
    const password = oneTimePassword()
    await ctx.db
      .updateTable('staff')
      .set({ password_hash: await hashPassword(password), must_change_password: 1 })
      .where('id', '=', staffId)
      .execute()
    ctx.audit({ entity: 'staff', entityId: staffId, detail: { outcome: 'one_time_issued', username: before.username } })
    // Whoever holds the old password is out: open sessions end, the next sign-in takes the new one.
    ctx.afterCommit(() => {
      ctx.core.sessions.endStaff(staffId)
      ctx.core.throttle.succeeded(before.username)
    })
    return { account: await staffAccount(ctx.db, staffId), oneTimePassword: password }
  },

  async 'auth.changePassword'({ currentPassword, newPassword }, ctx) {
    const s = requireSession(ctx)
    ctx.core.throttle.check(s.username)
    const staff = await ctx.db.selectFrom('staff').select(['password_hash', 'username', 'display_name']).where('id', '=', s.staffId).executeTakeFirstOrThrow()
    if (!(await verifyPassword(currentPassword, staff.password_hash))) {
      ctx.core.throttle.failed(s.username)
      ctx.auditOnFailure({ entity: 'staff', entityId: s.staffId, detail: { outcome: 'password_change_refused' } })
      throw new GuichetError('BAD_CREDENTIALS')
    }
    assertPasswordAllowed(newPassword, { username: staff.username, displayName: staff.display_name })
    if (await verifyPassword(newPassword, staff.password_hash)) throw new GuichetError('PASSWORD_REFUSED', { reason: 'same', min: 0 })
    await ctx.db
      .updateTable('staff')
      .set({ password_hash: await hashPassword(newPassword), must_change_password: 0 })
      .where('id', '=', s.staffId)
      .execute()
    ctx.audit({ entity: 'staff', entityId: s.staffId, detail: { outcome: 'password_changed', wasOneTime: s.mustChangePassword === true } })
    ctx.afterCommit(() => {
      ctx.core.throttle.succeeded(s.username)
      ctx.core.sessions.updateStaff(s.staffId, { mustChangePassword: false })
    })
    return { ...sessionView(s, ctx.core), mustChangePassword: false }
  },

  async 'auth.setPin'({ password, pin }, ctx) {
    const s = requireSession(ctx)
    ctx.core.throttle.check(s.username)
    const staff = await ctx.db.selectFrom('staff').select(['password_hash', 'pin_hash']).where('id', '=', s.staffId).executeTakeFirstOrThrow()
    if (!(await verifyPassword(password, staff.password_hash))) {
      ctx.core.throttle.failed(s.username)
      ctx.auditOnFailure({ entity: 'staff', entityId: s.staffId, detail: { outcome: 'pin_change_refused' } })
      throw new GuichetError('BAD_CREDENTIALS')
    }
    await ctx.db
      .updateTable('staff')
      .set({ pin_hash: pin ? await hashPassword(pin) : null })
      .where('id', '=', s.staffId)
      .execute()
    ctx.audit({ entity: 'staff', entityId: s.staffId, before: { kioskEndCode: staff.pin_hash ? 'set' : 'none' }, after: { kioskEndCode: pin ? 'set' : 'none' } })
    return { hasPin: pin !== null }
  },
}
