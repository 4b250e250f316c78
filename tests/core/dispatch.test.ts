import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { handlers } from '../../src/core/api'
import { contract } from '../../src/shared/contract'
import { count, ok, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string

beforeEach(async () => {
  t = await testCore()
  t.board.staff('sophie', 'secretary')
  t.board.staff('marc', 'principal')
  t.board.staff('ana', 'admin')
  t.board.staff('gone', 'secretary', 'secret-pass', 0)
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
})
afterEach(() => t.cleanup())

async function fail(method: string, input: unknown, session?: string, locale?: string) {
  const result = await t.core.dispatch({ method, input, ...(session ? { session } : {}), ...(locale ? { locale } : {}) })
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
  return result.error
}

describe('the handler map', () => {
  it('covers the contract exactly', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort())
  })
})

describe('dispatch refuses, in the caller’s language, and changes nothing', () => {
  it('an unknown method', async () => {
    const fr = await fail('students.drop', {}, secretary)
    expect(fr).toMatchObject({ code: 'UNKNOWN_METHOD', message: 'Cette opération n’existe pas dans cette version de Guichet : rechargez la page ou redémarrez Guichet.' })
    const en = await fail('students.drop', {}, undefined, 'en-CA')
    expect(en.message).toBe('This operation does not exist in this version of Guichet: reload the page or restart Guichet.')
  })

  it('bad input, with one translated issue per field', async () => {
    const auditBefore = count(t.core.connection.raw, 'audit_log')
    const error = await fail('auth.setLanguage', { language: 'de', extra: 1 }, secretary)
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toBe('Certaines informations sont invalides. Rien n’a été modifié.')
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'language', message: 'Choix invalide.' },
        { path: '', message: 'Un champ inattendu a été envoyé : rechargez l’écran et réessayez.' },
      ]),
    )
    const missing = await fail('auth.signIn', { username: 'sophie' })
    expect(missing.issues).toEqual([{ path: 'password', message: 'Ce champ est obligatoire.' }])
    expect(count(t.core.connection.raw, 'audit_log')).toBe(auditBefore)
    const staff = t.core.connection.raw.prepare(`SELECT language FROM staff WHERE username = 'sophie'`).get()
    expect(staff).toEqual({ language: 'fr' })
  })

  it('a call without a session, or with a forged one', async () => {
    expect((await fail('students.search', {})).code).toBe('NOT_SIGNED_IN')
    expect((await fail('students.search', {}, 'forged-token')).code).toBe('NOT_SIGNED_IN')
  })

  it('the wrong role', async () => {
    expect(await fail('audit.list', {}, secretary)).toMatchObject({ code: 'FORBIDDEN', message: 'Votre rôle ne permet pas cette opération.' })
    const principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
    expect((await ok(t.core, 'audit.list', {}, principal)).rows.length).toBeGreaterThan(0)
    expect((await fail('settings.setLockAfter', { seconds: 120 }, principal)).code).toBe('FORBIDDEN')
    const admin = (await ok(t.core, 'auth.signIn', { username: 'ana', password: 'secret-pass' })).token
    expect(await ok(t.core, 'settings.setLockAfter', { seconds: 120 }, admin)).toEqual({ seconds: 120 })
  })

  it('rolls back everything a failing handler wrote, audit included', async () => {
    const spy = vi.spyOn(handlers, 'auth.setLanguage').mockImplementation(async (_input, ctx) => {
      await ctx.db.updateTable('staff').set({ language: 'en' }).execute()
      throw new Error('disk on fire')
    })
    const auditBefore = count(t.core.connection.raw, 'audit_log')
    const error = await fail('auth.setLanguage', { language: 'en' }, secretary)
    spy.mockRestore()
    expect(error).toEqual({ code: 'INTERNAL', message: 'Une erreur inattendue est survenue. Rien n’a été modifié.' })
    expect(t.core.connection.raw.prepare(`SELECT count(*) AS n FROM staff WHERE language = 'en'`).get()).toEqual({ n: 0 })
    expect(count(t.core.connection.raw, 'audit_log')).toBe(auditBefore)
  })

  it('a thing not found, named by its kind, never by the caller’s input and with no placeholder left', async () => {
    const hostile = "'; DROP TABLE students;--<b>\u0000"
    const item = await fail('catalogue.get', { id: hostile }, secretary)
    expect(item).toMatchObject({ code: 'NOT_FOUND', message: 'Cet article est introuvable. Rechargez l’écran et réessayez : l’information a peut-être changé entre-temps.' })
    const outing = await fail('outings.get', { id: 'nope' }, secretary)
    expect(outing.message).toBe('Cette sortie est introuvable. Rechargez l’écran et réessayez : l’information a peut-être changé entre-temps.')
    for (const e of [item, outing]) expect(e.message).not.toMatch(/[{}]|DROP|nope/)
  })

  it('an impossible date, on its field, before any handler runs', async () => {
    for (const [method, input, field] of [
      ['orders.list', { from: '2025-02-30' }, 'from'],
      ['orders.list', { to: '2099-13-45' }, 'to'],
      ['reports.money', { from: '2025-02-01', to: '2025-02-30' }, 'to'],
      ['reports.ordersXlsx', { from: '2025-02-31', to: '2025-03-01' }, 'from'],
      ['reports.programDates', { from: '2025-02-30', to: '2025-03-01' }, 'from'],
    ] as const) {
      const error = await fail(method, input, secretary)
      expect(error.code, method).toBe('INVALID_INPUT')
      expect(error.issues, method).toContainEqual({ path: field, message: 'Cette date n’existe pas : entrez une date valide.' })
    }
  })

  it('never returns an output that breaks its schema', async () => {
    const spy = vi.spyOn(handlers, 'schools.list').mockResolvedValue([{ id: 'x' }] as never)
    const error = await fail('schools.list', {}, secretary)
    spy.mockRestore()
    expect(error.code).toBe('INTERNAL')
  })
})

