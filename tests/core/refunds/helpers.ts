import { join } from 'node:path'
import { expect } from 'vitest'
import { createCore, type CoreOptions } from '../../../src/core'
import type { Input, MethodName, Output } from '../../../src/shared/contract'
import type { ErrorPayload } from '../../../src/shared/errors'
import { Board, id, ok, tempDir, T0 } from '../fixtures'

/** A core for refund tests: a fresh file, a school, staff signed in, short waits for the runner. */
export async function refundCore(options: Partial<CoreOptions> = {}, file?: string) {
  const dir = tempDir()
  const clock = { ms: Date.parse(T0) }
  const errors: unknown[] = []
  const core = await createCore({
    file: file ?? join(dir.dir, 'refunds.sqlite'),
    appVersion: 'test',
    nowMs: () => clock.ms,
    logError: (e) => errors.push(e),
    refundRunner: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, repassMs: 60_000, followUp: { everyMs: 6 * 3_600_000, windowMs: 30 * 86_400_000 } },
    ...options,
  })
  const board = new Board(core.connection.raw)
  const school = board.school()
  board.year(school)
  board.staff('sec', 'secretary')
  board.staff('dir', 'principal')
  const secretary = (await ok(core, 'auth.signIn', { username: 'sec', password: 'secret-pass' })).token
  const secretary2 = (await ok(core, 'auth.signIn', { username: 'sec', password: 'secret-pass' })).token
  const principal = (await ok(core, 'auth.signIn', { username: 'dir', password: 'secret-pass' })).token
  return {
    core,
    board,
    school,
    clock,
    errors,
    dir: dir.dir,
    secretary,
    secretary2,
    principal,
    raw: core.connection.raw,
    one<T>(sql: string, ...args: unknown[]): T {
      return core.connection.raw.prepare(sql).get(...args) as T
    },
    all<T>(sql: string, ...args: unknown[]): T[] {
      return core.connection.raw.prepare(sql).all(...args) as T[]
    },
    count(sql: string, ...args: unknown[]): number {
      return (core.connection.raw.prepare(sql).get(...args) as { n: number }).n
    },
    /** Signs in again (after the clock moved past the idle lock). */
    async signIn(username: 'sec' | 'dir'): Promise<string> {
      return (await ok(core, 'auth.signIn', { username, password: 'secret-pass' })).token
    },
    async cleanup() {
      await core.close()
      dir.cleanup()
    },
  }
}
export type RefundWorld = Awaited<ReturnType<typeof refundCore>>

let receipt = 0

/** A paid order whose payment was taken by `processor` under `ref` with a card ending in `last4`. */
export function paidOrder(
  w: RefundWorld,
  guardian: string,
  lines: Array<{ student: string; offering: string; cents: number; programDate?: string }>,
  payment: { processor?: 'stripe' | 'demo' | 'board'; ref?: string; last4?: string; paid?: boolean } = {},
): { orderId: string; lineIds: string[]; paymentId: string | null } {
  const orderId = id('order')
  w.raw.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(orderId, w.school, guardian, T0)
  const lineIds = lines.map((l) => {
    const lid = id('line')
    w.raw
      .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, program_date_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, ?, 1, ?, ?)')
      .run(lid, orderId, l.student, l.offering, l.programDate ?? null, l.cents, l.cents)
    return lid
  })
  if (payment.paid === false) return { orderId, lineIds, paymentId: null }
  const paymentId = id('payment')
  receipt += 1
  w.raw
    .prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES (?, ?, ?, ?, ?, 'visa', ?, ?, 'online', ?, ?)`,
    )
    .run(paymentId, w.school, orderId, payment.processor ?? 'demo', payment.ref ?? `demo_pi_${paymentId}`, payment.last4 ?? '4242', lines.reduce((s, l) => s + l.cents, 0), receipt, T0)
  return { orderId, lineIds, paymentId }
}

/** A program (pizza) with dates; the first one cancelled when asked. */
export function pizzaProgram(w: RefundWorld, dates: string[], cancelled: string[] = []): { offering: string; dates: Record<string, string> } {
  const offering = w.board.offering(w.school, 'program', 'Pizza du vendredi', [['school', w.school]], { price: 550 })
  const out: Record<string, string> = {}
  for (const date of dates) {
    const did = id('date')
    const isCancelled = cancelled.includes(date)
    w.raw
      .prepare(`INSERT INTO program_dates (id, offering_id, date, cutoff_at, status, cancel_reason) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(did, offering, date, `${date}T16:00:00.000Z`, isCancelled ? 'cancelled' : 'scheduled', isCancelled ? 'Tempête de neige' : null)
    out[date] = did
  }
  return { offering, dates: out }
}

/** A family of one guardian and `children` students. */
export function family(w: RefundWorld, name: string, children = 1): { guardian: string; students: string[] } {
  const students = Array.from({ length: children }, (_, i) => w.board.student(w.school, `Enfant${i + 1}`, name, '3'))
  const guardian = w.board.guardian('Parent', name, students)
  return { guardian, students }
}

export async function call<M extends MethodName>(w: RefundWorld, method: M, input: Input<M>, session: string): Promise<{ ok: true; value: Output<M> } | { ok: false; error: ErrorPayload }> {
  const result = await w.core.dispatch({ method, input, session })
  return result as { ok: true; value: Output<M> } | { ok: false; error: ErrorPayload }
}

export async function refused<M extends MethodName>(w: RefundWorld, method: M, input: Input<M>, session: string, locale?: string): Promise<ErrorPayload> {
  const result = await w.core.dispatch({ method, input, session, ...(locale ? { locale } : {}) })
  if (result.ok) throw new Error(`${method} succeeded, expected a refusal`)
  return result.error
}

/** What a refusal must leave as it was: every money row and the audit log. */
export function snapshot(w: RefundWorld): Record<string, number> {
  const tables = ['refunds', 'refund_jobs', 'refund_job_items', 'refund_events', 'family_credits', 'refund_resolutions', 'waivers', 'assistance_budget_entries', 'outbox', 'payment_voids']
  return Object.fromEntries(tables.map((t) => [t, w.count(`SELECT count(*) AS n FROM ${t}`)]))
}

export { ok, T0 }

/** Every refund of the ledger at most once per line amount: nothing refunded twice. */
export function expectNoDoubleRefund(w: RefundWorld): void {
  const over = w.all(
    `SELECT l.id, l.amount_cents, (SELECT coalesce(sum(s.amount_cents), 0) FROM refund_states s WHERE s.order_line_id = l.id AND s.status IN ('pending', 'succeeded')) AS refunded
     FROM order_lines l WHERE refunded > l.amount_cents`,
  )
  expect(over).toEqual([])
}
