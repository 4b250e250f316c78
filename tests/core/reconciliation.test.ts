import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createDemoProcessor,
  createStripeProcessor,
  demoFeeCents,
  memoryDemoStore,
  nextBusinessDay,
  TransientProcessorError,
  type DemoProcessor,
  type Payout,
  type StripeProcessor,
} from '../../src/core/adapters/processors'
import { openDatabase, type Connection } from '../../src/core/db/connection'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { translate } from '../../src/core/i18n'
import { sqliteDemoStore } from '../../src/core/services/refunds'
import { payoutRangeFor, reconcile } from '../../src/core/services/reports/reconciliation'
import { DIFFERENCE_KINDS, type DifferenceKind, type Reconciliation, type ReconciliationDifference } from '../../src/shared/contract/reconciliation'
import { fakeStripeFee, startFakeStripe, type FakeStripe } from '../support/fake-stripe'
import { FAST_SCRYPT, id, ok, tempDir } from './fixtures'
import { family, refundCore, type RefundWorld } from './refunds/helpers'

/**
 * The reconciliation of the processor's payouts against the ledger, with the demo processor and
 * with the real stripe SDK against the fake Stripe server: a clean period has no difference and
 * its payouts are the ledger's payments − refunds − fees to the cent; each kind of difference
 * comes from one seeded discrepancy and points at what it is about; the workbook reads back.
 */
const NOW = '2026-11-24T15:00:00.000Z'
const time = { ms: Date.parse(NOW) }
let fake: FakeStripe
let w: RefundWorld | undefined

beforeAll(async () => {
  fake = await startFakeStripe()
})
afterAll(async () => {
  await fake.stop()
})
afterEach(async () => {
  if (!w) return
  const errors = w.errors
  await w.cleanup()
  w = undefined
  expect(errors).toEqual([])
})

type Kind = 'demo' | 'stripe'

/** One processor and the ledger of one school, driven the same way for both processors. */
interface Side {
  kind: Kind
  w: RefundWorld
  processor: DemoProcessor | StripeProcessor
  charge(cents: number, card?: string): Promise<string>
  refund(paymentRef: string, cents: number): Promise<string>
  /** Follows a refund up at the processor (a card whose refunds fail later fails now). */
  settle(refundRef: string): Promise<void>
  /** Stripe pays out what is in the balance; the demo does it by itself, by the calendar. */
  payOut(arrivalDate: string): void
  pi(name: string): string
  re(name: string): string
}

async function side(kind: Kind): Promise<Side> {
  time.ms = Date.parse(NOW)
  let processor: DemoProcessor | StripeProcessor
  if (kind === 'demo') processor = createDemoProcessor({ store: memoryDemoStore(), now: () => time.ms })
  else {
    fake.reset()
    processor = createStripeProcessor({ ...fake.connection(), maxNetworkRetries: 0, timeoutMs: 3_000, now: () => time.ms })
  }
  w = await refundCore({ nowMs: () => time.ms, ...(kind === 'demo' ? { demoProcessor: processor } : { stripe: () => processor }) })
  const world = w
  return {
    kind,
    w: world,
    processor,
    async charge(cents, card = '4242424242424242') {
      const result = await processor.charge({ amountCents: cents, currency: 'cad', idempotencyKey: id('charge'), description: 'Guichet — test', metadata: {}, method: { kind: 'test_card', card } })
      if (result.status !== 'succeeded') throw new Error('declined')
      return result.processorRef
    },
    async refund(paymentRef, cents) {
      const result = await processor.refund({ paymentRef, amountCents: cents, idempotencyKey: id('refund-key'), metadata: { refundId: id('refund') }, requestedAt: new Date(time.ms).toISOString() })
      return result.processorRef
    },
    async settle(refundRef) {
      await processor.refundStatus(refundRef)
    },
    payOut(arrivalDate) {
      if (kind === 'stripe') fake.createPayout({ arrivalDate })
    },
    pi: (name) => (kind === 'demo' ? `demo_pi_${name}` : `pi_${name}`),
    re: (name) => (kind === 'demo' ? `demo_re_${name}` : `re_${name}`),
  }
}

let receipt = 0
interface LedgerPayment {
  paymentId: string
  lineId: string
  receipt: number
  family: string
}

