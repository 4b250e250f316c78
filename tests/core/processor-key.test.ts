import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { localKeyBox } from '../../src/core/adapters/secrets/local-key-box'
import { STRIPE_KEY } from '../../src/core/services/secrets'
import { Board, ok, T0, tempDir } from './fixtures'

const KEY = 'sk_test_51Guichet0123456789abcdefXYZ'
let dir: ReturnType<typeof tempDir>
let core: Core
const sessions: Record<string, string> = {}

async function start(withBox = true) {
  core = await createCore({
    file: join(dir.dir, 'g.sqlite'),
    appVersion: 'test',
    nowMs: () => Date.parse(T0),
    ...(withBox ? { secretBox: () => localKeyBox(join(dir.dir, 'g.sqlite.key')) } : {}),
  })
}

async function signInAll() {
  for (const who of ['admin', 'principal', 'secretary'] as const)
    sessions[who] = (await ok(core, 'auth.signIn', { username: who, password: 'secret-pass' })).token
}

beforeEach(async () => {
  dir = tempDir()
  await start()
  const b = new Board(core.connection.raw)
  b.staff('admin', 'admin')
  b.staff('principal', 'principal')
  b.staff('secretary', 'secretary')
  await signInAll()
})
afterEach(async () => {
  await core.close()
  dir.cleanup()
})

describe('the Stripe key', () => {
  it('is stored sealed, never in clear in the database or the audit log, and comes back after a restart', async () => {
    expect(await ok(core, 'processor.settings', {}, sessions.principal)).toMatchObject({ mode: 'demo', keyHint: null, storage: 'local-key' })
    const set = await ok(core, 'processor.setStripeKey', { secretKey: KEY }, sessions.admin)
    expect(set).toMatchObject({ mode: 'stripe', keyHint: 'sk_test_…fXYZ' })
    expect(statSync(join(dir.dir, 'g.sqlite.key')).mode & 0o777).toBe(0o600)
    // Open, the row sits in the write-ahead log; closed, in the database file. Either way the secret's
    // row is there (its name is in clear beside the ciphertext: proof the bytes read are the right ones).
    const files = (...names: string[]) => names.map((f) => readFileSync(join(dir.dir, f)).toString('latin1')).join('')
    const whileOpen = files('g.sqlite', 'g.sqlite-wal')
    await core.close()
    for (const [when, bytes] of [['open', whileOpen], ['closed', files('g.sqlite')]] as const) {
      expect(bytes.includes(STRIPE_KEY), when).toBe(true)
      expect(bytes.includes(KEY), when).toBe(false)
      expect(bytes.includes(KEY.slice(8, 30)), when).toBe(false)
    }
    await start()
    await signInAll()
    expect(await ok(core, 'processor.settings', {}, sessions.admin)).toMatchObject({ mode: 'stripe', keyHint: 'sk_test_…fXYZ' })
    const audit = core.connection.raw.prepare(`SELECT coalesce(before, '') || coalesce(after, '') || coalesce(detail, '') AS t FROM audit_log`).all() as { t: string }[]
    expect(audit.some((a) => a.t.includes(KEY.slice(8)))).toBe(false)
    expect(await ok(core, 'processor.clearStripeKey', {}, sessions.admin)).toMatchObject({ mode: 'demo', keyHint: null })
  })

  it('is the admin’s to set, must look like a Stripe secret key, and needs a place to be sealed', async () => {
    for (const who of ['principal', 'secretary'] as const) {
      const r = await core.dispatch({ method: 'processor.setStripeKey', input: { secretKey: KEY }, session: sessions[who] })
      expect(r.ok || r.error.code).toBe('FORBIDDEN')
    }
    const bad = await core.dispatch({ method: 'processor.setStripeKey', input: { secretKey: 'pk_test_notasecret1234567890' }, session: sessions.admin })
    expect(bad.ok || bad.error.issues?.[0]?.message).toMatch(/sk_live_|sk_test_/)
    expect(core.connection.raw.prepare('SELECT count(*) AS n FROM secrets').get()).toEqual({ n: 0 })
    await core.close()
    await start(false)
    await signInAll()
    const none = await core.dispatch({ method: 'processor.setStripeKey', input: { secretKey: KEY }, session: sessions.admin })
    expect(none.ok || none.error.code).toBe('SECRETS_UNAVAILABLE')
  })
})
