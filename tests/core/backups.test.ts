import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { localKeyBox } from '../../src/core/adapters/secrets/local-key-box'
import { migrate } from '../../src/core/db/migrate'
import { migrations } from '../../src/core/db/migrations'
import { Board, count, ok, T0, tempDir } from './fixtures'

const KEY = 'sk_test_51Guichet0123456789abcdefXYZ'
const DAY = 24 * 3600 * 1000
let dir: ReturnType<typeof tempDir>
let file: string
let folder: string
let core: Core
let clock: { ms: number }
let school: string
const sessions: Record<string, string> = {}

async function start() {
  core = await createCore({ file, appVersion: 'test', nowMs: () => clock.ms, secretBox: () => localKeyBox(`${file}.key`) })
}

async function signInAll() {
  for (const who of ['admin', 'principal', 'secretary'] as const) sessions[who] = (await ok(core, 'auth.signIn', { username: who, password: 'secret-pass' })).token
}

async function fail(method: string, input: unknown, session?: string) {
  const result = await core.dispatch({ method, input, ...(session ? { session } : {}) })
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
  return result.error
}

beforeEach(async () => {
  dir = tempDir()
  file = join(dir.dir, 'g.sqlite')
  folder = join(dir.dir, 'cle-usb')
  mkdirSync(folder)
  clock = { ms: Date.parse(T0) }
  await start()
  const b = new Board(core.connection.raw)
  b.staff('admin', 'admin')
  b.staff('principal', 'principal')
  b.staff('secretary', 'secretary')
  school = b.school()
  await signInAll()
})
afterEach(async () => {
  await core.close()
  dir.cleanup()
})

describe('the backup folder', () => {
  it('is checked writable before it is kept, with a clear refusal that changes nothing', async () => {
    const missing = await fail('backups.setFolder', { folder: join(dir.dir, 'absente') }, sessions.admin)
    expect(missing).toMatchObject({ code: 'BACKUP_FOLDER' })
    expect(missing.message).toContain('Ce dossier est introuvable : la clé USB ou le partage réseau est-il branché?')
    expect((await fail('backups.setFolder', { folder: 'relatif/dossier' }, sessions.admin)).message).toContain('chemin complet')
    writeFileSync(join(dir.dir, 'un-fichier'), 'x')
    expect((await fail('backups.setFolder', { folder: join(dir.dir, 'un-fichier') }, sessions.admin)).message).toContain('n’est pas un dossier')
    if (process.getuid?.() !== 0) {
      const readOnly = join(dir.dir, 'protegee')
      mkdirSync(readOnly)
      chmodSync(readOnly, 0o500)
      expect((await fail('backups.setFolder', { folder: readOnly }, sessions.admin)).message).toContain('ne peut pas écrire')
    }
    expect((await ok(core, 'backups.list', {}, sessions.admin)).folder).toBeNull()
    expect((await fail('backups.setFolder', { folder }, sessions.principal)).code).toBe('FORBIDDEN')
    expect(await ok(core, 'backups.setFolder', { folder }, sessions.admin)).toEqual({ folder })
    expect((await ok(core, 'backups.list', {}, sessions.admin)).folder).toBe(folder)
  })
})

