import { join } from 'node:path'
import { expect } from 'vitest'
import { createCore, type CoreOptions } from '../../../src/core'
import { createDemoProcessor, memoryDemoStore, TransientProcessorError, type CardProcessor, type ChargeRequest, type ChargeResult } from '../../../src/core/adapters/processors'
import type { Input, MethodName, Output } from '../../../src/shared/contract'
import type { KioskPaymentView } from '../../../src/shared/contract/kiosk'
import type { ErrorPayload } from '../../../src/shared/errors'
import { Board, id, ok, tempDir, T0 } from '../fixtures'

/** The demo processor, counting the charges it is asked for (and able to lose an answer on demand). */
export class CountingProcessor implements CardProcessor {
  readonly kind = 'demo' as const
  readonly isDemo = true
  readonly store = memoryDemoStore()
  readonly inner = createDemoProcessor({ store: this.store })
  calls: ChargeRequest[] = []
  /** Before charging: a test may hold the charge until it says so. */
  gate: Promise<void> | null = null
  /** The next charge is made, but its answer is lost on the way back (a timeout). */
  loseNextAnswer = false

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.calls.push(request)
    if (this.gate) await this.gate
    const result = await this.inner.charge(request)
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false
      throw new TransientProcessorError('timeout', 'answer lost', { outcomeUnknown: true })
    }
    return result
  }
  refund: CardProcessor['refund'] = (r) => this.inner.refund(r)
  refundStatus: CardProcessor['refundStatus'] = (r) => this.inner.refundStatus(r)
  findRefund: CardProcessor['findRefund'] = (a, b) => this.inner.findRefund(a, b)

  /** Payments the processor actually took (its replays of a key make none). */
  takenPayments(): number {
    return Object.keys(this.store.dump()).filter((k) => k.startsWith('payment:')).length
  }
}

export const APPROVED = '4242 4242 4242 4242'
export const DECLINED = '4000 0000 0000 0002'

/**
 * A small board for the kiosk: two schools; Annie Lalonde with Zoé (grade 5, school A) and Léo
 * (grade 2, school B); Marc Roy with Emma (grade 5, school A). School A has an outing with
 * questions, popcorn (stock 3, two per student) and a fee; school B has pizza Fridays.
 */
