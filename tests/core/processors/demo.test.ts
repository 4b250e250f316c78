import { describe, expect, it } from 'vitest'
import {
  createDemoProcessor,
  DECLINE_CODES,
  DEMO_CARDS,
  DEMO_NOTICE,
  memoryDemoStore,
  ProcessorRefusal,
  type ChargeRequest,
  type DemoStore,
  type RefundRequest,
} from '../../../src/core/adapters/processors'

const charge = (card: string, key = `charge-${card}`, amountCents = 2500): ChargeRequest => ({
  amountCents,
  currency: 'cad',
  idempotencyKey: key,
  description: 'Sortie au musée',
  metadata: { paymentId: 'pay-1', schoolId: 'school-1' },
  method: { kind: 'test_card', card },
})

const refund = (paymentRef: string, refundId: string, amountCents: number, key = `key-${refundId}`): RefundRequest => ({
  paymentRef,
  amountCents,
  idempotencyKey: key,
  metadata: { refundId },
  requestedAt: '2026-11-20T15:00:00.000Z',
})

async function paid(card = '4242 4242 4242 4242', amountCents = 2500) {
  const demo = createDemoProcessor()
  const result = await demo.charge(charge(card, 'k', amountCents))
  if (result.status !== 'succeeded') throw new Error('expected an approved card')
  return { demo, ref: result.processorRef }
}

