import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { id, ok, T0, testCore } from './fixtures'

/**
 * A voided payment (payment_voids: cancelled before capture) took nothing, so no reader that asks
 * "is this paid?" may count it. Two families pay for the same item and date; one payment is
 * voided. Each figure is read before the void (both count, so the board really has two paid
 * orders) and after (only the live one does).
 */

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string
const ids: Record<string, string> = {}
const TODAY = '2026-11-20' // T0's school day
const LATER = '2026-11-27'
const run = (sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).run(...args)

beforeEach(async () => {
  t = await testCore()
  const b = t.board
  b.staff('sophie', 'secretary')
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  ids.school = b.school()
  b.year(ids.school)
  const c5 = b.klass(ids.school, '5e année A')
  ids.ann = b.student(ids.school, 'Ann', 'Live', '5', c5)
  ids.ben = b.student(ids.school, 'Ben', 'Voided', '5', c5)
  ids.annParent = b.guardian('Alice', 'Live', [ids.ann])
  ids.benParent = b.guardian('Bruno', 'Voided', [ids.ben])

  ids.pizza = b.offering(ids.school, 'program', 'Pizza', [['class', c5]], { price: 500 })
  ids.today = id('date')
  ids.later = id('date')
  run(`INSERT INTO program_dates (id, offering_id, date, cutoff_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)`, ids.today, ids.pizza, TODAY, '2026-11-18T17:00:00.000Z', ids.later, ids.pizza, LATER, '2026-11-25T17:00:00.000Z')
  ids.outing = b.offering(ids.school, 'outing', 'Musée', [['grade', '5']], { price: 1500 })
  run(`INSERT INTO outings (offering_id, starts_on, ends_on, destination, bus_count, seats_per_bus, staff_count, chaperone_ratio) VALUES (?, '2026-12-10', '2026-12-10', 'Ottawa', 1, 14, 2, 10)`, ids.outing)
  ids.tshirt = b.offering(ids.school, 'product', 'T-shirt', [['school', ids.school]], { price: 800 })
  b.consent(ids.outing, ids.ann, ids.annParent, 'granted', '2026-11-10T10:00:00.000Z')
  b.consent(ids.outing, ids.ben, ids.benParent, 'granted', '2026-11-10T11:00:00.000Z')

  // Ann: pizza today and the outing. Ben: the same, plus pizza next week and a T-shirt (only his
  // voided payment ever paid for those).
  const ann = b.order(
    ids.school,
    ids.annParent,
    [
      { student: ids.ann, offering: ids.pizza, cents: 500, programDate: ids.today },
      { student: ids.ann, offering: ids.outing, cents: 1500 },
    ],
    true,
    1,
  )
  const ben = b.order(
    ids.school,
    ids.benParent,
    [
      { student: ids.ben, offering: ids.pizza, cents: 500, programDate: ids.today },
      { student: ids.ben, offering: ids.pizza, cents: 500, programDate: ids.later },
      { student: ids.ben, offering: ids.outing, cents: 1500 },
      { student: ids.ben, offering: ids.tshirt, cents: 800 },
    ],
    true,
    2,
  )
  ids.benPayment = ben.paymentId!
  // A refund that settled on each payment: the live one's counts, the voided one's does not.
  const refund = (paymentId: string, lineId: string, cents: number) =>
    run(
      `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at)
       VALUES (?, ?, ?, ?, 'test', 'succeeded', ?, '2026-11-21T14:00:00.000Z', '2026-11-21T14:00:00.000Z')`,
      id('refund'),
      paymentId,
      lineId,
      cents,
      id('key'),
    )
  refund(ann.paymentId!, ann.lineIds[0]!, 200)
  refund(ids.benPayment, ben.lineIds[2]!, 300)
})
afterEach(() => t.cleanup())

