import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ANCHOR } from '../../central/helpers'
import { ok } from '../fixtures'
import { centralRecords, enrolRig, localRecords, openCore, startRig, type SyncRig } from './helpers'

/**
 * Guichet's sync killed (SIGKILL) in a child process, then started again in the parent on the
 * same file: mid-pull (after some pages, before the last), and mid-push (the board committed the
 * mutations, and the answer never came back). After the second sync both sides hold the same
 * records, nothing lost and nothing doubled, and every outbox mutation was applied once at the
 * board.
 */
const CHILD = resolve(__dirname, '../../support/sync-crash-child.ts')

let rig: SyncRig | undefined
afterEach(async () => {
  await rig?.close()
  rig = undefined
})

function startChild(file: string, options: { pageSize: number; applyBatch: number; backoffMs: number }): { child: ChildProcess; output: () => string } {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, SYNC_DB: file, SYNC_NOW: ANCHOR, SYNC_PAGE_SIZE: String(options.pageSize), SYNC_APPLY_BATCH: String(options.applyBatch), SYNC_BACKOFF_MS: String(options.backoffMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  return { child, output: () => output }
}

async function until(what: string, test: () => boolean | Promise<boolean>, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; child said: ${output()}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) throw new Error(`the child exited by itself (${child.exitCode})`)
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGKILL')
  await exited
}

/** Reads the file as the child leaves it (WAL: the committed transactions only). */
function peek<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/** Enrols without the sync that `sync.enroll` starts: the child is the one that syncs. */
async function enrolQuietly(r: SyncRig): Promise<void> {
  const { code } = await r.central.store.createEnrollmentCode()
  const now = new Date(r.clock.ms).toISOString()
  await r.core.connection.db.transaction().execute((trx) => r.core.sync.enroll(trx, { centralUrl: r.central.url, code, deviceName: 'Poste du secrétariat' }, now))
}

async function expectConverged(r: SyncRig): Promise<void> {
  const raw = r.core.connection.raw
  for (const school of await r.central.store.schools()) {
    const local = localRecords(raw, school.id)
    expect(local, school.name).toEqual(await centralRecords(r.central, school.id))
    for (const [kind, rows] of Object.entries(local)) expect(new Set(rows.map((x) => x.id)).size, `${school.name} ${kind}`).toBe(rows.length)
    expect(raw.prepare('SELECT last_seq FROM sync_state WHERE school_id = ?').pluck().get(school.id)).toBe(await r.central.store.headSeq(school.id))
  }
  // Lines by id, against the board's (they travel inside their order).
  const lines = raw.prepare('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM order_lines').get() as { n: number; ids: number }
  let boardLines = 0
  for (const s of await r.central.store.schools()) boardLines += (await r.central.store.records('order', s.id)).reduce((m, o) => m + o.lines.length, 0)
  expect(lines).toEqual({ n: boardLines, ids: boardLines })
}