describe('a backup', () => {
  beforeEach(async () => {
    await ok(core, 'backups.setFolder', { folder }, sessions.admin)
  })

  it('is an online copy, checked, listed with its time, size and result, one file with no WAL beside it', async () => {
    const entry = await ok(core, 'backups.run', {}, sessions.admin)
    expect(entry).toMatchObject({ at: T0, ok: true, reason: 'manual', schemaVersion: migrations.length, problem: null })
    expect(entry.sizeBytes).toBeGreaterThan(10_000)
    expect((await ok(core, 'backups.list', {}, sessions.admin)).backups).toEqual([entry])
    expect(readdirSync(folder).sort()).toEqual([entry.name, `${entry.name}.json`])
    const copy = new Database(join(folder, entry.name), { readonly: true })
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
    expect(copy.prepare(`SELECT count(*) AS n FROM staff`).get()).toEqual({ n: 3 })
    // The copy says it was taken, and by whom: its audit row was written before the copy.
    expect(copy.prepare(`SELECT actor, action FROM audit_log WHERE action = 'backups.run'`).all()).toEqual([{ actor: 'admin (test)', action: 'backups.run' }])
    copy.close()
  })

  it('never holds a secret in clear, and the browser-mode key file is never copied', async () => {
    await ok(core, 'processor.setStripeKey', { secretKey: KEY }, sessions.admin)
    const entry = await ok(core, 'backups.run', {}, sessions.admin)
    const bytes = readFileSync(join(folder, entry.name)).toString('latin1')
    expect(bytes.includes(KEY.slice(8, 30))).toBe(false)
    expect(readdirSync(folder).some((f) => f.endsWith('.key'))).toBe(false)
    const copy = new Database(join(folder, entry.name), { readonly: true })
    expect(count(copy, 'secrets')).toBe(1)
    copy.close()
  })

  it('runs by itself once each day the app runs, and keeps 14 days and 12 month-ends', async () => {
    expect(await core.backups.runIfDue()).toMatchObject({ reason: 'daily', ok: true })
    expect(await core.backups.runIfDue()).toBeNull()
    clock.ms += DAY
    expect(await core.backups.runIfDue()).toMatchObject({ reason: 'daily' })
    // Into January: the last 14 days are left, and November's month-end (the rule's every case: tests/unit).
    for (let d = 0; d < 44; d += 1) {
      clock.ms += DAY
      await core.backups.runIfDue()
    }
    await signInAll()
    const { backups } = await ok(core, 'backups.list', {}, sessions.admin)
    const days = backups.map((b) => b.at.slice(0, 10))
    expect(days.slice(0, 14)).toEqual([...Array(14).keys()].map((i) => new Date(clock.ms - i * DAY).toISOString().slice(0, 10)))
    expect(days.slice(14)).toEqual(['2026-11-30'])
    expect(readdirSync(folder)).toHaveLength(2 * 15)
  })

  it('says on the dashboard when the last good one is older than two days, or there is none', async () => {
    expect(await ok(core, 'backups.status', {}, sessions.secretary)).toMatchObject({ folderSet: true, lastGoodAt: null, stale: true })
    await ok(core, 'backups.run', {}, sessions.admin)
    expect(await ok(core, 'backups.status', {}, sessions.secretary)).toMatchObject({ lastGoodAt: T0, stale: false })
    clock.ms += 2 * DAY + 1000
    await signInAll()
    expect(await ok(core, 'backups.status', {}, sessions.secretary)).toMatchObject({ lastGoodAt: T0, stale: true })
  })
})

describe('before a migration', () => {
  it('the database is backed up, beside it when no folder is chosen', async () => {
    await core.close()
    const older = join(dir.dir, 'older.sqlite')
    const raw = new Database(older)
    migrate(raw, migrations.slice(0, migrations.length - 1))
    new Board(raw).school('École d’avant')
    raw.close()
    const updated = await createCore({ file: older, appVersion: 'test', nowMs: () => clock.ms })
    await updated.close()
    const beside = join(dir.dir, 'guichet-sauvegardes')
    const names = readdirSync(beside).filter((f) => f.endsWith('.sqlite'))
    expect(names).toHaveLength(1)
    const manifest = JSON.parse(readFileSync(join(beside, `${names[0]}.json`), 'utf8')) as { reason: string; ok: boolean; schemaVersion: number }
    expect(manifest).toMatchObject({ reason: 'migration', ok: true, schemaVersion: migrations.length - 1 })
    const copy = new Database(join(beside, names[0]!), { readonly: true })
    expect(copy.prepare('SELECT name FROM schools').all()).toEqual([{ name: 'École d’avant' }])
    copy.close()
    await start()
  })
})

