import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from '../fixtures'
import { APPROVED, consentInput, kioskWorld, type KioskWorld } from './helpers'

let w: KioskWorld
beforeEach(async () => {
  w = await kioskWorld()
})
afterEach(() => w.cleanup())

const card = { kind: 'test_card' as const, number: APPROVED }

describe('checked again when paying, not only when the screen opened', () => {
  it('refuses a pizza date whose cutoff passed while the screen was open, and writes nothing', async () => {
    // The date of the 27th closes on the 25th at noon (17:00 UTC); the parent sits down a minute before.
    w.clock.ms = Date.parse('2026-11-25T16:59:00.000Z')
    await w.signInAgain()
    const kiosk = await w.startKiosk(w.annie)
    const family = await w.ok('kiosk.family', {}, kiosk)
    const pizza = family.children.find((c) => c.id === w.leo)!.items.find((i) => i.offeringId === w.pizza)!
    expect(pizza.dates.map((d) => d.date)).toEqual(['2026-11-27', '2026-12-04', '2026-12-11'])
    await w.ok('kiosk.cartAdd', { studentId: w.leo, offeringId: w.pizza, programDateId: w.dates[0]!, variantId: w.cheese }, kiosk)
    await w.ok('kiosk.cartAdd', { studentId: w.leo, offeringId: w.pizza, programDateId: w.dates[1]!, variantId: w.cheese }, kiosk)

    w.clock.ms = Date.parse('2026-11-25T17:00:00.000Z') // the cutoff, to the millisecond, the screen still open
    const error = await w.refused('kiosk.pay', { schoolId: w.schoolB, requestId: 'request-late-1', card }, kiosk)
    expect(error.code).toBe('KIOSK_NOT_AVAILABLE')
    expect(error.issues).toEqual([{ path: expect.stringContaining(w.dates[0]!), message: expect.stringMatching(/^Les commandes pour le vendredi 27 novembre 2026 sont fermées\.$/) }])
    expect(count(w.raw, 'orders')).toBe(0)
    expect(count(w.raw, 'kiosk_charges')).toBe(0)
    expect(w.processor.calls).toEqual([])
    // The cart says which line, and the rest can be paid once it is removed.
    const cart = await w.ok('kiosk.cart', {}, kiosk)
    const late = cart.schools[0]!.lines.find((l) => l.problems.length > 0)!
    expect(cart.schools[0]!.payable).toBe(false)
    await w.ok('kiosk.cartRemove', { key: late.key }, kiosk)
    const paid = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolB, requestId: 'request-late-2', card }, kiosk)).chargeId)
    expect(paid).toMatchObject({ status: 'approved', amountCents: 300 })
  })

  it('refuses an outing whose deadline passed, for the consent and for the payment', async () => {
    w.clock.ms = Date.parse('2026-12-01T04:58:00.000Z')
    await w.signInAgain()
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.answer', consentInput(w), kiosk)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.outing }, kiosk)
    w.clock.ms = Date.parse('2026-12-01T04:59:00.000Z')
    expect((await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-outing-late', card }, kiosk)).issues?.[0]?.message).toMatch(/date limite est passée/)
    expect((await w.refused('kiosk.answer', { ...consentInput(w), decision: 'declined' }, kiosk)).code).toBe('KIOSK_NOT_AVAILABLE')
    // Closed items are no longer shown.
    const family = await w.ok('kiosk.family', {}, kiosk)
    expect(family.children.find((c) => c.id === w.zoe)!.items.map((i) => i.offeringId)).not.toContain(w.outing)
  })

  it('re-counts the stock at payment: what sold meanwhile is gone', async () => {
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.butter, quantity: 2 }, kiosk)
    expect((await w.refused('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.caramel, quantity: 1 }, kiosk)).issues?.[0]?.message).toMatch(/maximum/)
    // Online, another family buys two bags of the three.
    w.raw.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('online-1', ?, ?, 'online', ?)`).run(w.schoolA, w.marc, '2026-11-20T15:01:00.000Z')
    w.raw.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, variant_id, quantity, unit_price_cents, amount_cents) VALUES ('online-l1', 'online-1', ?, ?, ?, 2, 200, 400)`).run(w.emma, w.popcorn, w.butter)
    w.raw
      .prepare(`INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at) VALUES ('online-p1', ?, 'online-1', 'board', 'pi_1', 'visa', '4242', 400, 'online', 7, ?)`)
      .run(w.schoolA, '2026-11-20T15:01:00.000Z')
    const error = await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-stock-1', card }, kiosk)
    expect(error.issues?.[0]?.message).toBe('Il n’en reste qu’un.')
    expect(count(w.raw, 'kiosk_charges')).toBe(0)
  })

  it('offers the waitlist for a full outing, and pays for a place on it', async () => {
    // One bus of 10 seats, 2 staff, 7 chaperones: one seat for students, taken by Emma.
    for (let i = 0; i < 7; i++) w.raw.prepare(`INSERT INTO outing_chaperones (id, offering_id, name, police_check_expires_on, added_at) VALUES (?, ?, ?, '2027-06-30', ?)`).run(`ch-${i}`, w.outing, `Bénévole ${i}`, '2026-11-01T00:00:00.000Z')
    w.board.consent(w.outing, w.emma, w.marc, 'granted', '2026-11-10T00:00:00.000Z')
    w.board.order(w.schoolA, w.marc, [{ student: w.emma, offering: w.outing, cents: 1800 }], true, 3)

    const kiosk = await w.startKiosk(w.annie)
    let zoe = (await w.ok('kiosk.family', {}, kiosk)).children.find((c) => c.id === w.zoe)!
    expect(zoe.items.find((i) => i.offeringId === w.outing)!.outing).toMatchObject({ seatsLeft: 0, fullIfPaid: true, state: 'no_answer' })
    await w.ok('kiosk.answer', consentInput(w), kiosk)
    const full = await w.refused('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.outing }, kiosk)
    expect(full.issues?.[0]?.message).toMatch(/liste d’attente/)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.outing, waitlist: true }, kiosk)
    const paid = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-waitlist', card }, kiosk)).chargeId)
    expect(paid.status).toBe('approved')
    zoe = (await w.ok('kiosk.family', {}, kiosk)).children.find((c) => c.id === w.zoe)!
    expect(zoe.items.find((i) => i.offeringId === w.outing)!.outing).toMatchObject({ state: 'waitlisted', waitlistPosition: 1 })
  })
})

