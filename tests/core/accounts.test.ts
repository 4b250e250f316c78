import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openWorkspace } from '../../src/core/workspace'
import { LOCKED_FOR_MS } from '../../src/core/domain/accounts/throttle'
import { count, ok, T0, tempDir, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let admin: string
let school: string

beforeEach(async () => {
  t = await testCore()
  school = t.board.school('École Saint-Compte')
  t.board.staff('ana', 'admin')
  admin = (await ok(t.core, 'auth.signIn', { username: 'ana', password: 'secret-pass' })).token
})
afterEach(() => t.cleanup())

async function fail(method: string, input: unknown, session?: string, locale?: string) {
  const result = await t.core.dispatch({ method, input, ...(session ? { session } : {}), ...(locale ? { locale } : {}) })
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
  return result.error
}

const audits = (action: string) => t.core.connection.raw.prepare(`SELECT actor, entity_id, before, after, detail FROM audit_log WHERE action = ? ORDER BY seq`).all(action) as Array<Record<string, string | null>>

describe('staff accounts', () => {
  it('creates an account with a one-time password that must be changed at the first sign-in, by rules that refuse weak ones', async () => {
    const created = await ok(t.core, 'staff.create', { username: 'mroy', displayName: 'Martine Roy', role: 'secretary', schoolIds: [school] }, admin)
    expect(created.account).toMatchObject({ username: 'mroy', role: 'secretary', schoolIds: [school], active: true, mustChangePassword: true, hasPin: false })
    expect(created.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    // The audit log says who made it and where she works, never the password.
    const [row] = audits('staff.create')
    expect(row).toMatchObject({ actor: 'ana (test)', entity_id: created.account.id })
    expect(JSON.stringify(row)).not.toContain(created.oneTimePassword)

    const view = await ok(t.core, 'auth.signIn', { username: 'mroy', password: created.oneTimePassword })
    expect(view.mustChangePassword).toBe(true)
    expect(await fail('students.search', { query: '' }, view.token)).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' })
    expect((await ok(t.core, 'auth.session', {}, view.token)).mustChangePassword).toBe(true)

    const weak = await fail('auth.changePassword', { currentPassword: created.oneTimePassword, newPassword: 'Motdepasse2026!' }, view.token)
    expect(weak).toMatchObject({ code: 'PASSWORD_REFUSED' })
    expect(weak.message).toMatch(/trop courant/)
    const short = await fail('auth.changePassword', { currentPassword: created.oneTimePassword, newPassword: 'court' }, view.token, 'en-CA')
    expect(short.message).toMatch(/au moins 12 caractères/)
    expect(await fail('auth.changePassword', { currentPassword: 'not-it', newPassword: 'trois chats sur le toit' }, view.token)).toMatchObject({ code: 'BAD_CREDENTIALS' })

    const changed = await ok(t.core, 'auth.changePassword', { currentPassword: created.oneTimePassword, newPassword: 'trois chats sur le toit' }, view.token)
    expect(changed.mustChangePassword).toBe(false)
    await ok(t.core, 'students.search', { query: '' }, view.token)
    expect(await fail('auth.signIn', { username: 'mroy', password: created.oneTimePassword })).toMatchObject({ code: 'BAD_CREDENTIALS' })
    expect((await ok(t.core, 'auth.signIn', { username: 'mroy', password: 'trois chats sur le toit' })).mustChangePassword).toBe(false)
    expect(audits('auth.changePassword').map((r) => JSON.parse(r.detail!))).toEqual([{ outcome: 'password_change_refused' }, { outcome: 'password_changed', wasOneTime: true }])
  })

  it('keeps accounts to admins, and a secretary or principal to at least one real school', async () => {
    const sec = await ok(t.core, 'staff.create', { username: 'sec', displayName: 'Sec Rétaire', role: 'secretary', schoolIds: [school] }, admin)
    const token = (await ok(t.core, 'auth.signIn', { username: 'sec', password: sec.oneTimePassword })).token
    await ok(t.core, 'auth.changePassword', { currentPassword: sec.oneTimePassword, newPassword: 'trois chats sur le toit' }, token)
    for (const method of ['staff.list', 'staff.create', 'staff.resetPassword'] as const) expect((await fail(method, {}, token)).code).toBe('FORBIDDEN')
    const noSchool = await fail('staff.create', { username: 'paul2', displayName: 'Paul Deux', role: 'principal', schoolIds: [] }, admin)
    expect(noSchool).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'schoolIds', message: 'Choisissez au moins une école.' }] })
    expect((await fail('staff.create', { username: 'paul2', displayName: 'Paul Deux', role: 'principal', schoolIds: ['nowhere'] }, admin)).issues).toEqual([{ path: 'schoolIds', message: 'Une des écoles choisies n’existe pas.' }])
    expect((await fail('staff.create', { username: 'SEC', displayName: 'Autre', role: 'admin', schoolIds: [] }, admin)).issues).toEqual([{ path: 'username', message: 'Ce nom d’utilisateur est déjà pris.' }])
    expect(count(t.core.connection.raw, 'staff')).toBe(2)

    // Promoted: her open session has the new role at once.
    const other = t.board.school('École Deux')
    const updated = await ok(t.core, 'staff.update', { staffId: sec.account.id, role: 'principal', schoolIds: [other, school] }, admin)
    expect(updated).toMatchObject({ role: 'principal', schoolIds: [school, other].sort() })
    expect((await ok(t.core, 'auth.session', {}, token)).staff.role).toBe('principal')
    expect(audits('staff.update').map((r) => [JSON.parse(r.before!).role, JSON.parse(r.after!).role])).toEqual([['secretary', 'principal']])
  })

  it('disables an account, never deletes it: its sessions end at once and it cannot sign in; the last admin stays', async () => {
    const sec = await ok(t.core, 'staff.create', { username: 'sec', displayName: 'Sec Rétaire', role: 'secretary', schoolIds: [school] }, admin)
    const token = (await ok(t.core, 'auth.signIn', { username: 'sec', password: sec.oneTimePassword })).token
    const off = await ok(t.core, 'staff.setActive', { staffId: sec.account.id, active: false }, admin)
    expect(off.active).toBe(false)
    expect(await fail('auth.session', {}, token)).toMatchObject({ code: 'NOT_SIGNED_IN' })
    expect(await fail('auth.signIn', { username: 'sec', password: sec.oneTimePassword })).toMatchObject({ code: 'ACCOUNT_DISABLED' })
    expect(count(t.core.connection.raw, 'staff')).toBe(2)
    await ok(t.core, 'staff.setActive', { staffId: sec.account.id, active: true }, admin)

    const anaId = (await ok(t.core, 'staff.list', {}, admin)).find((a) => a.username === 'ana')!.id
    expect(await fail('staff.setActive', { staffId: anaId, active: false }, admin)).toMatchObject({ code: 'LAST_ADMIN' })
    expect(await fail('staff.update', { staffId: anaId, role: 'principal', schoolIds: [school] }, admin)).toMatchObject({ code: 'LAST_ADMIN' })
    expect(audits('staff.setActive').map((r) => JSON.parse(r.after!).active)).toEqual([false, true])
  })

  it('resets a password: a new one-time password, the old one and its sessions gone', async () => {
    const sec = await ok(t.core, 'staff.create', { username: 'sec', displayName: 'Sec Rétaire', role: 'secretary', schoolIds: [school] }, admin)
    const token = (await ok(t.core, 'auth.signIn', { username: 'sec', password: sec.oneTimePassword })).token
    await ok(t.core, 'auth.changePassword', { currentPassword: sec.oneTimePassword, newPassword: 'trois chats sur le toit' }, token)
    const reset = await ok(t.core, 'staff.resetPassword', { staffId: sec.account.id }, admin)
    expect(reset.oneTimePassword).not.toBe(sec.oneTimePassword)
    expect(reset.account.mustChangePassword).toBe(true)
    expect(await fail('auth.session', {}, token)).toMatchObject({ code: 'NOT_SIGNED_IN' })
    expect(await fail('auth.signIn', { username: 'sec', password: 'trois chats sur le toit' })).toMatchObject({ code: 'BAD_CREDENTIALS' })
    expect((await ok(t.core, 'auth.signIn', { username: 'sec', password: reset.oneTimePassword })).mustChangePassword).toBe(true)
  })

  it('keeps a personal kiosk PIN, confirmed by the password, hashed', async () => {
    expect(await fail('auth.setPin', { password: 'wrong', pin: '2468' }, admin)).toMatchObject({ code: 'BAD_CREDENTIALS' })
    expect(await ok(t.core, 'auth.setPin', { password: 'secret-pass', pin: '2468' }, admin)).toEqual({ hasPin: true })
    const row = t.core.connection.raw.prepare(`SELECT pin_hash FROM staff WHERE username = 'ana'`).get() as { pin_hash: string }
    expect(row.pin_hash).toMatch(/^scrypt\$/)
    expect(JSON.stringify(audits('auth.setPin'))).not.toContain('2468')
    expect((await fail('auth.setPin', { password: 'secret-pass', pin: '12' }, admin)).code).toBe('INVALID_INPUT')
  })
})