/** A paid order of one line, its payment taken by `processor` under `ref`, at `at`. */
function ledgerPayment(s: Side, p: { ref: string; cents: number; at: string; processor?: 'stripe' | 'demo' | 'board'; voided?: boolean }): LedgerPayment {
  const { w } = s
  const name = `Famille${id('f').slice(2)}`
  const f = family(w, name)
  const offering = w.board.offering(w.school, 'product', 'Agenda scolaire', [['school', w.school]], { price: p.cents })
  const orderId = id('order')
  const lineId = id('line')
  const paymentId = id('payment')
  receipt += 1
  w.raw.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'kiosk', ?)`).run(orderId, w.school, f.guardian, p.at)
  w.raw
    .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, 1, ?, ?)')
    .run(lineId, orderId, f.students[0], offering, p.cents, p.cents)
  w.raw
    .prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES (?, ?, ?, ?, ?, 'visa', '4242', ?, 'kiosk', ?, ?)`,
    )
    .run(paymentId, w.school, orderId, p.processor ?? s.kind, p.ref, p.cents, receipt, p.at)
  if (p.voided) w.raw.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Annulé avant la capture', ?)`).run(paymentId, p.at)
  return { paymentId, lineId, receipt, family: `Parent ${name}` }
}

function ledgerRefund(s: Side, payment: LedgerPayment, r: { cents: number; ref: string; status: 'succeeded' | 'failed' | 'pending'; at: string }): string {
  const refundId = id('refund')
  s.w.raw
    .prepare(
      `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, processor_ref, requested_at, settled_at)
       VALUES (?, ?, ?, ?, 'Absent', ?, ?, ?, ?, ?)`,
    )
    .run(refundId, payment.paymentId, payment.lineId, r.cents, r.status, `key-${refundId}`, r.ref, r.at, r.status === 'pending' ? null : r.at)
  return refundId
}

/** Through dispatch, as the screen does it: start, then ask again with the fetch's id until ready. */
async function reconcileVia(s: Side, input: { from: string; to: string; schoolId?: string }): Promise<Reconciliation & { fetchId: string }> {
  const token = await s.w.signIn('sec')
  let r = await ok(s.w.core, 'reports.reconciliation', input, token)
  for (let i = 0; r.state === 'fetching' && i < 2_000; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2))
    r = await ok(s.w.core, 'reports.reconciliation', { ...input, fetchId: r.fetchId }, token)
  }
  if (r.state !== 'ready') throw new Error(r.state === 'failed' ? r.message : 'still fetching')
  return { ...r.report, fetchId: r.fetchId }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const ledgerSum = (s: Side, sql: string, ...args: unknown[]) => (s.w.raw.prepare(sql).get(...args) as { c: number | null }).c ?? 0

