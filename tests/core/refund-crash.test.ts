import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStripeProcessor, type StripeProcessor } from '../../src/core/adapters/processors'
import { createCore } from '../../src/core'
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe'
import { Board, ok, tempDir, T0 } from './fixtures'

/**
 * A bulk refund of more than a hundred lines, started in a child process that is killed
 * (SIGKILL) in the middle; the parent opens the same file, asks for the bulk refund again, and
 * every line ends refunded exactly once, at the processor and in the ledger.
 *
 * - Stripe (the fake Stripe server runs here, in the parent): the child is killed while it waits
 *   for Stripe's answer to a refund that Stripe made (a time-out fault after commit), so the
 *   resumed run must find that refund again by its metadata, not make a second one.
 * - The demo processor (its memory in the same file): killed at whatever point it has reached.
 */
const CHILD = resolve(__dirname, '../support/refund-crash-child.ts')
const FAMILIES = 65 // two children each: 130 lines on the snow day

let fake: FakeStripe
beforeAll(async () => {
  fake = await startFakeStripe()
})
afterAll(async () => {
  await fake.stop()
})

interface Prepared {
  file: string
  dateId: string
  lineIds: string[]
  paymentRefs: string[]
  cleanup(): void
}

async function prepare(mode: 'stripe' | 'demo', stripe: StripeProcessor): Promise<Prepared> {
  const dir = tempDir()
  const file = join(dir.dir, 'crash.sqlite')
  const core = await createCore({ file, appVersion: 'test' })
  const b = new Board(core.connection.raw)
  const school = b.school()
  b.year(school)
  b.staff('dir', 'principal')
  const offering = b.offering(school, 'program', 'Pizza du vendredi', [['school', school]], { price: 550 })
  const dateId = 'date-snow'
  core.connection.raw
    .prepare(`INSERT INTO program_dates (id, offering_id, date, cutoff_at, status, cancel_reason) VALUES (?, ?, '2026-12-04', '2026-12-02T17:00:00.000Z', 'cancelled', 'Tempête de neige')`)
    .run(dateId, offering)
  const lineIds: string[] = []
  const paymentRefs: string[] = []
  for (let i = 0; i < FAMILIES; i++) {
    const kids = [b.student(school, 'Alex', `Famille${i}`, '2'), b.student(school, 'Sam', `Famille${i}`, '4')]
    const guardian = b.guardian('Parent', `Famille${i}`, kids)
    let ref = `demo_pi_crash_${i}`
    if (mode === 'stripe') {
      const charged = await stripe.charge({ amountCents: 1100, currency: 'cad', idempotencyKey: `crash-charge-${i}-${Date.now()}`, description: 'x', metadata: {}, method: { kind: 'test_card', card: '4242424242424242' } })
      if (charged.status !== 'succeeded') throw new Error('declined')
      ref = charged.processorRef
    }
    paymentRefs.push(ref)
    const orderId = `order-${i}`
    core.connection.raw.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(orderId, school, guardian, T0)
    kids.forEach((kid, k) => {
      const lineId = `line-${i}-${k}`
      lineIds.push(lineId)
      core.connection.raw
        .prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, program_date_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, ?, 1, 550, 550)`)
        .run(lineId, orderId, kid, offering, dateId)
    })
    core.connection.raw
      .prepare(
        `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at) VALUES (?, ?, ?, ?, ?, 'visa', '4242', 1100, 'online', ?, ?)`,
      )
      .run(`payment-${i}`, school, orderId, mode, ref, i + 1, T0)
  }
  await core.close()
  return { file, dateId, lineIds, paymentRefs, cleanup: dir.cleanup }
}

function startChild(p: Prepared, mode: 'stripe' | 'demo'): { child: ChildProcess; output: () => string } {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, CRASH_DB: p.file, CRASH_TARGET: p.dateId, CRASH_MODE: mode, CRASH_STRIPE_PORT: String(fake.port), CRASH_STRIPE_KEY: fake.apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  return { child, output: () => output }
}

async function until(what: string, test: () => boolean, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; child said: ${output()}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

function settledCount(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM refunds WHERE status <> 'pending'`).get() as { n: number }).n
  } catch (e) {
    // Only the table's absence means "none yet": any other error (a renamed column) must not read as zero.
    if (e instanceof Error && e.message === 'no such table: refunds') return 0
    throw e
  } finally {
    db.close()
  }
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGKILL')
  await exited
}