describe('failed sign-ins and unlocks', () => {
  it('slows down after three failures, locks after six for 15 minutes on the clock, then lets the right password in', async () => {
    const wrong = () => fail('auth.signIn', { username: 'ana', password: 'nope' })
    for (let i = 0; i < 3; i++) expect((await wrong()).code).toBe('BAD_CREDENTIALS')
    // Even the right password waits: the count is the name's, not the password's.
    expect(await fail('auth.signIn', { username: 'ana', password: 'secret-pass' })).toMatchObject({ code: 'SIGN_IN_WAIT', message: 'Trop d’essais manqués. Réessayez dans 5 secondes.' })
    t.clock.ms += 5_000
    expect((await wrong()).code).toBe('BAD_CREDENTIALS')
    t.clock.ms += 10_000
    expect((await wrong()).code).toBe('BAD_CREDENTIALS')
    t.clock.ms += 20_000
    expect((await wrong()).code).toBe('BAD_CREDENTIALS')
    const locked = await fail('auth.signIn', { username: 'ana', password: 'secret-pass' }, undefined, 'en-CA')
    expect(locked).toMatchObject({ code: 'SIGN_IN_LOCKED' })
    expect(locked.message).toMatch(/locked for 15 minutes/)
    t.clock.ms += LOCKED_FOR_MS - 60_000
    expect((await fail('auth.signIn', { username: 'ANA', password: 'secret-pass' })).code).toBe('SIGN_IN_LOCKED')
    t.clock.ms += 60_000
    await ok(t.core, 'auth.signIn', { username: 'ana', password: 'secret-pass' })
    // A name nobody has is treated the same way.
    for (let i = 0; i < 3; i++) await fail('auth.signIn', { username: 'personne', password: 'x' })
    expect((await fail('auth.signIn', { username: 'personne', password: 'x' })).code).toBe('SIGN_IN_WAIT')
    expect(audits('auth.signIn').filter((r) => r.detail?.includes('bad_credentials')).length).toBe(9)
  })

  it('counts failed unlocks with the sign-ins: the lock screen is no way around the lock', async () => {
    t.clock.ms += 16 * 60_000
    expect((await fail('students.search', { query: '' }, admin)).code).toBe('SESSION_LOCKED')
    for (let i = 0; i < 3; i++) expect((await fail('auth.unlock', { password: 'nope' }, admin)).code).toBe('BAD_CREDENTIALS')
    expect((await fail('auth.unlock', { password: 'secret-pass' }, admin)).code).toBe('SIGN_IN_WAIT')
    expect((await fail('auth.signIn', { username: 'ana', password: 'secret-pass' })).code).toBe('SIGN_IN_WAIT')
    t.clock.ms += 5_000
    expect((await ok(t.core, 'auth.unlock', { password: 'secret-pass' }, admin)).locked).toBe(false)
  })
})