export async function kioskWorld(options: Partial<CoreOptions> = {}) {
  const dir = tempDir()
  const clock = { ms: Date.parse(T0) }
  const errors: unknown[] = []
  const processor = new CountingProcessor()
  const open = () => createCore({ file: join(dir.dir, 'kiosk.sqlite'), appVersion: 'test', nowMs: () => clock.ms, logError: (e) => errors.push(e), demoProcessor: processor, ...options })
  const core = await open()
  const raw = core.connection.raw
  const b = new Board(raw)
  const schoolA = b.school('École Saint-Test')
  const schoolB = b.school('École Sainte-Autre')
  b.year(schoolA)
  b.year(schoolB)
  const zoe = b.student(schoolA, 'Zoé', 'Lalonde', '5')
  const leo = b.student(schoolB, 'Léo', 'Lalonde', '2')
  const emma = b.student(schoolA, 'Emma', 'Roy', '5')
  const annie = b.guardian('Annie', 'Lalonde', [zoe, leo])
  const marc = b.guardian('Marc', 'Roy', [emma])
  b.staff('sec', 'secretary')

  const outing = b.offering(schoolA, 'outing', 'Sortie au musée', [['grade', '5']], { price: 1800, deadline: '2026-12-01T04:59:00.000Z' })
  raw.prepare(`INSERT INTO outings (offering_id, starts_on, ends_on, destination, bus_count, seats_per_bus, staff_count, chaperone_ratio) VALUES (?, '2026-12-10', '2026-12-10', 'Musée', 1, 10, 2, 10)`).run(outing)
  const qMed = id('question')
  const qContact = id('question')
  raw.prepare(`INSERT INTO offering_questions (id, offering_id, sort, kind, label_fr, label_en, required) VALUES (?, ?, 0, 'yes_no', 'Médicament?', 'Medication?', 1)`).run(qMed, outing)
  raw.prepare(`INSERT INTO offering_questions (id, offering_id, sort, kind, label_fr, label_en, required) VALUES (?, ?, 1, 'text', 'Personne à joindre', 'Emergency contact', 1)`).run(qContact, outing)

  const popcorn = b.offering(schoolA, 'product', 'Maïs soufflé', [['school', schoolA]], { deadline: '2026-12-01T04:59:00.000Z' })
  raw.prepare('UPDATE offerings SET stock_limit = 3, per_student_limit = 2 WHERE id = ?').run(popcorn)
  const butter = id('variant')
  const caramel = id('variant')
  raw.prepare(`INSERT INTO offering_variants (id, offering_id, label_fr, label_en, price_cents, sort) VALUES (?, ?, 'Beurre', 'Butter', 200, 0)`).run(butter, popcorn)
  raw.prepare(`INSERT INTO offering_variants (id, offering_id, label_fr, label_en, price_cents, sort) VALUES (?, ?, 'Caramel', 'Caramel', 250, 1)`).run(caramel, popcorn)

  const fee = b.offering(schoolA, 'fee', 'Cotisation', [['school', schoolA]], { price: 2500 })
  raw.prepare(`UPDATE offerings SET fee_per = 'student' WHERE id = ?`).run(fee)

  const pizza = b.offering(schoolB, 'program', 'Pizza du vendredi', [['school', schoolB]], { deadline: '2026-12-09T17:00:00.000Z' })
  const cheese = id('variant')
  raw.prepare(`INSERT INTO offering_variants (id, offering_id, label_fr, label_en, price_cents, sort) VALUES (?, ?, 'Fromage', 'Cheese', 300, 0)`).run(cheese, pizza)
  const dates = [
    ['2026-11-27', '2026-11-25T17:00:00.000Z'],
    ['2026-12-04', '2026-12-02T17:00:00.000Z'],
    ['2026-12-11', '2026-12-09T17:00:00.000Z'],
  ].map(([date, cutoff]) => {
    const d = id('date')
    raw.prepare('INSERT INTO program_dates (id, offering_id, date, cutoff_at) VALUES (?, ?, ?, ?)').run(d, pizza, date, cutoff)
    return d
  })

  const staff = (await ok(core, 'auth.signIn', { username: 'sec', password: 'secret-pass' })).token
  async function call<M extends MethodName>(method: M, input: Input<M>, session: string): Promise<{ ok: true; value: Output<M> } | { ok: false; error: ErrorPayload }> {
    return (await world.core.dispatch({ method, input, session })) as { ok: true; value: Output<M> } | { ok: false; error: ErrorPayload }
  }

  const world = {
    core,
    raw,
    board: b,
    clock,
    errors,
    processor,
    dir: dir.dir,
    staff,
    schoolA,
    schoolB,
    zoe,
    leo,
    emma,
    annie,
    marc,
    outing,
    qMed,
    qContact,
    popcorn,
    butter,
    caramel,
    fee,
    pizza,
    cheese,
    dates,
    call,
    ok: <M extends MethodName>(method: M, input: Input<M>, session: string) => ok(world.core, method, input, session),
    /** Signs the secretary in again (after the clock moved past her session's lock). */
    async signInAgain(): Promise<string> {
      world.staff = (await ok(world.core, 'auth.signIn', { username: 'sec', password: 'secret-pass' })).token
      return world.staff
    },
    /** Closes the core and opens it again on the same file (the processor, being remote, stays): sessions and memory are gone. */
    async restart(): Promise<string> {
      await world.core.close()
      world.core = await open()
      world.raw = world.core.connection.raw
      world.staff = (await ok(world.core, 'auth.signIn', { username: 'sec', password: 'secret-pass' })).token
      return world.staff
    },
    async refused<M extends MethodName>(method: M, input: Input<M>, session: string): Promise<ErrorPayload> {
      const r = await call(method, input, session)
      expect(r.ok, `${method} should be refused`).toBe(false)
      return (r as { ok: false; error: ErrorPayload }).error
    },
    async startKiosk(guardianId: string, extra: { pin?: string | null; idleSeconds?: number } = {}): Promise<string> {
      return (await ok(world.core, 'kiosk.start', { guardianId, pin: extra.pin ?? null, idleSeconds: extra.idleSeconds ?? 90 }, world.staff)).token
    },
    /** Asks for the payment until the processor's answer is recorded. */
    async settle(kiosk: string, chargeId: string | null): Promise<KioskPaymentView> {
      if (chargeId === null) throw new Error('a sale paid wholly with credit has no charge to settle')
      for (let i = 0; i < 200; i++) {
        const view = await ok(world.core, 'kiosk.payment', { chargeId }, kiosk)
        if (view.status !== 'processing') return view
        await new Promise((r) => setTimeout(r, 5))
      }
      throw new Error('the payment never settled')
    },
    one<T>(sql: string, ...args: unknown[]): T {
      return world.raw.prepare(sql).get(...args) as T
    },
    all<T>(sql: string, ...args: unknown[]): T[] {
      return world.raw.prepare(sql).all(...args) as T[]
    },
    count(sql: string, ...args: unknown[]): number {
      return (world.raw.prepare(sql).get(...args) as { n: number }).n
    },
    async cleanup() {
      await world.core.close()
      dir.cleanup()
    },
  }
  return world
}
export type KioskWorld = Awaited<ReturnType<typeof kioskWorld>>


export const consentInput = (w: KioskWorld, studentId = w.zoe) => ({
  studentId,
  offeringId: w.outing,
  decision: 'granted' as const,
  signedName: 'Annie Lalonde',
  confirmed: true as const,
  answers: [
    { questionId: w.qMed, value: 'no' },
    { questionId: w.qContact, value: 'Paul Lalonde 613-555-0101' },
  ],
})
