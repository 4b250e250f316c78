import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Connection } from '../../src/core/db/connection'
import { LINE_HELD } from '../../src/core/services/held-lines'
import { paymentFacts } from '../../src/core/services/refunds/ledger'

/**
 * What is left to refund and what is held is one SQL definition (the view line_refundable, the
 * fragments of held-lines.ts, the payment facts refunds are checked against). Here fast-check
 * draws an order — its lines, a payment or none, part paid with credit, voided or not — and
 * refunds of every state (pending, succeeded, failed, reversed), to the card or to credit, some
 * failures settled as credit, writes them into a real database through its triggers, and
 * compares what the SQL says with a model written from the definition (docs/ARCHITECTURE.md,
 * "Money"): left on a line = paid − pending and succeeded refunds − credits granted for its failed
 * card refunds, never below zero; paid = a payment that was not voided; a reversed success failed.
 */

let connection: Connection
const run = (text: string, ...args: unknown[]) => connection.raw.prepare(text).run(...args)
let next = 0
const id = (kind: string) => `${kind}-${++next}`

beforeAll(() => {
  connection = openDatabase({ file: ':memory:' })
  // The rule reads the ledger's own tables; the roster they point at is not the subject.
  connection.raw.pragma('foreign_keys = OFF')
})
afterAll(() => connection.close())

type Outcome = 'pending' | 'succeeded' | 'failed' | 'reversed'
interface DrawnRefund {
  line: number | null
  amountCents: number
  tender: 'card' | 'credit'
  outcome: Outcome
  credited: boolean
}

const order = fc.record({
  lines: fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 4 }),
  paid: fc.boolean(),
  creditShare: fc.constantFrom(0, 0, 0.5, 1),
  voided: fc.boolean(),
  refunds: fc.array(
    fc.record({
      line: fc.option(fc.nat({ max: 3 }), { nil: null, freq: 4 }),
      amountCents: fc.integer({ min: 1, max: 6_000 }),
      tender: fc.constantFrom<'card' | 'credit'>('card', 'credit'),
      outcome: fc.constantFrom<Outcome>('pending', 'succeeded', 'failed', 'reversed'),
      credited: fc.boolean(),
    }),
    { maxLength: 8 },
  ),
})

describe('the ledger’s refundable and held lines', () => {
  it('say what the definition says, whatever the payments, refunds, voids and credits', async () => {
    await fc.assert(
      fc.asyncProperty(order, async (o) => {
        const orderId = id('order')
        run(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, 'school', 'guardian', 'online', '2026-11-20T15:00:00.000Z')`, orderId)
        const lines = o.lines.map((amount) => {
          const lineId = id('line')
          run(
            `INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, 'student', 'offering', 1, ?, ?)`,
            lineId,
            orderId,
            amount,
            amount,
          )
          return { id: lineId, amount }
        })
        const total = o.lines.reduce((s, a) => s + a, 0)
        const credit = Math.round(total * o.creditShare)
        const paymentId = o.paid ? id('payment') : null
        const written: Array<DrawnRefund & { id: string; lineId: string | null }> = []
        if (paymentId) {
          const byCredit = credit === total
          run(
            `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, credit_cents, channel, receipt_number, created_at)
             VALUES (?, 'school', ?, ?, ?, ?, ?, ?, ?, 'online', ?, '2026-11-20T15:00:00.000Z')`,
            paymentId,
            orderId,
            byCredit ? 'credit' : 'board',
            `ref-${paymentId}`,
            byCredit ? null : 'visa',
            byCredit ? null : '4242',
            total,
            credit,
            next,
          )
          if (o.voided) run(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'board', 'test', '2026-11-20T15:00:00.000Z')`, paymentId)
          for (const r of o.refunds) {
            // The file refuses a refund that goes back another way than the money came.
            if ((r.tender === 'credit' && credit === 0) || (r.tender === 'card' && credit === total)) continue
            const refundId = id('refund')
            const lineId = r.line === null ? null : (lines[r.line % lines.length]!.id)
            run(
              `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, tender, requested_at, settled_at)
               VALUES (?, ?, ?, ?, 'test', ?, ?, ?, '2026-11-20T15:00:00.000Z', ?)`,
              refundId,
              paymentId,
              lineId,
              r.amountCents,
              r.outcome === 'reversed' ? 'succeeded' : r.outcome,
              `key-${refundId}`,
              r.tender,
              r.outcome === 'pending' ? null : '2026-11-20T15:00:01.000Z',
            )
            if (r.outcome === 'reversed') run(`INSERT INTO refund_events (refund_id, kind, at, code) VALUES (?, 'reversed', '2026-11-21T15:00:00.000Z', 'expired_or_canceled_card')`, refundId)
            const failed = r.outcome === 'failed' || r.outcome === 'reversed'
            // Credit is granted for a failed card refund, or with a refund to credit; never on a void.
            const grants = r.credited && !o.voided && ((r.tender === 'card' && failed) || (r.tender === 'credit' && r.outcome === 'succeeded'))
            if (grants) {
              run(
                `INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_at) VALUES (?, 'school', 'guardian', 'granted', ?, ?, 'test', '2026-11-22T15:00:00.000Z')`,
                id('credit'),
                r.amountCents,
                refundId,
              )
            }
            written.push({ ...r, credited: grants, id: refundId, lineId })
          }
        }

        // The model, from the definition.
        const live = paymentId !== null && !o.voided
        const counts = (r: (typeof written)[number]) => r.outcome === 'pending' || r.outcome === 'succeeded'
        const givenBackOn = (pick: (r: (typeof written)[number]) => boolean) =>
          written.filter((r) => pick(r) && counts(r)).reduce((s, r) => s + r.amountCents, 0) +
          written.filter((r) => pick(r) && r.credited && r.tender === 'card').reduce((s, r) => s + r.amountCents, 0)
        const expectedLines = lines.map((l) => {
          const givenBack = givenBackOn((r) => r.lineId === l.id)
          return { id: l.id, refundable: Math.max(0, (live ? l.amount : 0) - givenBack), held: live && l.amount > givenBack }
        })

        const actual = await connection.db
          .selectFrom('order_lines as l')
          .innerJoin('line_refundable as x', 'x.order_line_id', 'l.id')
          .select(['l.id', 'x.refundable_cents', sql<number>`${LINE_HELD}`.as('held')])
          .where('l.order_id', '=', orderId)
          .orderBy(sql`l.rowid`)
          .execute()
        expect(actual.map((a) => ({ id: a.id, refundable: a.refundable_cents, held: a.held === 1 }))).toEqual(expectedLines)

        if (paymentId) {
          const card = Math.max(0, total - credit - givenBackOn((r) => r.tender === 'card'))
          const toCredit = Math.max(0, credit - givenBackOn((r) => r.tender === 'credit'))
          const facts = (await paymentFacts(connection.db, [paymentId])).get(paymentId)!
          expect({ voided: facts.voided, card: facts.cardRefundableCents, credit: facts.creditRefundableCents, all: facts.refundableCents }).toEqual({
            voided: o.voided,
            card,
            credit: toCredit,
            all: card + toCredit,
          })
        }
      }),
      { numRuns: 300 },
    )
  })
})
