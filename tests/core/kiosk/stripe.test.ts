import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeStripe, type FakeStripe } from '../../support/fake-stripe'
import { stripeFor } from '../processors/helpers'
import { kioskWorld, type KioskWorld } from './helpers'

let fake: FakeStripe
let reader: string
let w: KioskWorld
beforeAll(async () => {
  fake = await startFakeStripe()
  reader = fake.addReader({ id: 'tmr_office' })
})
afterAll(async () => {
  await fake.stop()
})
beforeEach(async () => {
  fake.reset()
  fake.setReaderStatus(reader, 'online')
  w = await kioskWorld({ stripe: () => stripeFor(fake) })
  w.raw.prepare(`INSERT INTO settings (key, value) VALUES ('kiosk.readerId', ?)`).run(reader)
})
afterEach(() => w.cleanup())

/** The parent taps a card on the office's simulated reader. */
async function tap(card: string): Promise<void> {
  await fake.waitForReaderAction(reader)
  await fake.client().testHelpers.terminal.readers.presentPaymentMethod(reader, { type: 'card_present', card_present: { number: card } })
}

describe('the kiosk with Stripe and its card reader', () => {
  it('takes the card on the reader: declined kindly, then paid, recorded as a Stripe payment', async () => {
    const kiosk = await w.startKiosk(w.annie)
    expect(await w.ok('kiosk.state', {}, kiosk)).toMatchObject({ demo: false, cardEntry: 'terminal' })
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)

    const first = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-reader-1', card: { kind: 'terminal' } }, kiosk)
    const [declined] = await Promise.all([w.settle(kiosk, first.chargeId), tap('4000000000009995')])
    expect(declined).toMatchObject({ status: 'declined', message: 'La carte n’a pas été acceptée (fonds insuffisants). Aucun montant n’a été prélevé. Vous pouvez essayer une autre carte.' })

    const second = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-reader-2', card: { kind: 'terminal' } }, kiosk)
    const [paid] = await Promise.all([w.settle(kiosk, second.chargeId), tap('4000056655665556')])
    expect(paid).toMatchObject({ status: 'approved', receiptNumber: 1, cardBrand: 'visa_debit', last4: '5556' })
    const row = w.one<{ processor: string; processor_ref: string; channel: string }>('SELECT processor, processor_ref, channel FROM payments')
    expect(row).toMatchObject({ processor: 'stripe', channel: 'kiosk', processor_ref: expect.stringMatching(/^pi_/) })
    expect(fake.paymentIntent(row.processor_ref)).toMatchObject({ status: 'succeeded', amount: 2500 })
    expect(w.all(`SELECT method, method_ref FROM kiosk_charges`)).toEqual([
      { method: 'terminal', method_ref: reader },
      { method: 'terminal', method_ref: reader },
    ])
  })
})