describe('sync killed in the middle, then started again', () => {
  it('mid-pull: the pages applied stay with their cursor, the rest comes on restart, nothing doubled', { timeout: 120_000 }, async () => {
    rig = await startRig({ simulatorSeed: 3 })
    const r = rig
    await enrolQuietly(r)
    // Two days of parents online: orders, payments, consents the office has not seen.
    expect((await r.central.simulator.advance(48 * 3600_000)).length).toBeGreaterThan(0)
    await r.core.close()

    const head = await r.central.store.headSeq(r.school)
    const pageSize = 25
    expect(head).toBeGreaterThan(pageSize * 8)
    // Every page takes a while to come: the kill lands between pages, or in one.
    r.central.faults.inject({ kind: 'delay', delayMs: 40 }, { endpoint: 'changes', times: 10_000 })
    const { child, output } = startChild(r.file, { pageSize, applyBatch: pageSize * 2, backoffMs: 5 })
    const cursor = () => peek(r.file, (db) => (db.prepare('SELECT last_seq FROM sync_state WHERE school_id = ?').pluck().get(r.school) as number | undefined) ?? 0)
    // Two pages per transaction: the cursor moves every other page.
    await until('a few pages pulled', () => cursor() >= pageSize * 4, output)
    await kill(child)
    r.central.faults.off()

    const left = cursor()
    expect(left).toBeGreaterThanOrEqual(pageSize * 4)
    expect(left).toBeLessThan(head)
    // The cursor stands on the last change of a page that was applied whole.
    const seqs = (await r.central.store.feed(r.school)).map((c) => c.seq)
    expect(seqs).toContain(left)

    r.core = await openCore(r.file, r.clock)
    const run = await r.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    await expectConverged(r)
  })

  it('mid-push: the board committed, the answer was lost, the child died; on restart each mutation is applied once', { timeout: 120_000 }, async () => {
    rig = await startRig({ simulatorSeed: 4 })
    const r = rig
    await enrolRig(r)
    await r.central.simulator.advance(12 * 3600_000)
    // Office work: edits and closes on published items, all in the outbox.
    const raw = r.core.connection.raw
    const items = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND status = 'published' ORDER BY kind, id LIMIT 4").pluck().all(r.school) as string[]
    expect(items.length).toBe(4)
    for (const [i, id] of items.entries()) {
      const detail = await ok(r.core, 'catalogue.get', { id }, r.secretary)
      const edited = await ok(r.core, 'catalogue.update', { id, version: detail.version, draft: { ...detail.draft, descriptionFr: `Texte du bureau ${i}` } }, r.secretary)
      if (i % 2 === 0) await ok(r.core, 'catalogue.close', { id, version: edited.version }, r.secretary)
    }
    const pending = raw.prepare("SELECT id FROM outbox WHERE state = 'pending' ORDER BY seq").pluck().all() as string[]
    expect(pending.length).toBe(6)
    await r.core.close()

    const before = await r.central.store.mutationCount()
    // The first batch is committed and its answer is lost; the child then waits (long backoff).
    r.central.faults.inject('drop_response', { endpoint: 'mutations', times: 1 })
    const { child, output } = startChild(r.file, { pageSize: 200, applyBatch: 1000, backoffMs: 60_000 })
    await until('the board committing the batch, its answer lost', async () => r.central.faults.log.some((e) => e.kind === 'drop_response') && (await r.central.store.mutationCount()) >= before + pending.length, output)
    await kill(child)
    r.central.faults.off()

    // The board has them; Guichet never heard back.
    for (const id of pending) expect(await r.central.store.recordedResult(id), id).toBeDefined()
    const states = peek(r.file, (db) => db.prepare('SELECT id, state FROM outbox WHERE id IN (SELECT value FROM json_each(?)) ORDER BY seq').all(JSON.stringify(pending)))
    expect(states).toEqual(pending.map((id) => ({ id, state: 'pending' })))
    const committed = await r.central.store.mutationCount()
    expect(committed).toBe(before + pending.length)

    r.core = await openCore(r.file, r.clock)
    const run = await r.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    // Sent again, known by id: nothing applied twice.
    expect(await r.central.store.mutationCount()).toBe(committed)
    const after = r.core.connection.raw.prepare('SELECT state FROM outbox WHERE id IN (SELECT value FROM json_each(?)) ORDER BY seq').pluck().all(JSON.stringify(pending)) as string[]
    expect(after.every((s) => s === 'applied' || s === 'duplicate')).toBe(true)
    expect(await r.central.store.mutationCount()).toBe(r.core.connection.raw.prepare('SELECT count(*) FROM outbox').pluck().get())
    for (const [i, id] of items.entries()) expect(await r.central.store.record('offering', id)).toMatchObject({ descriptionFr: `Texte du bureau ${i}`, status: i % 2 === 0 ? 'closed' : 'published' })
    await expectConverged(r)
  })
})