describe.each<Kind>(['demo', 'stripe'])('reconciliation with the %s processor', (kind) => {
  it('a clean period: no difference, and the payouts are the ledger’s payments − refunds − fees to the cent', async () => {
    const s = await side(kind)
    const fee = kind === 'demo' ? demoFeeCents : fakeStripeFee
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']
    const charged: number[] = []
    for (const [i, day] of days.entries()) {
      for (const cents of [2500 + i * 125, 1375, 999]) {
        const at = `${day}T1${4 + (cents % 3)}:30:00.000Z`
        time.ms = Date.parse(at)
        const ref = await s.charge(cents)
        const payment = ledgerPayment(s, { ref, cents, at })
        charged.push(cents)
        if (cents === 1375 && i % 2 === 1) {
          const refundRef = await s.refund(ref, 400)
          ledgerRefund(s, payment, { cents: 400, ref: refundRef, status: 'succeeded', at })
        }
      }
      s.payOut(nextBusinessDay(day))
    }
    // Paid online: the board's, counted apart.
    ledgerPayment(s, { ref: `mel_pay_${id('x')}`, cents: 4200, at: '2026-11-03T16:00:00.000Z', processor: 'board' })
    time.ms = Date.parse(NOW)

    const report = await reconcileVia(s, { from: '2026-11-02', to: '2026-11-06' })
    expect(report.differences).toEqual([])
    expect(report.processor).toBe(kind)
    expect(report.demo).toBe(kind === 'demo')
    expect(report.payouts.map((p) => p.arrivalDate)).toEqual(['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'])
    expect(report.payouts.every((p) => p.status === 'paid' && p.differenceCount === 0)).toBe(true)
    expect(report.board).toEqual({ count: 1, paidCents: 4200, refundedCents: 0 })
    expect(report.inTransit).toEqual({ count: 0, cents: 0, refundCount: 0, refundCents: 0 })

    // Against the ledger itself: what was paid, what was refunded, the fees of each charge.
    const paid = ledgerSum(s, `SELECT sum(amount_cents) AS c FROM payments WHERE processor = ?`, kind)
    const refunded = ledgerSum(s, `SELECT sum(amount_cents) AS c FROM refund_states WHERE status = 'succeeded'`)
    const fees = sum(charged.map(fee))
    expect(report.totals.feesCents).toBe(fees)
    expect(report.totals.ledgerPaymentsCents).toBe(paid)
    expect(report.totals.ledgerRefundsCents).toBe(refunded)
    expect(report.totals.payoutsCents).toBe(paid - refunded - fees)
    expect(sum(report.payouts.map((p) => p.amountCents))).toBe(paid - refunded - fees)
    expect(report.totals.unexplainedCents).toBe(0)
    expect(report.totals.matchedCount).toBe(charged.length + 2)
  })

  it('each kind of difference comes from its seeded discrepancy, named, pointing at the family, the receipt or the processor’s line', async () => {
    const s = await side(kind)
    const at = '2026-11-03T15:00:00.000Z'
    time.ms = Date.parse(at)
    const p1 = await s.charge(2500)
    const P1 = ledgerPayment(s, { ref: p1, cents: 2500, at })
    const p2 = await s.charge(3000)
    const P2 = ledgerPayment(s, { ref: p2, cents: 3000, at })
    ledgerRefund(s, P2, { cents: 1000, ref: await s.refund(p2, 1000), status: 'succeeded', at })
    // C: a charge the ledger never recorded.
    const c = await s.charge(1800)
    // D: a payment the processor never took.
    const D = ledgerPayment(s, { ref: s.pi('ghost'), cents: 2200, at })
    // E: 25,00 $ charged, 24,00 $ in the ledger.
    const e = await s.charge(2500)
    const E = ledgerPayment(s, { ref: e, cents: 2400, at })
    // F: a refund made at the processor only.
    const p3 = await s.charge(2000)
    const P3 = ledgerPayment(s, { ref: p3, cents: 2000, at })
    const f = await s.refund(p3, 500)
    // G: a refund the ledger says succeeded, that the processor never made.
    const p4 = await s.charge(2600)
    const P4 = ledgerPayment(s, { ref: p4, cents: 2600, at })
    const G = ledgerRefund(s, P4, { cents: 600, ref: s.re('ghost'), status: 'succeeded', at })
    // H: a refund that failed at the processor (expired prepaid card), succeeded in the ledger.
    const p5 = await s.charge(2700, '4000000000005126')
    const P5 = ledgerPayment(s, { ref: p5, cents: 2700, at })
    const h = await s.refund(p5, 700)
    await s.settle(h)
    const H = ledgerRefund(s, P5, { cents: 700, ref: h, status: 'succeeded', at })
    // I: a refund the processor made, failed in the ledger.
    const p6 = await s.charge(2900)
    const P6 = ledgerPayment(s, { ref: p6, cents: 2900, at })
    const i = await s.refund(p6, 900)
    const I = ledgerRefund(s, P6, { cents: 900, ref: i, status: 'failed', at })
    // J: voided in the ledger, paid out all the same.
    const p7 = await s.charge(2100)
    const J = ledgerPayment(s, { ref: p7, cents: 2100, at, voided: true })
    // The board's: never a difference.
    ledgerPayment(s, { ref: `mel_pay_${id('x')}`, cents: 4000, at, processor: 'board' })
    if (kind === 'stripe') {
      // K: a dispute lost on P1; and a fee of its own, totalled with the fees.
      fake.addBalanceTransaction({ type: 'adjustment', amountCents: -1500, paymentIntent: p1 })
      fake.addBalanceTransaction({ type: 'stripe_fee', amountCents: 200 })
    }
    s.payOut('2026-11-04')
    time.ms = Date.parse(NOW)

    const report = await reconcileVia(s, { from: '2026-11-02', to: '2026-11-13' })
    const expected: DifferenceKind[] = ['chargeNotInLedger', 'paymentNotPaidOut', 'amountDiffers', 'refundNotInLedger', 'refundNotAtProcessor', 'refundFailedAtProcessor', 'refundFailedInLedger', 'voidedPaymentPaidOut']
    if (kind === 'stripe') expected.push('adjustment')
    expect(report.differences.map((d) => d.kind).sort()).toEqual(expected.sort())
    const only = (k: DifferenceKind): ReconciliationDifference => {
      const found = report.differences.filter((d) => d.kind === k)
      expect(found, k).toHaveLength(1)
      return found[0]!
    }
    const payout = report.payouts[0]!
    expect(only('chargeNotInLedger')).toMatchObject({ paymentRef: c, payment: null, processorCents: 1800, ledgerCents: null, payoutId: payout.id, arrivalDate: '2026-11-04' })
    expect(only('paymentNotPaidOut')).toMatchObject({ payoutId: null, paymentRef: s.pi('ghost'), processorCents: null, ledgerCents: 2200, payment: { paymentId: D.paymentId, receiptNumber: D.receipt, familyName: D.family, schoolName: 'École Saint-Test' } })
    expect(only('amountDiffers')).toMatchObject({ paymentRef: e, processorCents: 2500, ledgerCents: 2400, payment: { paymentId: E.paymentId, receiptNumber: E.receipt } })
    expect(only('refundNotInLedger')).toMatchObject({ refundRef: f, refundId: null, processorCents: -500, ledgerCents: null, payment: { paymentId: P3.paymentId } })
    expect(only('refundNotAtProcessor')).toMatchObject({ payoutId: null, refundId: G, ledgerCents: -600, payment: { paymentId: P4.paymentId, receiptNumber: P4.receipt } })
    expect(only('refundFailedAtProcessor')).toMatchObject({ refundRef: h, refundId: H, processorCents: 700, ledgerCents: 0, payment: { paymentId: P5.paymentId } })
    expect(only('refundFailedInLedger')).toMatchObject({ refundRef: i, refundId: I, processorCents: -900, ledgerCents: -900, payment: { paymentId: P6.paymentId } })
    expect(only('voidedPaymentPaidOut')).toMatchObject({ paymentRef: p7, processorCents: 2100, ledgerCents: 0, payment: { paymentId: J.paymentId } })
    if (kind === 'stripe') expect(only('adjustment')).toMatchObject({ paymentRef: p1, processorCents: -1500, payment: { paymentId: P1.paymentId } })

    // The board's payment is counted apart; P1 and P2 (and its refund) match.
    expect(report.board).toEqual({ count: 1, paidCents: 4000, refundedCents: 0 })
    expect(report.differences.some((d) => d.payment?.paymentId === P2.paymentId)).toBe(false)
    // What the differences account for: C 18,00 + E 1,00 + J 21,00 − F 5,00 + H 7,00 (− K 15,00).
    expect(report.totals.unexplainedCents).toBe(kind === 'stripe' ? 2700 : 4200)
    const charges = [2500, 3000, 1800, 2500, 2000, 2600, 2700, 2900, 2100]
    const fee = kind === 'demo' ? demoFeeCents : fakeStripeFee
    expect(report.totals.feesCents).toBe(sum(charges.map(fee)) + (kind === 'stripe' ? 200 : 0))
    expect(report.totals.payoutsCents - report.totals.expectedCents).toBe(report.totals.unexplainedCents)
    expect(payout.differenceCount).toBe(expected.length - 2)

    // Named, in both languages: the kind, and its sentence.
    for (const d of report.differences) {
      for (const locale of ['fr-CA', 'en-CA'] as const) {
        expect(translate(locale, 'reconciliation.kind', { kind: d.kind })).not.toBe(d.kind)
        expect(translate(locale, `reconciliation.diff.${d.kind}`, { amount: '1 $', processorAmount: '1 $', ledgerAmount: '2 $', days: 7 })).not.toMatch(/\{/)
      }
    }

    // The workbook: real numbers, totals as formulas whose results are the report's.
    const token = await s.w.signIn('sec')
    const file = await ok(s.w.core, 'reports.reconciliationFile', { fetchId: report.fetchId }, token)
    expect(file.fileName).toBe('rapprochement-2026-11-02-au-2026-11-13.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    const [payouts, lines, differences, board] = wb.worksheets
    const rowsOf = (ws: ExcelJS.Worksheet) => {
      const out: ExcelJS.Row[] = []
      ws.eachRow((row) => out.push(row))
      return out
    }
    const labelled = (ws: ExcelJS.Worksheet, label: RegExp) => rowsOf(ws).find((r) => label.test(String(r.getCell(1).value ?? '')))!
    const result = (cell: ExcelJS.Cell) => Math.round(((cell.value as ExcelJS.CellFormulaValue).result as number) * 100)
    expect(typeof payouts!.getRow(6).getCell(5).value).toBe('number')
    expect(payouts!.getRow(6).getCell(5).value).toBe(payout.amountCents / 100)
    expect(result(labelled(payouts!, /^Total$/).getCell(5))).toBe(report.totals.payoutsCents)
    expect(result(labelled(payouts!, /^Écart non expliqué/).getCell(5))).toBe(report.totals.unexplainedCents)
    expect((labelled(payouts!, /^Attendu/).getCell(5).value as ExcelJS.CellFormulaValue).formula).toMatch(/^E\d+-E\d+-E\d+$/)
    expect(result(labelled(lines!, /^Total$/).getCell(9))).toBe(report.totals.payoutsCents)
    expect(rowsOf(lines!).length - 5).toBe(sum(report.payouts.map((p) => p.itemCount)))
    expect(rowsOf(differences!).length - 4).toBe(report.differences.length)
    expect(rowsOf(differences!).some((r) => String(r.getCell(1).value).startsWith('Paiement jamais versé / Payment never paid out') && r.getCell(8).value === D.receipt)).toBe(true)
    expect(result(labelled(board!, /^Total$/).getCell(5))).toBe(4000)
  })

  it('a payment of the period’s last days is cleared by a payout after the period; a recent one is in transit, not missing', async () => {
    const s = await side(kind)
    // Friday 13: paid out on Monday 16, after the period.
    time.ms = Date.parse('2026-11-13T18:00:00.000Z')
    const friday = await s.charge(3300)
    ledgerPayment(s, { ref: friday, cents: 3300, at: '2026-11-13T18:00:00.000Z' })
    s.payOut('2026-11-16')
    // Monday 23, yesterday: not paid out yet (the demo's payout is on its way; Stripe has none).
    time.ms = Date.parse('2026-11-23T18:00:00.000Z')
    const recent = await s.charge(1200)
    ledgerPayment(s, { ref: recent, cents: 1200, at: '2026-11-23T18:00:00.000Z' })
    time.ms = Date.parse(NOW)

    const report = await reconcileVia(s, { from: '2026-11-09', to: '2026-11-13' })
    expect(report.differences).toEqual([])
    expect(report.payouts).toEqual([])
    const later = await reconcileVia(s, { from: '2026-11-20', to: '2026-11-24' })
    expect(later.differences).toEqual([])
    expect(later.inTransit.count).toBe(kind === 'stripe' ? 1 : 0)
    if (kind === 'demo') expect(later.payouts.map((p) => [p.arrivalDate, p.status])).toEqual([['2026-11-24', 'paid']])
  })
})

describe('the processors’ payouts', () => {
  it('Stripe: payouts by arrival date, their lines through balance transactions with their sources expanded, every page, the payout’s own line left out', async () => {
    const s = await side('stripe')
    const stripe = s.processor as StripeProcessor
    const refs: string[] = []
    for (let n = 0; n < 103; n++) refs.push(await s.charge(1000 + n))
    const refund = await s.refund(refs[0]!, 300)
    const failing = await s.charge(5000, '4000000000005126')
    const failed = await s.refund(failing, 5000)
    await s.settle(failed)
    fake.addBalanceTransaction({ type: 'stripe_fee', amountCents: 150 })
    const first = fake.createPayout({ arrivalDate: '2026-11-04' })
    const later = await s.charge(777)
    const second = fake.createPayout({ arrivalDate: '2026-11-20' })
    fake.createPayout({ arrivalDate: '2026-11-05', automatic: false })

    const payouts = await stripe.payouts({ from: '2026-11-01', to: '2026-11-10' })
    expect(payouts.map((p) => [p.id, p.arrivalDate, p.status])).toEqual([
      [first.id, '2026-11-04', 'paid'],
      [expect.any(String), '2026-11-05', 'paid'],
    ])
    const [p] = payouts as [Payout, Payout]
    expect(p.items).toHaveLength(103 + 1 + 1 + 2 + 1)
    expect(sum(p.items.map((i) => i.netCents))).toBe(p.amountCents)
    expect(p.items.every((i) => i.kind !== 'other')).toBe(true)
    expect(p.items.find((i) => i.paymentRef === refs[50] && i.kind === 'charge')).toMatchObject({ grossCents: 1050, feeCents: fakeStripeFee(1050), netCents: 1050 - fakeStripeFee(1050), refundRef: null })
    expect(p.items.find((i) => i.kind === 'refund' && i.refundRef === refund)).toMatchObject({ paymentRef: refs[0], grossCents: -300, feeCents: 0 })
    expect(p.items.find((i) => i.kind === 'refund_failure')).toMatchObject({ refundRef: failed, paymentRef: failing, grossCents: 5000 })
    expect(p.items.find((i) => i.kind === 'fee')).toMatchObject({ paymentRef: null, grossCents: -150, netCents: -150 })
    // A manual payout lists no lines (Stripe cannot tell which it paid out).
    expect(payouts[1]!.items).toEqual([])
    // Two pages of balance transactions were asked, with the source expanded.
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/balance_transactions')
    expect(pages).toHaveLength(2)
    const again = await stripe.payouts({ from: '2026-11-20', to: '2026-11-20' })
    expect(again.map((x) => x.id)).toEqual([second.id])
    expect(again[0]!.items).toMatchObject([{ kind: 'charge', paymentRef: later, grossCents: 777 }])
  })

  it('Stripe: a failure to list is the processor’s error, and the screen is told in words', async () => {
    const s = await side('stripe')
    fake.failNext({ path: '/v1/payouts', kind: '500', times: 3 })
    await expect((s.processor as StripeProcessor).payouts({ from: '2026-11-01', to: '2026-11-10' })).rejects.toBeInstanceOf(TransientProcessorError)
    fake.failNext({ path: '/v1/payouts', kind: '500', times: 3 })
    const token = await s.w.signIn('sec')
    let r = await ok(s.w.core, 'reports.reconciliation', { from: '2026-11-02', to: '2026-11-06' }, token)
    while (r.state === 'fetching') {
      await new Promise((resolve) => setTimeout(resolve, 2))
      r = await ok(s.w.core, 'reports.reconciliation', { from: '2026-11-02', to: '2026-11-06', fetchId: r.fetchId }, token)
    }
    expect(r).toMatchObject({ state: 'failed', message: translate('fr-CA', 'reconciliation.fetchUnavailable') })
    // An unknown fetch (a restart forgot it) is said so, and its workbook refused.
    expect(await ok(s.w.core, 'reports.reconciliation', { from: '2026-11-02', to: '2026-11-06', fetchId: 'nope' }, token)).toMatchObject({ state: 'failed', message: translate('fr-CA', 'reconciliation.fetchExpired') })
    const refused = await s.w.core.dispatch({ method: 'reports.reconciliationFile', input: { fetchId: 'nope' }, session: token })
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    // A period longer than 400 days is refused with its reason.
    const tooLong = await s.w.core.dispatch({ method: 'reports.reconciliation', input: { from: '2025-01-01', to: '2026-11-06' }, session: token })
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'to', message: translate('fr-CA', 'reconciliation.periodTooLong') }] } })
  })

  it('demo: one payout per business day (Friday to Sunday on Monday), 2.9 % + 30 ¢ a charge, never the board’s payments', async () => {
    const clock = { ms: Date.parse('2026-11-06T20:00:00.000Z') }
    const demo = createDemoProcessor({ store: memoryDemoStore(), now: () => clock.ms })
    const charge = async (cents: number, at: string) => {
      clock.ms = Date.parse(at)
      const r = await demo.charge({ amountCents: cents, currency: 'cad', idempotencyKey: id('k'), description: 'd', metadata: {}, method: { kind: 'test_card', card: '4242424242424242' } })
      return r.status === 'succeeded' ? r.processorRef : ''
    }
    await charge(2500, '2026-11-06T20:00:00.000Z') // Friday, 15:00 in Toronto
    await charge(1000, '2026-11-07T15:00:00.000Z') // Saturday
    const sunday = await charge(4000, '2026-11-09T04:30:00.000Z') // still Sunday 23:30 in Toronto
    clock.ms = Date.parse('2026-11-09T12:00:00.000Z')
    await demo.refund({ paymentRef: sunday, amountCents: 1500, idempotencyKey: id('k'), metadata: { refundId: id('r') }, requestedAt: new Date(clock.ms).toISOString() })
    await charge(999, '2026-11-09T16:00:00.000Z') // Monday: Tuesday's payout, tomorrow
    expect(demoFeeCents(2500)).toBe(103)
    expect(demoFeeCents(999)).toBe(59)
    const payouts = await demo.payouts({ from: '2026-11-01', to: '2026-11-30' })
    expect(payouts.map((p) => [p.arrivalDate, p.status, p.amountCents, p.items.map((i) => i.kind)])).toEqual([
      ['2026-11-09', 'paid', 2500 - 103 + (1000 - 59) + (4000 - 146), ['charge', 'charge', 'charge']],
      ['2026-11-10', 'in_transit', -1500 + 999 - 59, ['refund', 'charge']],
    ])
    expect(await demo.payouts({ from: '2026-11-10', to: '2026-11-10' })).toHaveLength(1)
  })

  it('the demo board: its generated kiosk history is the demo processor’s, reconciled to zero; a payment after it that never went through is pointed at', async () => {
    const dir = tempDir()
    const connection: Connection = openDatabase({ file: join(dir.dir, 'demo.sqlite') })
    try {
      const anchor = '2026-11-20T15:00:00.000Z'
      seedDemoBoard(connection.raw, { anchor: new Date(anchor), studentsPerSchool: [60, 40], passwordParams: FAST_SCRYPT })
      const clock = { ms: Date.parse(anchor) }
      const demo = createDemoProcessor({ store: sqliteDemoStore(connection.db), now: () => clock.ms })
      const kiosk = connection.raw.prepare(`SELECT count(*) AS n FROM payments WHERE processor = 'demo' AND created_at >= '2026-09-01'`).get() as { n: number }
      expect(kiosk.n).toBeGreaterThan(0)
      const run = async (from: string, to: string) => {
        const payouts = await demo.payouts(payoutRangeFor(from, to))
        return reconcile(connection.db, { from, to, now: new Date(clock.ms).toISOString(), processor: 'demo', demo: true, fetchedAt: new Date(clock.ms).toISOString(), payouts })
      }
      const report = await run('2026-09-01', '2026-11-06')
      expect(report.differences).toEqual([])
      expect(report.payouts.length).toBeGreaterThan(0)
      expect(report.totals.unexplainedCents).toBe(0)
      expect(report.totals.payoutsCents).toBe(report.totals.ledgerPaymentsCents - report.totals.ledgerRefundsCents - report.totals.feesCents)
      const board = connection.raw
        .prepare(`SELECT count(*) AS n, sum(amount_cents) AS c FROM payments WHERE processor = 'board' AND created_at >= ? AND created_at < ?`)
        .get('2026-09-01T04:00:00.000Z', '2026-11-07T05:00:00.000Z') as { n: number; c: number }
      expect(report.board).toMatchObject({ count: board.n, paidCents: board.c })

      // Recorded after the anchor as if the demo processor had taken it: it never did.
      const order = connection.raw.prepare(`SELECT o.id, o.school_id FROM orders o JOIN payments p ON p.order_id = o.id WHERE p.processor = 'demo' LIMIT 1`).get() as { id: string; school_id: string }
      const next = (connection.raw.prepare(`SELECT max(receipt_number) AS n FROM payments WHERE school_id = ?`).get(order.school_id) as { n: number }).n + 1
      const orderId = id('order')
      connection.raw.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) SELECT ?, school_id, guardian_id, 'kiosk', ? FROM orders WHERE id = ?`).run(orderId, '2026-11-20T16:00:00.000Z', order.id)
      connection.raw
        .prepare(
          `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
           VALUES (?, ?, ?, 'demo', 'demo_pi_never_taken', 'visa', '4242', 1234, 'kiosk', ?, '2026-11-20T16:00:00.000Z')`,
        )
        .run(id('payment'), order.school_id, orderId, next)
      clock.ms = Date.parse('2026-12-01T15:00:00.000Z')
      const after = await run('2026-11-16', '2026-11-20')
      expect(after.differences).toMatchObject([{ kind: 'paymentNotPaidOut', paymentRef: 'demo_pi_never_taken', ledgerCents: 1234, payment: { receiptNumber: next } }])
    } finally {
      await connection.close()
      dir.cleanup()
    }
  })

  it('every difference kind has its words in both languages', () => {
    for (const kind of DIFFERENCE_KINDS) {
      expect(translate('fr-CA', 'reconciliation.kind', { kind })).not.toBe(kind)
      expect(translate('en-CA', 'reconciliation.kind', { kind })).not.toBe(kind)
    }
  })
})