describe.each(['stripe', 'demo'] as const)('a bulk refund killed mid-way (%s)', (mode) => {
  it('resumes, and every line is refunded exactly once at the processor and in the ledger', { timeout: 120_000 }, async () => {
    fake.reset()
    const stripe = createStripeProcessor({ ...fake.connection(), maxNetworkRetries: 0, timeoutMs: 5_000 })
    const p = await prepare(mode, stripe)
    try {
      const { child, output } = startChild(p, mode)
      await until('half the refunds', () => settledCount(p.file) >= 50, output)
      if (mode === 'stripe') {
        // The next refund is made by Stripe, and its answer never comes: kill the child then.
        fake.failNext({ path: '/v1/refunds', method: 'POST', kind: 'timeout', commit: true })
        await until('the refund whose answer is lost', () => fake.requests.some((r) => r.fault === 'timeout'), output)
      }
      await kill(child)
      fake.clearFaults()

      // What the crash left: some settled, some pending, and (Stripe) one made but not recorded.
      const raw = new Database(p.file, { readonly: true })
      const left = raw.prepare(`SELECT count(*) AS n FROM refunds WHERE status = 'pending'`).get() as { n: number }
      const lost = raw
        .prepare(`SELECT r.id FROM refunds r WHERE r.status = 'pending' AND EXISTS (SELECT 1 FROM refund_events e WHERE e.refund_id = r.id AND e.kind = 'sent')`)
        .all() as Array<{ id: string }>
      raw.close()
      expect(left.n).toBeGreaterThan(0)
      expect(settledCount(p.file)).toBeLessThan(p.lineIds.length)
      if (mode === 'stripe') {
        expect(lost).toHaveLength(1)
        expect(fake.refundsFor(lost[0]!.id)).toHaveLength(1)
      }

      // The parent opens the file and runs the job again.
      const core = await createCore({
        file: p.file,
        appVersion: 'test',
        stripe: () => stripe,
        refundRunner: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, repassMs: 60_000 },
        logError: (e) => {
          throw e
        },
      })
      try {
        const token = (await ok(core, 'auth.signIn', { username: 'dir', password: 'secret-pass' })).token
        const again = await ok(core, 'refunds.startBulk', { target: { kind: 'programDate', programDateId: p.dateId }, reason: 'Tempête de neige' }, token)
        expect(again.resumed).toBe(true)
        await core.refunds.drain()
        const job = await ok(core, 'refunds.job', { jobId: again.jobId, limit: 500 }, token)
        expect(job.job.progress).toMatchObject({ total: p.lineIds.length, succeeded: p.lineIds.length, failed: 0, pending: 0, finished: true })

        const db = core.connection.raw
        // The ledger: one refund per line, for its whole amount, all in the one job.
        const perLine = db.prepare(`SELECT order_line_id AS line, count(*) AS n, sum(amount_cents) AS cents FROM refunds GROUP BY order_line_id ORDER BY order_line_id`).all()
        expect(perLine).toEqual([...p.lineIds].sort().map((line) => ({ line, n: 1, cents: 550 })))
        expect(db.prepare(`SELECT count(*) AS n FROM refund_jobs`).get()).toEqual({ n: 1 })
        expect(db.prepare(`SELECT count(*) AS n FROM outbox WHERE type = 'refund.record'`).get()).toEqual({ n: p.lineIds.length })
        // The processor: exactly one refund per refund row, and nothing else.
        const rows = db.prepare(`SELECT id, processor_ref FROM refunds`).all() as Array<{ id: string; processor_ref: string }>
        if (mode === 'stripe') {
          for (const r of rows) {
            const made = fake.refundsFor(r.id)
            expect(made, r.id).toHaveLength(1)
            expect(made[0]!.id).toBe(r.processor_ref)
          }
          expect(fake.refundsCreated()).toBe(p.lineIds.length)
          for (const pi of p.paymentRefs) expect(fake.remaining(pi)).toBe(0)
        } else {
          for (const ref of p.paymentRefs) {
            const payment = JSON.parse((db.prepare(`SELECT value FROM demo_processor_state WHERE key = ?`).get(`payment:${ref}`) as { value: string }).value) as { refunds: string[] }
            const refunds = payment.refunds.map((r) => JSON.parse((db.prepare(`SELECT value FROM demo_processor_state WHERE key = ?`).get(`refund:${r}`) as { value: string }).value) as { refundId: string })
            expect(new Set(refunds.map((r) => r.refundId)).size, ref).toBe(2)
            expect(payment.refunds, ref).toHaveLength(new Set(payment.refunds).size)
          }
          const demoRefunds = db.prepare(`SELECT count(*) AS n FROM demo_processor_state WHERE key LIKE 'refund:%'`).get() as { n: number }
          expect(demoRefunds.n).toBe(p.lineIds.length)
        }
      } finally {
        await core.close()
      }
    } finally {
      p.cleanup()
    }
  })
})