function voidBen(): void {
  run(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Doublon', ?)`, ids.benPayment, T0)
}

/** The deliveries, seats and marks each screen shows for the two families. */
async function figures() {
  const sheet = await ok(t.core, 'reports.orderSheet', { programDateId: ids.today! }, secretary)
  const laterSheet = await ok(t.core, 'reports.orderSheet', { programDateId: ids.later! }, secretary)
  const dates = await ok(t.core, 'reports.programDates', { schoolId: ids.school!, from: TODAY, to: LATER }, secretary)
  const dashboard = await ok(t.core, 'dashboard.summary', { schoolId: ids.school! }, secretary)
  const grid = await ok(t.core, 'catalogue.list', {}, secretary)
  const outing = await ok(t.core, 'outings.get', { id: ids.outing! }, secretary)
  const family = async (studentId: string) => {
    const items = (await ok(t.core, 'families.ofStudent', { studentId }, secretary)).children[0]!.items
    const item = (offeringId: string) => items.find((i) => i.offeringId === offeringId)!
    return { pizza: item(ids.pizza!).paidCents, outing: item(ids.outing!).paidCents, outingRefunded: item(ids.outing!).refundedCents, tshirt: item(ids.tshirt!).paidCents }
  }
  const lockedFields = async (offeringId: string) => (await ok(t.core, 'catalogue.get', { id: offeringId }, secretary)).locks.map((l) => l.field)
  const money = await ok(t.core, 'reports.money', { from: '2026-11-01', to: '2026-11-30' }, secretary)
  const paidOf = (offeringId: string) => grid.rows.find((r) => r.id === offeringId)!.paid
  return {
    orderSheet: { total: sheet.total, students: sheet.students, classTotal: sheet.classes.reduce((n, c) => n + c.total, 0), later: laterSheet.total },
    programDates: Object.fromEntries(dates.map((d) => [d.date, d.ordered])),
    dashboardPortions: dashboard.deliveries.find((d) => d.programDateId === ids.today)!.portions,
    dashboardOuting: (({ consented, confirmed }) => ({ consented, confirmed }))(dashboard.outings.find((o) => o.offeringId === ids.outing)!),
    gridPaid: { pizza: paidOf(ids.pizza!), outing: paidOf(ids.outing!), tshirt: paidOf(ids.tshirt!) },
    outing: { paid: outing.totals.paid, confirmed: outing.totals.confirmed, consented: outing.totals.consented },
    ann: await family(ids.ann!),
    ben: await family(ids.ben!),
    pizzaLocks: await lockedFields(ids.pizza!),
    tshirtLocks: await lockedFields(ids.tshirt!),
    money: {
      totals: money.totals,
      byItem: Object.fromEntries(money.byItem.map((r) => [r.labelFr, [r.paidCents, r.refundedCents]])),
      byChannel: Object.fromEntries(money.byChannel.map((r) => [r.key, r.paidCents])),
    },
  }
}

describe('a voided payment', () => {
  it('counts as paid nowhere, while the other family’s payment still does', async () => {
    const before = await figures()
    voidBen()
    const after = await figures()

    // The supplier's order sheet, the Rapports list of dates and the dashboard's portions.
    expect(before.orderSheet).toEqual({ total: 2, students: 2, classTotal: 2, later: 1 })
    expect(after.orderSheet).toEqual({ total: 1, students: 1, classTotal: 1, later: 0 })
    expect(before.programDates).toEqual({ [TODAY]: 2, [LATER]: 1 })
    expect(after.programDates).toEqual({ [TODAY]: 1, [LATER]: 0 })
    expect([before.dashboardPortions, after.dashboardPortions]).toEqual([2, 1])

    // The catalogue grid's paid students.
    expect(before.gridPaid).toEqual({ pizza: 2, outing: 2, tshirt: 1 })
    expect(after.gridPaid).toEqual({ pizza: 1, outing: 1, tshirt: 0 })

    // The outing: Ben still consents but no longer holds a seat, here and on the dashboard.
    expect(before.outing).toEqual({ paid: 2, confirmed: 2, consented: 2 })
    expect(after.outing).toEqual({ paid: 1, confirmed: 1, consented: 2 })
    expect(before.dashboardOuting).toEqual({ consented: 2, confirmed: 2 })
    expect(after.dashboardOuting).toEqual({ consented: 2, confirmed: 1 })

    // The family panel of the students screen.
    expect(before.ben).toEqual({ pizza: 1000, outing: 1500, outingRefunded: 300, tshirt: 800 })
    expect(after.ben).toEqual({ pizza: 0, outing: 0, outingRefunded: 0, tshirt: 0 })
    expect(after.ann).toEqual(before.ann)
    expect(after.ann).toEqual({ pizza: 500, outing: 1500, outingRefunded: 0, tshirt: 0 })
  })

  it('is neither collected nor refunded in the money report', async () => {
    const before = (await figures()).money
    voidBen()
    const after = (await figures()).money
    expect(before.totals).toEqual({ paidCents: 5300, refundedCents: 500, waivedCents: 0, netCents: 4800 })
    expect(after.totals).toEqual({ paidCents: 2000, refundedCents: 200, waivedCents: 0, netCents: 1800 })
    expect(before.byItem).toEqual({ Pizza: [1500, 200], Musée: [3000, 300], 'T-shirt': [800, 0] })
    expect(after.byItem).toEqual({ Pizza: [500, 200], Musée: [1500, 0] })
    expect(after.byChannel).toEqual({ online: 2000 })
  })

  it('locks nothing of an item, and leaves a date or an item it alone paid for to the secretary', async () => {
    const before = await figures()
    expect(before.tshirtLocks).toContain('priceCents')
    expect(before.pizzaLocks).toEqual(expect.arrayContaining(['priceCents', 'dates.0.date', 'dates.1.date']))
    voidBen()
    const after = await figures()
    expect(after.tshirtLocks).not.toContain('priceCents')
    expect(after.pizzaLocks).toEqual(expect.arrayContaining(['priceCents', 'dates.0.date']))
    expect(after.pizzaLocks).not.toContain('dates.1.date')

    // Ann's live payment still makes today's date the principal's to cancel; next week's is not.
    const today = await t.core.dispatch({ method: 'catalogue.cancelDate', input: { id: ids.pizza!, version: 1, programDateId: ids.today!, reason: 'Tempête' }, session: secretary })
    expect(today.ok ? null : today.error.code).toBe('CANCEL_NEEDS_PRINCIPAL')
    const later = await ok(t.core, 'catalogue.cancelDate', { id: ids.pizza!, version: 1, programDateId: ids.later!, reason: 'Fournisseur fermé' }, secretary)
    expect(later.paidLines).toBe(0)
    const tshirt = await ok(t.core, 'catalogue.cancel', { id: ids.tshirt!, version: 1, reason: 'Rupture de stock' }, secretary)
    expect(tshirt.status).toBe('cancelled')
  })
})