describe('restore', () => {
  beforeEach(async () => {
    await ok(core, 'backups.setFolder', { folder }, sessions.admin)
  })

  it('puts the backup back after checking it, sets the current file aside, signs everyone out, and says so in the audit log', async () => {
    await ok(core, 'refunds.setThreshold', { schoolId: school, thresholdCents: 5000 }, sessions.principal)
    await ok(core, 'processor.setStripeKey', { secretKey: KEY }, sessions.admin)
    const backup = await ok(core, 'backups.run', {}, sessions.admin)
    clock.ms += 60_000
    await ok(core, 'refunds.setThreshold', { schoolId: school, thresholdCents: 9000 }, sessions.principal)

    const restored = await ok(core, 'backups.restore', { name: backup.name }, sessions.admin)
    expect(restored).toEqual({ dataAsOf: T0, setAside: 'g.sqlite.avant-restauration-2026-11-20T15-01-00-000Z' })
    expect(existsSync(join(dir.dir, restored.setAside))).toBe(true)
    const aside = new Database(join(dir.dir, restored.setAside), { readonly: true })
    expect(aside.prepare('SELECT refund_approval_threshold_cents AS t FROM schools').get()).toEqual({ t: 9000 })
    aside.close()

    // Everyone is signed out but the admin who asked.
    expect((await fail('refunds.settings', { schoolId: school }, sessions.principal)).code).toBe('NOT_SIGNED_IN')
    expect((await ok(core, 'backups.list', {}, sessions.admin)).backups).toHaveLength(1)
    await signInAll()
    expect(await ok(core, 'refunds.settings', { schoolId: school }, sessions.principal)).toEqual({ thresholdCents: 5000 })
    // The sealed key came back with the data and still opens with this PC's key file.
    expect(await ok(core, 'processor.settings', {}, sessions.admin)).toMatchObject({ mode: 'stripe' })
    const log = await ok(core, 'audit.list', { kind: 'settings' }, sessions.principal)
    expect(log.rows.map((r) => r.action)).toEqual(['backups.restore', 'backups.run', 'processor.setStripeKey', 'backups.setFolder'])
    expect(JSON.parse(log.rows[0]!.detail!)).toEqual({ dataAsOf: T0, setAside: restored.setAside })
    expect(log.rows[0]!.actor).toBe('admin (test)')
  })

  it('refuses a corrupted backup with a clear message, and changes nothing', async () => {
    const backup = await ok(core, 'backups.run', {}, sessions.admin)
    await ok(core, 'refunds.setThreshold', { schoolId: school, thresholdCents: 7000 }, sessions.principal)
    const path = join(folder, backup.name)
    const bytes = readFileSync(path)
    // Scribble over pages in the middle of the file (a bad sector, a key pulled out mid-write).
    for (let i = Math.floor(bytes.length / 3); i < Math.floor(bytes.length / 3) + 8192; i += 1) bytes[i] = 0x5a
    writeFileSync(path, bytes)
    const error = await fail('backups.restore', { name: backup.name }, sessions.admin)
    expect(error.code).toBe('RESTORE_REFUSED')
    expect(error.message).toBe('Cette sauvegarde est endommagée (la vérification d’intégrité a échoué) : elle est refusée, rien n’a changé. Choisissez-en une autre.')
    expect(await ok(core, 'refunds.settings', { schoolId: school }, sessions.principal)).toEqual({ thresholdCents: 7000 })
    expect(readdirSync(dir.dir).filter((f) => f.includes('avant-restauration') || f.endsWith('.restauration'))).toEqual([])
    expect((await fail('backups.restore', { name: 'guichet-2020-01-01T00-00-00-000Z.sqlite' }, sessions.admin)).message).toContain('est introuvable')
    expect((await fail('backups.restore', { name: backup.name }, sessions.principal)).code).toBe('FORBIDDEN')
  })
})