describe('sign-in and the session', () => {
  it('audits a sign-in and a failed one, and creates no session on failure', async () => {
    const error = await fail('auth.signIn', { username: 'sophie', password: 'wrong' }, undefined, 'en-CA')
    expect(error).toMatchObject({ code: 'BAD_CREDENTIALS', message: 'Wrong username or password.' })
    expect((await fail('auth.signIn', { username: 'nobody', password: 'x' })).code).toBe('BAD_CREDENTIALS')
    expect((await fail('auth.signIn', { username: 'gone', password: 'secret-pass' })).code).toBe('ACCOUNT_DISABLED')
    const rows = t.core.connection.raw.prepare(`SELECT actor, action, detail, staff_id FROM audit_log ORDER BY seq`).all() as Array<Record<string, string | null>>
    expect(rows.map((r) => [r.actor, JSON.parse(r.detail ?? '{}').outcome])).toEqual([
      ['sophie (test)', 'signed_in'],
      ['sophie', 'bad_credentials'],
      ['nobody', 'bad_credentials'],
      ['gone', 'disabled'],
    ])
    expect(rows.every((r) => !String(r.detail).includes('wrong'))).toBe(true)
  })

  it('takes the username in any case', async () => {
    expect((await ok(t.core, 'auth.signIn', { username: 'SOPHIE', password: 'secret-pass' })).staff.username).toBe('sophie')
  })

  it('locks after inactivity, lets the session be looked at, and unlocks with the password', async () => {
    await ok(t.core, 'students.search', {}, secretary)
    t.clock.ms += 9 * 60 * 1000
    await ok(t.core, 'students.search', {}, secretary)
    t.clock.ms += 9 * 60 * 1000 // activity above restarted the delay
    expect((await ok(t.core, 'auth.session', {}, secretary)).locked).toBe(false)
    t.clock.ms += 60 * 1000
    expect((await ok(t.core, 'auth.session', {}, secretary)).locked).toBe(true)
    expect((await fail('students.search', {}, secretary)).code).toBe('SESSION_LOCKED')
    expect((await fail('auth.unlock', { password: 'nope' }, secretary)).code).toBe('BAD_CREDENTIALS')
    expect((await fail('students.search', {}, secretary)).code).toBe('SESSION_LOCKED')
    expect((await ok(t.core, 'auth.unlock', { password: 'secret-pass' }, secretary)).locked).toBe(false)
    await ok(t.core, 'students.search', {}, secretary)
  })

  it('uses the delay the admin sets, for open sessions too', async () => {
    const admin = (await ok(t.core, 'auth.signIn', { username: 'ana', password: 'secret-pass' })).token
    await ok(t.core, 'settings.setLockAfter', { seconds: 60 }, admin)
    t.clock.ms += 61 * 1000
    expect((await fail('students.search', {}, secretary)).code).toBe('SESSION_LOCKED')
    expect((await fail('settings.setLockAfter', { seconds: 10 }, admin)).code).toBe('SESSION_LOCKED')
  })

  it('signs out for good', async () => {
    await ok(t.core, 'auth.signOut', {}, secretary)
    expect((await fail('students.search', {}, secretary)).code).toBe('NOT_SIGNED_IN')
  })

  it('keeps the language per staff member, with before and after in the audit log', async () => {
    const staff = await ok(t.core, 'auth.setLanguage', { language: 'en' }, secretary)
    expect(staff.language).toBe('en')
    expect((await fail('audit.list', {}, secretary)).message).toBe('Your role does not allow this operation.')
    const row = t.core.connection.raw.prepare(`SELECT before, after FROM audit_log WHERE action = 'auth.setLanguage'`).get()
    expect(row).toEqual({ before: '{"language":"fr"}', after: '{"language":"en"}' })
    const again = await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })
    expect(again.staff.language).toBe('en')
  })

  it('keeps the audit log append-only', () => {
    expect(() => t.core.connection.raw.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    expect(() => t.core.connection.raw.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/)
  })
})
