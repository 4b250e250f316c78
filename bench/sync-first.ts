import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { Faults } from '../central/faults'
import { seedCentral } from '../central/seed'
import { startCentralServer } from '../central/server'
import { ParentSimulator } from '../central/simulator'
import { CentralStore, VirtualClock } from '../central/store'
import { createCore } from '../src/core'
import type { SecretBox } from '../src/core/services/secrets'
import type { BenchResult } from './types'

/** The bench keeps its token in a throwaway box: sealing is not what is measured. */
const benchBox: SecretBox = {
  scheme: 'bench-box',
  seal: (plain) => Buffer.from(plain, 'utf8'),
  open: (sealed) => sealed.toString('utf8'),
}

/**
 * The tables a first sync fills, parents before children (foreign keys on), for the bare insert.
 * Rows are copied out of the synced database, so the bare insert writes exactly the same rows.
 */
const TABLES = [
  'classes',
  'guardians',
  'students',
  'student_guardians',
  'offerings',
  'offering_targets',
  'offering_variants',
  'program_dates',
  'outings',
  'offering_questions',
  'orders',
  'order_lines',
  'payments',
  'refunds',
  'refund_events',
  'consents',
  'waivers',
] as const

const round = (x: number) => Math.round(x * 10) / 10

/**
 * The first sync of a 1,500-student school with a school year of activity: the reference server
 * (central/, its own store, over HTTP on 127.0.0.1, in this process) holds the full-year demo
 * board; Guichet is a fresh database with its migrations only, enrolled, and the pull brings
 * everything. Compared with a bare better-sqlite3 bulk insert of the same rows into the same
 * tables (prepared statements, one transaction) on another fresh database, in the same run.
 */
export async function benchSyncFirst(dir: string): Promise<BenchResult> {
  const anchor = new Date('2027-06-18T16:00:00Z')
  const clock = new VirtualClock(anchor.getTime())
  const store = await CentralStore.open({ clock, ...(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, schema: 'bench_sync_first', temporary: true } : {}) })
  const seedStarted = performance.now()
  const seeded = await seedCentral(store, { anchor, studentsPerSchool: [1500, 100], fullYear: true })
  const seedMs = performance.now() - seedStarted
  const server = await startCentralServer({ store, faults: new Faults(), simulator: new ParentSimulator({ store, clock, seed: 1 }), logError: (e) => console.error(e) })
  const sizes: Array<{ id: string; n: number }> = []
  for (const s of await store.schools()) sizes.push({ id: s.id, n: (await store.records('student', s.id)).length })
  const big = sizes.sort((a, b) => b.n - a.n)[0]!
  const file = join(dir, 'sync-first.sqlite')
  const core = await createCore({ file, appVersion: 'bench', nowMs: () => anchor.getTime(), secretBox: () => benchBox, sync: { pageSize: 1000 } })
  let figures: Record<string, number>
  try {
    const { code } = await store.createEnrollmentCode({ schoolIds: [big.id] })
    await core.connection.db.transaction().execute((trx) => core.sync.enroll(trx, { centralUrl: server.url, code, deviceName: 'Banc' }, anchor.toISOString()))

    const started = performance.now()
    const run = await core.sync.kick()
    const syncMs = performance.now() - started
    if (!run.ok) throw new Error(`sync failed: ${JSON.stringify(run.error)}`)

    const raw = core.connection.raw
    const changes = (await store.feed(big.id)).length
    const lines = raw.prepare('SELECT count(*) FROM order_lines').pluck().get() as number
    const orders = raw.prepare('SELECT count(*) FROM orders').pluck().get() as number
    // Everything came: the board's orders and lines, each once.
    const boardOrders = await store.records('order', big.id)
    const boardLines = boardOrders.reduce((n, o) => n + o.lines.length, 0)
    if (orders !== boardOrders.length || lines !== boardLines) throw new Error(`incomplete first sync: ${orders}/${boardOrders.length} orders, ${lines}/${boardLines} lines`)

    // The same rows, read out of the synced database, then written bare into a fresh one.
    const rows = TABLES.map((t) => ({ table: t, rows: raw.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[][], columns: raw.prepare(`SELECT * FROM ${t} LIMIT 0`).columns().map((c) => c.name) }))
    const totalRows = rows.reduce((n, t) => n + t.rows.length, 0)
    const bareFile = join(dir, 'sync-first-bare.sqlite')
    const migrated = await createCore({ file: bareFile, appVersion: 'bench', nowMs: () => anchor.getTime() })
    await migrated.close()
    const bare = new Database(bareFile)
    bare.pragma('journal_mode = WAL')
    // Guichet's pragmas (src/core/db/connection.ts): the same file settings on both sides.
    bare.pragma('synchronous = FULL')
    bare.pragma('foreign_keys = ON')
    bare.prepare('INSERT INTO schools (id, code, name) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(big.id, big.id, big.id)
    const bareStarted = performance.now()
    bare.transaction(() => {
      for (const t of rows) {
        const insert = bare.prepare(`INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`)
        for (const r of t.rows) insert.run(r)
      }
    })()
    const bareMs = performance.now() - bareStarted
    bare.close()

    const ratio = syncMs / bareMs
    figures = {
      'board seeded (ms)': Math.round(seedMs),
      'students in the school': big.n,
      'changes in its feed': changes,
      'board changes (2 schools)': seeded.changes,
      orders,
      'order lines': lines,
      'changes + lines': changes + lines,
      'rows written': totalRows,
      'first sync (ms)': Math.round(syncMs),
      'changes/s': Math.round(changes / (syncMs / 1000)),
      'changes+lines/s': Math.round((changes + lines) / (syncMs / 1000)),
      'lines/s': Math.round(lines / (syncMs / 1000)),
      'bare insert (ms)': Math.round(bareMs),
      'bare rows/s': Math.round(totalRows / (bareMs / 1000)),
      'ratio sync / bare': round(ratio),
      'target met (≤ 3×: 1, else 0)': ratio <= 3 ? 1 : 0,
    }
    console.log(`sync-first: ${round(ratio)}× the bare insert — target (within 3×) ${ratio <= 3 ? 'met' : 'NOT met'}`)
  } finally {
    await core.close()
    await server.close()
    await store.close()
  }
  return { name: 'First sync of a 1,500-student school, a school year of activity (reference server over HTTP)', figures }
}