describe('consent at the kiosk', () => {
  it('is written by the guardian, channel kiosk, with the signed name and the answers', async () => {
    const kiosk = await w.startKiosk(w.annie)
    const { decision, item } = await w.ok('kiosk.answer', { ...consentInput(w), signedName: '  annie LALONDE ' }, kiosk)
    expect(decision).toBe('granted')
    expect(item.outing?.state).toBe('consented_unpaid')
    const row = w.one<Record<string, unknown>>('SELECT * FROM consents')
    expect(row).toMatchObject({ student_id: w.zoe, guardian_id: w.annie, decision: 'granted', channel: 'kiosk', signed_name: 'annie LALONDE', recorded_by: null })
    expect(JSON.parse(row.answers as string)).toEqual([
      { questionId: w.qMed, label: 'Médicament?', value: 'no' },
      { questionId: w.qContact, label: 'Personne à joindre', value: 'Paul Lalonde 613-555-0101' },
    ])
    // Saying no afterwards is a withdrawal (nothing paid yet), a new row.
    expect((await w.ok('kiosk.answer', { ...consentInput(w), decision: 'declined', answers: [] }, kiosk)).decision).toBe('withdrawn')
    expect(count(w.raw, 'consents')).toBe(2)
  })

  it('needs the guardian’s own full name, the box ticked and every required answer', async () => {
    const kiosk = await w.startKiosk(w.annie)
    const wrongName = await w.refused('kiosk.answer', { ...consentInput(w), signedName: 'Marc Roy' }, kiosk)
    expect(wrongName.issues).toEqual([{ path: 'signedName', message: 'Écrivez votre prénom et votre nom, comme l’école les a.' }])
    const unticked = await w.refused('kiosk.answer', { ...consentInput(w), confirmed: false as unknown as true }, kiosk)
    expect(unticked.issues).toEqual([{ path: 'confirmed', message: 'Cochez la case pour confirmer.' }])
    const missing = await w.refused('kiosk.answer', { ...consentInput(w), answers: [{ questionId: w.qMed, value: 'maybe' }] }, kiosk)
    expect(missing.issues?.map((i) => i.path).sort()).toEqual([`answers.${w.qContact}`, `answers.${w.qMed}`].sort())
    expect(count(w.raw, 'consents')).toBe(0)
  })
})

