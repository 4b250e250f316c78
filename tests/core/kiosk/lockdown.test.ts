import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { contract, type MethodName } from '../../../src/shared/contract'
import { count } from '../fixtures'
import { consentInput, kioskWorld, type KioskWorld } from './helpers'

let w: KioskWorld
beforeEach(async () => {
  w = await kioskWorld()
})
afterEach(() => w.cleanup())

const names = Object.keys(contract) as MethodName[]
const kioskMethods = names.filter((m) => contract[m].access === 'kiosk')
const staffMethods = names.filter((m) => contract[m].access !== 'kiosk' && contract[m].access !== 'public')

describe('dispatch keeps the kiosk and the office apart', () => {
  it('refuses every staff method to a kiosk token, before reading its input', async () => {
    const kiosk = await w.startKiosk(w.annie)
    expect(staffMethods.length).toBeGreaterThan(30)
    for (const method of staffMethods) {
      const r = await w.core.dispatch({ method, input: { anything: 'at all' }, session: kiosk })
      expect(r.ok ? 'accepted' : r.error.code, method).toBe('FORBIDDEN')
    }
    // Its own session, a search, a refund, signing out: none of them.
    expect((await w.refused('students.search', {}, kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('auth.session', {}, kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('auth.signOut', {}, kiosk)).code).toBe('FORBIDDEN')
  })

  it('refuses every kiosk method to a staff token, and to no token at all', async () => {
    expect(kioskMethods.length).toBeGreaterThan(10)
    for (const method of kioskMethods) {
      const staff = await w.core.dispatch({ method, input: {}, session: w.staff })
      expect(staff.ok ? 'accepted' : staff.error.code, method).toBe('FORBIDDEN')
      const none = await w.core.dispatch({ method, input: {} })
      expect(none.ok ? 'accepted' : none.error.code, method).toBe('NOT_SIGNED_IN')
    }
  })

  it('leaves the staff session as it was when a kiosk opens', async () => {
    const kiosk = await w.startKiosk(w.annie)
    expect(kiosk).not.toBe(w.staff)
    const session = await w.ok('auth.session', {}, w.staff)
    expect(session.locked).toBe(false)
    expect((await w.ok('students.search', { query: 'Lalonde' }, w.staff)).total).toBe(2)
  })
})

describe('a kiosk session sees one family', () => {
  it('shows only the guardian’s own children, across their two schools', async () => {
    const kiosk = await w.startKiosk(w.annie)
    const { children } = await w.ok('kiosk.family', {}, kiosk)
    expect(children.map((c) => c.firstName).sort()).toEqual(['Léo', 'Zoé'])
    expect(new Set(children.map((c) => c.schoolId))).toEqual(new Set([w.schoolA, w.schoolB]))
    expect(JSON.stringify(children)).not.toContain('Emma')
  })

  it('refuses another family’s child everywhere', async () => {
    const kiosk = await w.startKiosk(w.annie)
    expect((await w.refused('kiosk.cartAdd', { studentId: w.emma, offeringId: w.fee }, kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('kiosk.answer', consentInput(w, w.emma), kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('kiosk.cartAdd', { studentId: 'no-such-student', offeringId: w.fee }, kiosk)).code).toBe('FORBIDDEN')
    expect(count(w.raw, 'consents')).toBe(0)

    // Marc's own payment: Annie's kiosk can neither follow it nor print its receipt.
    const marcKiosk = await w.startKiosk(w.marc)
    await w.ok('kiosk.cartAdd', { studentId: w.emma, offeringId: w.fee }, marcKiosk)
    const started = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'marc-request-1', card: { kind: 'test_card', number: '4242424242424242' } }, marcKiosk)
    const paid = await w.settle(marcKiosk, started.chargeId)
    expect(paid.status).toBe('approved')
    expect((await w.refused('kiosk.payment', { chargeId: started.chargeId! }, kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('kiosk.receipt', { paymentId: paid.paymentId! }, kiosk)).code).toBe('FORBIDDEN')
    // Replaying Marc's request id from Annie's kiosk gets nothing either.
    expect((await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'marc-request-1', card: { kind: 'test_card', number: '4242424242424242' } }, kiosk)).code).toBe('FORBIDDEN')
  })
})

describe('ending the kiosk', () => {
  it('takes the PIN set at the start, or the staff member’s own password, and nothing else', async () => {
    const kiosk = await w.startKiosk(w.annie, { pin: '4821' })
    expect((await w.refused('kiosk.end', { pin: '0000' }, kiosk)).code).toBe('KIOSK_PIN_WRONG')
    await w.ok('kiosk.end', { pin: '4821' }, kiosk)
    expect((await w.refused('kiosk.family', {}, kiosk)).code).toBe('NOT_SIGNED_IN')

    const again = await w.startKiosk(w.annie)
    await w.ok('kiosk.end', { pin: 'secret-pass' }, again)
    expect((await w.refused('kiosk.state', {}, again)).code).toBe('NOT_SIGNED_IN')
    // Audited, PIN masked.
    const rows = w.all<{ action: string; detail: string | null }>(`SELECT action, detail FROM audit_log WHERE action LIKE 'kiosk.%'`)
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['kiosk.start', 'kiosk.end']))
    expect(JSON.stringify(rows)).not.toContain('4821')
  })

  it('takes the opener’s personal PIN when the kiosk was started without one', async () => {
    await w.ok('auth.setPin', { password: 'secret-pass', pin: '1357' }, w.staff)
    const kiosk = await w.startKiosk(w.annie)
    expect((await w.refused('kiosk.end', { pin: '4821' }, kiosk)).code).toBe('KIOSK_PIN_WRONG')
    await w.ok('kiosk.end', { pin: '1357' }, kiosk)
    // A PIN given for one kiosk still wins over the personal one.
    const other = await w.startKiosk(w.annie, { pin: '4821' })
    expect((await w.refused('kiosk.end', { pin: '1357' }, other)).code).toBe('KIOSK_PIN_WRONG')
    await w.ok('kiosk.end', { pin: '4821' }, other)
  })

  it('makes a guesser wait after five wrong PINs', async () => {
    const kiosk = await w.startKiosk(w.annie, { pin: '4821' })
    for (let i = 0; i < 5; i++) expect((await w.refused('kiosk.end', { pin: `000${i}` }, kiosk)).code).toBe('KIOSK_PIN_WRONG')
    expect((await w.refused('kiosk.end', { pin: '4821' }, kiosk)).code).toBe('KIOSK_PIN_LOCKED')
    w.clock.ms += 31_000
    await w.ok('kiosk.end', { pin: '4821' }, kiosk)
  })
})