describe('first start', () => {
  it('creates the first admin with a password of their own, once; a fixed file offers no demo', async () => {
    const { dir, cleanup } = tempDir()
    const clock = { ms: Date.parse(T0) }
    const core = await openWorkspace({ boardFile: join(dir, 'guichet.sqlite'), appVersion: 'test', nowMs: () => clock.ms, demoAnchor: new Date(T0) })
    try {
      expect(await ok(core, 'setup.state', {})).toEqual({ firstStart: true, workspace: 'board' })
      const weak = await core.dispatch({ method: 'setup.createAdmin', input: { username: 'gestion', displayName: 'Lise Gestion', password: 'guichet' } })
      expect(weak).toMatchObject({ ok: false, error: { code: 'PASSWORD_REFUSED' } })
      const view = await ok(core, 'setup.createAdmin', { username: 'gestion', displayName: 'Lise Gestion', password: 'Un érable au bord du lac' })
      expect(view).toMatchObject({ staff: { username: 'gestion', role: 'admin' }, mustChangePassword: false })
      expect(await ok(core, 'setup.state', {})).toEqual({ firstStart: false, workspace: 'board' })
      expect(await core.dispatch({ method: 'setup.createAdmin', input: { username: 'autre', displayName: 'Autre Personne', password: 'Un érable au bord du lac' } })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } })
      expect(await core.dispatch({ method: 'setup.tryDemo', input: {} })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } })
      expect(core.connection.raw.prepare(`SELECT count(*) AS n FROM schools`).get()).toEqual({ n: 0 })
      await ok(core, 'students.search', { query: '' }, view.token)
    } finally {
      await core.close()
      cleanup()
    }
    expect(await fail('setup.tryDemo', {})).toMatchObject({ code: 'WORKSPACE_FIXED' })
  })

  it('opens the demo in its own file and leaves it back to the untouched first screen', async () => {
    const { dir, cleanup } = tempDir()
    const core = await openWorkspace({ boardFile: join(dir, 'guichet.sqlite'), appVersion: 'test', nowMs: () => Date.parse(T0), demoAnchor: new Date(T0) })
    try {
      await ok(core, 'setup.tryDemo', {})
      expect(await ok(core, 'setup.state', {})).toEqual({ firstStart: false, workspace: 'demo' })
      expect((await ok(core, 'system.info', {})).demo).toBe(true)
      expect(core.connection.raw.name).toBe(join(dir, 'guichet-demo.sqlite'))
      await ok(core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })
      await ok(core, 'setup.leaveDemo', {})
      expect(await ok(core, 'setup.state', {})).toEqual({ firstStart: true, workspace: 'board' })
      expect((await ok(core, 'system.info', {})).demo).toBe(false)
      expect(existsSync(join(dir, 'guichet-demo.sqlite'))).toBe(false)
      expect(core.connection.raw.prepare(`SELECT count(*) AS n FROM students`).get()).toEqual({ n: 0 })
    } finally {
      await core.close()
      cleanup()
    }
  }, 60_000)
})