describe('the demo processor', () => {
  it('says it is the demo, with the notice the UI shows', () => {
    const demo = createDemoProcessor()
    expect(demo.kind).toBe('demo')
    expect(demo.isDemo).toBe(true)
    expect(demo.notice.fr).toBe('Démo — aucun paiement réel')
    expect(DEMO_NOTICE.fr).toBe('Démo — aucun paiement réel')
  })

  it.each(DEMO_CARDS.map((c) => [c.label, c] as const))('charges %s as the table says', async (_label, card) => {
    const demo = createDemoProcessor()
    const spaced = card.number.replace(/(\d{4})(?=\d)/g, '$1 ')
    const result = await demo.charge(charge(spaced))
    if (card.outcome === 'approved') {
      expect(result).toEqual({ status: 'succeeded', processorRef: expect.stringMatching(/^demo_pi_[0-9a-f]{24}$/), amountCents: 2500, cardBrand: card.brand, last4: card.last4 })
    } else {
      expect(result).toEqual({
        status: 'declined',
        code: card.declineCode,
        messageCode: DECLINE_CODES[card.declineCode!],
        processorRef: expect.stringMatching(/^demo_pi_/),
      })
    }
  })

  it('lists the cards the issue asks for', () => {
    const byNumber = Object.fromEntries(DEMO_CARDS.map((c) => [c.number, c]))
    expect(byNumber['4242424242424242']).toMatchObject({ outcome: 'approved', brand: 'visa' })
    expect(byNumber['5555555555554444']).toMatchObject({ outcome: 'approved', brand: 'mastercard' })
    expect(byNumber['4000000000000002']).toMatchObject({ outcome: 'declined', declineCode: 'card_declined' })
    expect(byNumber['4000000000009995']).toMatchObject({ outcome: 'declined', declineCode: 'insufficient_funds' })
    expect(byNumber['4000000000000069']).toMatchObject({ outcome: 'declined', declineCode: 'expired_card' })
    expect(byNumber['4000000000005126']).toMatchObject({ outcome: 'approved', refundsFailLater: true })
  })

  it('takes a terminal payment with its configured card', async () => {
    const approved = await createDemoProcessor().charge({ ...charge('x'), method: { kind: 'terminal', readerId: 'tmr_demo' } })
    expect(approved).toMatchObject({ status: 'succeeded', cardBrand: 'visa', last4: '4242' })
    const declined = await createDemoProcessor({ terminalCard: '4000 0000 0000 9995' }).charge({ ...charge('x'), method: { kind: 'terminal', readerId: 'tmr_demo' } })
    expect(declined).toMatchObject({ status: 'declined', code: 'insufficient_funds' })
    expect(() => createDemoProcessor({ terminalCard: '1234' })).toThrow(RangeError)
  })

  it('refuses an unknown card, a zero amount and another currency', async () => {
    const demo = createDemoProcessor()
    await expect(demo.charge(charge('4111 1111 1111 1111'))).rejects.toMatchObject({ code: 'processor.unknownTestCard' })
    await expect(demo.charge(charge('4242424242424242', 'z', 0))).rejects.toMatchObject({ code: 'charge.amountNotPositive' })
    await expect(demo.charge(charge('4242424242424242', 'f', 12.5))).rejects.toMatchObject({ code: 'charge.amountNotPositive' })
    await expect(demo.charge({ ...charge('4242424242424242'), currency: 'usd' as 'cad' })).rejects.toBeInstanceOf(ProcessorRefusal)
  })

  describe('idempotency', () => {
    it('answers the same key with the same result, and refuses it with other parameters', async () => {
      const demo = createDemoProcessor()
      const first = await demo.charge(charge('4242424242424242', 'same'))
      expect(await demo.charge(charge('4242424242424242', 'same'))).toEqual(first)
      await expect(demo.charge(charge('4242424242424242', 'same', 9999))).rejects.toMatchObject({ code: 'processor.idempotencyMismatch' })
      const other = await demo.charge(charge('4242424242424242', 'another'))
      expect(other.status === 'succeeded' && first.status === 'succeeded' && other.processorRef !== first.processorRef).toBe(true)
    })

    it('refunds once per key', async () => {
      const { demo, ref } = await paid()
      const a = await demo.refund(refund(ref, 'r1', 1000))
      const b = await demo.refund(refund(ref, 'r1', 1000))
      expect(b).toEqual(a)
      expect(a).toEqual({ status: 'succeeded', processorRef: expect.stringMatching(/^demo_re_[0-9a-f]{24}$/), amountCents: 1000 })
      // 1500 left, not 500: the replay refunded nothing
      await expect(demo.refund(refund(ref, 'r2', 1501))).rejects.toMatchObject({ code: 'refund.exceedsRemaining', values: { remainingCents: 1500 } })
      await expect(demo.refund(refund(ref, 'r1', 999))).rejects.toMatchObject({ code: 'processor.idempotencyMismatch' })
    })

    it('never makes a second refund for one refundId, whatever the key', async () => {
      const { demo, ref } = await paid()
      const a = await demo.refund(refund(ref, 'r1', 1000, 'k1'))
      const b = await demo.refund(refund(ref, 'r1', 1000, 'k2-after-a-restart'))
      expect(b.processorRef).toBe(a.processorRef)
      expect(await demo.findRefund('r1', ref)).toEqual(a)
      expect(await demo.findRefund('r-none', ref)).toBeNull()
      expect(await demo.findRefund('r1', 'demo_pi_none')).toBeNull()
    })

    it('keeps its state in the store it is given, across a restart', async () => {
      const store = memoryDemoStore()
      const before = createDemoProcessor({ store })
      const paidResult = await before.charge(charge('4242424242424242', 'k'))
      if (paidResult.status !== 'succeeded') throw new Error('approved expected')
      const first = await before.refund(refund(paidResult.processorRef, 'r1', 2000))

      const after = createDemoProcessor({ store: memoryDemoStore(store.dump()) })
      expect(await after.charge(charge('4242424242424242', 'k'))).toEqual(paidResult)
      expect(await after.refund(refund(paidResult.processorRef, 'r1', 2000))).toEqual(first)
      await expect(after.refund(refund(paidResult.processorRef, 'r2', 501))).rejects.toMatchObject({ code: 'refund.exceedsRemaining', values: { remainingCents: 500 } })
    })

    it('works with an asynchronous store', async () => {
      const data = new Map<string, string>()
      const store: DemoStore = {
        get: async (key) => data.get(key),
        set: async (key, value) => void data.set(key, value),
      }
      const demo = createDemoProcessor({ store })
      const result = await demo.charge(charge('5555555555554444'))
      expect(result).toMatchObject({ status: 'succeeded', cardBrand: 'mastercard' })
      expect(data.size).toBeGreaterThan(0)
    })

    it('does not let two refunds at the same time share one remainder', async () => {
      const { demo, ref } = await paid('4242424242424242', 1000)
      const results = await Promise.allSettled([demo.refund(refund(ref, 'a', 700)), demo.refund(refund(ref, 'b', 700))])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1)
    })
  })

  describe('refunds', () => {
    it('never refunds more than was paid, and refuses zero or negative amounts', async () => {
      const { demo, ref } = await paid()
      await demo.refund(refund(ref, 'r1', 2000))
      await expect(demo.refund(refund(ref, 'r2', 501))).rejects.toMatchObject({ code: 'refund.exceedsRemaining', values: { remainingCents: 500 } })
      await expect(demo.refund(refund(ref, 'r3', 0))).rejects.toMatchObject({ code: 'refund.amountNotPositive' })
      await expect(demo.refund(refund(ref, 'r4', -10))).rejects.toMatchObject({ code: 'refund.amountNotPositive' })
      await expect(demo.refund(refund(ref, 'r5', 1.5))).rejects.toMatchObject({ code: 'refund.amountNotPositive' })
      expect(await demo.refund(refund(ref, 'r6', 500))).toMatchObject({ status: 'succeeded', amountCents: 500 })
      await expect(demo.refund(refund(ref, 'r7', 1))).rejects.toMatchObject({ code: 'refund.exceedsRemaining', values: { remainingCents: 0 } })
    })

    it('refuses a refund of a payment it never took, or of a declined one', async () => {
      const demo = createDemoProcessor()
      await expect(demo.refund(refund('demo_pi_nope', 'r1', 100))).rejects.toMatchObject({ code: 'processor.notFound' })
      const declined = await demo.charge(charge('4000000000000002'))
      await expect(demo.refund(refund(declined.processorRef!, 'r1', 100))).rejects.toMatchObject({ code: 'processor.notFound' })
      await expect(demo.refundStatus('demo_re_nope')).rejects.toMatchObject({ code: 'processor.notFound' })
    })

    it('lets a refund of 4000 0000 0000 5126 fail later, and gives the amount back', async () => {
      const { demo, ref } = await paid('4000000000005126')
      const pending = await demo.refund(refund(ref, 'r1', 2500))
      expect(pending).toMatchObject({ status: 'pending', amountCents: 2500 })
      expect(pending.failureCode).toBeUndefined()
      const failed = await demo.refundStatus(pending.processorRef)
      expect(failed).toEqual({ status: 'failed', processorRef: pending.processorRef, amountCents: 2500, failureCode: 'expired_or_canceled_card' })
      expect(await demo.refundStatus(pending.processorRef)).toEqual(failed)
      expect(await demo.findRefund('r1', ref)).toEqual(failed)
      // The failed refund no longer counts: staff may refund again (a new refund, a new refundId).
      expect(await demo.refund(refund(ref, 'r2', 2500))).toMatchObject({ status: 'pending' })
    })

    it('requires a refundId', async () => {
      const { demo, ref } = await paid()
      await expect(demo.refund({ ...refund(ref, '', 100) })).rejects.toMatchObject({ code: 'processor.invalidRequest' })
    })
  })
})