describe('idle time', () => {
  it('expires the kiosk after 90 s without a call: the family and the cart are gone, only the PIN is taken', async () => {
    const kiosk = await w.startKiosk(w.annie, { pin: '2468' })
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    w.clock.ms += 60_000
    expect((await w.ok('kiosk.state', {}, kiosk)).cartCount).toBe(1) // a call: the parent is there
    w.clock.ms += 89_000
    expect((await w.ok('kiosk.cart', {}, kiosk)).totalCents).toBe(2500)
    w.clock.ms += 90_000
    expect((await w.refused('kiosk.family', {}, kiosk)).code).toBe('KIOSK_EXPIRED')
    expect((await w.refused('kiosk.cart', {}, kiosk)).code).toBe('KIOSK_EXPIRED')
    expect((await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-expired', card }, kiosk)).code).toBe('KIOSK_EXPIRED')
    expect(await w.ok('kiosk.state', {}, kiosk)).toMatchObject({ active: false, guardian: null, cartCount: 0 })
    // Coming back does not bring the family back.
    w.clock.ms += 1_000
    expect((await w.refused('kiosk.family', {}, kiosk)).code).toBe('KIOSK_EXPIRED')
    await w.ok('kiosk.end', { pin: '2468' }, kiosk)
    expect((await w.refused('kiosk.state', {}, kiosk)).code).toBe('NOT_SIGNED_IN')
  })

  it('uses the idle time the office chose', async () => {
    const kiosk = await w.startKiosk(w.annie, { idleSeconds: 10 })
    w.clock.ms += 9_000
    await w.ok('kiosk.family', {}, kiosk)
    w.clock.ms += 10_000
    expect((await w.refused('kiosk.family', {}, kiosk)).code).toBe('KIOSK_EXPIRED')
    // The staff session was not touched by any of it.
    expect((await w.ok('auth.session', {}, w.staff)).locked).toBe(false)
  })
})

describe('finding the family', () => {
  it('by a guardian’s name, a phone number, an email, or a child’s name', async () => {
    const find = async (query: string) => (await w.ok('kiosk.findFamilies', { query }, w.staff)).families.map((f) => `${f.firstName} ${f.lastName}`)
    expect(await find('lalonde annie')).toEqual(['Annie Lalonde'])
    expect(await find('zoe')).toEqual(['Annie Lalonde'])
    expect(await find('emma')).toEqual(['Marc Roy'])
    expect(await find('annie@example')).toEqual(['Annie Lalonde'])
    expect((await find('(613) 555-0100')).sort()).toEqual(['Annie Lalonde', 'Marc Roy'])
    const [annie] = (await w.ok('kiosk.findFamilies', { query: 'Annie' }, w.staff)).families
    expect(annie!.children.map((c) => [c.firstName, c.schoolName])).toEqual([
      ['Léo', 'École Sainte-Autre'],
      ['Zoé', 'École Saint-Test'],
    ])
  })
})
