import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANCHOR } from '../../central/helpers'
import { ok } from '../fixtures'
import { centralRecords, enrolRig, kioskBuy, kioskFamilyWithTwoItems, localRecords, startRig, type SyncRig } from './helpers'

/**
 * A day of parents on the portal (the simulator) while the office closes and publishes items and
 * refunds a sale, with the board dropping about a quarter of its answers after committing
 * (seeded). Then both sides hold exactly the same items, orders, payments, refunds and consents.
 *
 * Kiosk sales made during the day are in it too (a card sale and one paid with a family credit,
 * numbered in the office's receipt series, and their credit entries).
 */

let rig: SyncRig
beforeAll(async () => {
  rig = await startRig({ simulatorSeed: 11 })
})
afterAll(async () => {
  await rig.close()
})

describe('convergence', () => {
  it('converges with nothing lost and nothing doubled under 25% lost answers', async () => {
    await enrolRig(rig)
    const raw = rig.core.connection.raw
    rig.central.faults.configure({ seed: 20261120, rates: { drop_response: 0.25 } })

    const published = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND status = 'published' ORDER BY kind IN ('product', 'consent_form') DESC, id").pluck().all(rig.school) as string[]
    const kioskOrder = raw.prepare("SELECT o.id FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.school_id = ? AND o.channel = 'kiosk' AND p.processor = 'demo' ORDER BY o.created_at LIMIT 1").pluck().get(rig.school) as string
    // The day's steps below need both: without them it would skip them and still pass.
    expect(published.length).toBeGreaterThanOrEqual(2)
    expect(kioskOrder).toEqual(expect.any(String))
    let requests = 0
    // A family with two things to buy (bought before 4, when the first published item closes).
    const family = await kioskFamilyWithTwoItems(rig)
    let cardSale: { orderId: string; paymentId: string } | null = null
    let creditSale: { creditCents: number } | null = null
    for (let hour = 0; hour < 24; hour += 2) {
      await rig.central.simulator.advance(2 * 3600_000)
      if (hour === 4 && published[0]) {
        const d = await ok(rig.core, 'catalogue.get', { id: published[0] }, rig.secretary)
        await ok(rig.core, 'catalogue.close', { id: published[0], version: d.version }, rig.secretary)
      }
      if (hour === 8) {
        const created = await ok(
          rig.core,
          'catalogue.create',
          {
            schoolId: rig.school,
            draft: {
              kind: 'product',
              titleFr: 'Chandail de l’école',
              titleEn: 'School sweater',
              descriptionFr: 'Le chandail officiel.',
              descriptionEn: 'The official sweater.',
              opensAt: '2026-11-20T20:00:00Z',
              deadlineAt: '2026-12-15T17:00:00Z',
              priceCents: 2500,
              feePer: null,
              required: false,
              stockLimit: 100,
              perStudentLimit: 2,
              reminderDaysBefore: 3,
              targets: [{ kind: 'school', value: rig.school }],
              variants: [],
              dates: [],
              outing: null,
              questions: [],
            },
          },
          rig.secretary,
        )
        await ok(rig.core, 'catalogue.publish', { id: created.id, version: created.version, confirmWarnings: true }, rig.secretary)
      }
      if (hour === 0) {
        // A kiosk sale on a card whose refunds fail (the demo's 4000 0000 0000 5126).
        cardSale = await kioskBuy(rig, family.kiosk, family.a, '4000 0000 0000 5126', false)
      }
      if (hour === 2 && cardSale) {
        // Refunded; the refund fails; staff settle it as the family's credit.
        await ok(rig.core, 'refunds.refundOrder', { orderId: cardSale.orderId, reason: 'Erreur de commande' }, rig.principal)
        await rig.core.refunds.drain()
        const failed = raw.prepare(`SELECT id FROM refund_states WHERE payment_id = ? AND status = 'failed'`).pluck().get(cardSale.paymentId) as string
        await ok(rig.core, 'refunds.settleAsCredit', { refundId: failed, reason: 'Carte expirée' }, rig.principal)
      }
      if (hour === 2) {
        // The credit spent on the family's next sale, the card paying the rest.
        creditSale = await kioskBuy(rig, family.kiosk, family.b, '4242 4242 4242 4242', true)
      }
      if (hour === 12 && kioskOrder) {
        await ok(rig.core, 'refunds.refundOrder', { orderId: kioskOrder, reason: 'Erreur de commande' }, rig.principal)
        await rig.core.refunds.drain()
      }
      if (hour === 16 && published[1]) {
        const d = await ok(rig.core, 'catalogue.get', { id: published[1] }, rig.secretary)
        await ok(rig.core, 'catalogue.update', { id: published[1], version: d.version, draft: { ...d.draft, descriptionFr: 'Texte revu par le secrétariat.' } }, rig.secretary)
      }
      await rig.core.sync.kick()
      requests = rig.central.faults.log.length
    }
    const dropped = rig.central.faults.counts().drop_response ?? 0
    expect(dropped).toBeGreaterThan(3)
    // The network settles: the last runs go through.
    rig.central.faults.off()
    for (let i = 0; i < 3; i++) await rig.core.sync.kick()

    expect(rig.central.simulator.events.length).toBeGreaterThan(50)
    expect(requests).toBeGreaterThan(0)
    expect(raw.prepare("SELECT count(*) FROM outbox WHERE state NOT IN ('applied', 'duplicate')").pluck().get()).toBe(0)
    // The day's kiosk sales are in what both sides hold, the second one partly paid with credit.
    expect(creditSale?.creditCents).toBeGreaterThan(0)
    // (The demo board before the day has office sales and credits of its own.)
    expect(raw.prepare("SELECT count(*) FROM payments WHERE school_id = ? AND receipt_series = 'office' AND created_at >= ?").pluck().get(rig.school, ANCHOR)).toBe(2)
    expect(raw.prepare('SELECT count(*) FROM family_credits WHERE school_id = ? AND created_at >= ?').pluck().get(rig.school, ANCHOR)).toBe(2)
    for (const school of await rig.central.store.schools()) {
      const local = localRecords(raw, school.id)
      const board = await centralRecords(rig.central, school.id)
      expect(local).toEqual(board)
      for (const list of Object.values(local)) expect(new Set(list.map((r) => r.id)).size).toBe(list.length)
    }
    // Each mutation was applied once: the board's log holds one entry per outbox row.
    expect(await rig.central.store.mutationCount()).toBe(raw.prepare('SELECT count(*) FROM outbox').pluck().get())
  }, 180_000) // the board plays its parents act by act against its database
})
