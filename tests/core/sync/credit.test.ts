import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KioskPaymentView } from '../../../src/shared/contract/kiosk'
import { ok, tempDir } from '../fixtures'
import { enrolRig, kioskBuy, kioskFamilyWithTwoItems, openCore, seedGuichet, settleKiosk, startRig, type KioskItemToBuy, type SyncRig } from './helpers'

/**
 * A family's credit spent at the kiosk and given back by a refund, through the real sync client
 * and the reference server: the sale and the refunds reach the board once, with their tenders, and
 * come back in the feed without touching the rows the office wrote.
 */

let rig: SyncRig
beforeEach(async () => {
  rig = await startRig()
})
afterEach(async () => {
  await rig.close()
})

type Row = Record<string, unknown>
const raw = () => rig.core.connection.raw
const one = <T = Row>(sql: string, ...args: unknown[]) => raw().prepare(sql).get(...args) as T
const all = <T = Row>(sql: string, ...args: unknown[]) => raw().prepare(sql).all(...args) as T[]

/**
 * A guardian of the school with a paid line, a child the kiosk can sell something to, and a
 * credit at that school: a refund of part of that line failed and staff settled it as credit.
 */
async function familyWithCredit() {
  const candidates = all<{ guardianId: string; paymentId: string; lineId: string; cents: number }>(
    `SELECT o.guardian_id AS guardianId, p.id AS paymentId, l.id AS lineId, l.amount_cents AS cents
     FROM payments p JOIN orders o ON o.id = p.order_id JOIN order_lines l ON l.order_id = o.id
     WHERE p.school_id = ? AND l.amount_cents >= 200 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)
       AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id) AND NOT EXISTS (SELECT 1 FROM family_credits c WHERE c.guardian_id = o.guardian_id)
     ORDER BY p.created_at, l.id`,
    rig.school,
  )
  for (const c of candidates) {
    const kiosk = (await ok(rig.core, 'kiosk.start', { guardianId: c.guardianId, pin: null, idleSeconds: 900 }, rig.secretary)).token
    const family = await ok(rig.core, 'kiosk.family', {}, kiosk)
    for (const child of family.children.filter((x) => x.schoolId === rig.school)) {
      const item = child.items.find((i) => (i.kind === 'product' || i.kind === 'fee') && !i.settled && i.stockLeft !== 0 && (i.variants.length ? i.variants[0]!.priceCents : i.priceCents) >= 200)
      if (!item) continue
      const price = item.variants.length ? item.variants[0]!.priceCents : item.priceCents
      // Half the sale's price, at most the line it comes from: the card pays the rest.
      const credit = Math.min(c.cents, Math.floor(price / 2))
      const now = new Date(rig.clock.ms).toISOString()
      raw()
        .prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at) VALUES (?, ?, ?, ?, 'Trop perçu', 'failed', ?, ?, ?)`)
        .run(`failed-${c.lineId}`, c.paymentId, c.lineId, credit, `k-failed-${c.lineId}`, now, now)
      // The board has the failed refund too (as if it had been synced), so it takes the credit for it.
      await rig.central.store.put('refund', { id: `failed-${c.lineId}`, schoolId: rig.school, paymentId: c.paymentId, orderLineId: c.lineId, amountCents: credit, reason: 'Trop perçu', status: 'failed', reversed: false, processorRef: null, failureCode: 'expired_or_canceled_card', requestedAt: now, settledAt: now, tender: 'card' })
      await ok(rig.core, 'refunds.settleAsCredit', { refundId: `failed-${c.lineId}`, reason: 'Carte expirée' }, rig.secretary)
      return { kiosk, guardianId: c.guardianId, child, item, price, credit }
    }
    await ok(rig.core, 'kiosk.end', { pin: 'guichet' }, kiosk)
  }
  throw new Error('no family of the demo board to sell to')
}

const settle = (kiosk: string, started: KioskPaymentView) => settleKiosk(rig, kiosk, started)

describe('a kiosk sale paid partly with the family’s credit, and its refund, through sync', () => {
  it('reaches the board once with both tenders, comes back unchanged, and its refund to credit says so', async () => {
    await enrolRig(rig)
    const f = await familyWithCredit()
    await ok(rig.core, 'kiosk.cartAdd', { studentId: f.child.id, offeringId: f.item.offeringId, variantId: f.item.variants[0]?.id ?? null }, f.kiosk)
    const started = await ok(rig.core, 'kiosk.pay', { schoolId: rig.school, requestId: `request-${randomUUID()}`, useCredit: true, card: { kind: 'test_card', number: '4242 4242 4242 4242' } }, f.kiosk)
    const paid = await settle(f.kiosk, started)
    expect(paid).toMatchObject({ status: 'approved', amountCents: f.price, creditCents: f.credit })
    const paymentId = paid.paymentId!
    const localPayment = one(`SELECT * FROM payments WHERE id = ?`, paymentId)
    expect(localPayment).toMatchObject({ processor: 'demo', amount_cents: f.price, credit_cents: f.credit, card_last4: '4242', receipt_series: 'office' })
    const orderId = localPayment.order_id as string
    const localOrder = { order: one(`SELECT * FROM orders WHERE id = ?`, orderId), lines: all(`SELECT * FROM order_lines WHERE order_id = ? ORDER BY id`, orderId) }

    // The board commits the sale and its answer is lost: the replay is a duplicate, nothing twice.
    const mutationsBefore = await rig.central.store.mutationCount()
    const waiting = all<{ type: string }>(`SELECT type FROM outbox WHERE state = 'pending' AND school_id = ?`, rig.school)
    expect(waiting.map((w) => w.type)).toContain('order.record')
    rig.central.faults.inject('drop_response', { endpoint: 'mutations', times: 1 })
    const run = await rig.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    expect(await rig.central.store.mutationCount() - mutationsBefore).toBe(waiting.length)
    expect(all(`SELECT type, state FROM outbox WHERE state NOT IN ('applied', 'duplicate')`)).toEqual([])
    const sent = one<{ state: string; data: string }>(`SELECT state, data FROM outbox WHERE type = 'order.record' AND entity_id = ?`, orderId)
    expect(sent.state).toBe('duplicate')
    expect(JSON.parse(sent.data)).toMatchObject({ payment: { id: paymentId, creditCents: f.credit, amountCents: f.price } })

    expect(await rig.central.store.record('payment', paymentId)).toMatchObject({ orderId, processor: 'demo', cardBrand: 'visa', last4: '4242', amountCents: f.price, creditCents: f.credit, channel: 'kiosk' })
    expect(await rig.central.store.value(sql<{ n: number }>`SELECT count(*)::int AS n FROM payments WHERE id = ${paymentId}`)).toBe(1)
    expect(await rig.central.store.value(sql<{ n: number }>`SELECT count(*)::int AS n FROM lines WHERE order_id = ${orderId}`)).toBe(localOrder.lines.length)
    const feed = (await rig.central.store.feed(rig.school)).filter((c) => c.id === paymentId || c.id === orderId)
    expect(feed.map((c) => c.entity)).toEqual(['order', 'payment'])

    // The same run pulled the sale back: the office's rows are as the kiosk wrote them.
    expect(one(`SELECT last_seq FROM sync_state WHERE school_id = ?`, rig.school)).toEqual({ last_seq: await rig.central.store.headSeq(rig.school) })
    expect(one(`SELECT * FROM payments WHERE id = ?`, paymentId)).toEqual(localPayment)
    expect({ order: one(`SELECT * FROM orders WHERE id = ?`, orderId), lines: all(`SELECT * FROM order_lines WHERE order_id = ? ORDER BY id`, orderId) }).toEqual(localOrder)
    // And once more from the start of the feed: still nothing changes.
    raw().prepare('UPDATE sync_state SET last_seq = 0 WHERE school_id = ?').run(rig.school)
    await rig.core.sync.kick()
    expect(one(`SELECT * FROM payments WHERE id = ?`, paymentId)).toEqual(localPayment)
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM payments WHERE order_id = ?`, orderId).n).toBe(1)

    // Refunded whole: the card's part through the processor, the credit's part back to the credit.
    await ok(rig.core, 'refunds.refundOrder', { orderId, reason: 'Erreur de commande' }, rig.principal)
    await rig.core.refunds.drain()
    const localRefunds = all(`SELECT * FROM refunds WHERE payment_id = ? ORDER BY tender`, paymentId)
    expect(localRefunds.map((r) => [r.tender, r.amount_cents, r.status])).toEqual([
      ['card', f.price - f.credit, 'succeeded'],
      ['credit', f.credit, 'succeeded'],
    ])
    const told = all<{ data: string }>(`SELECT data FROM outbox WHERE type = 'refund.record' AND state = 'pending'`).map((r) => JSON.parse(r.data) as { tender: string; amountCents: number })
    expect(told.map((t) => [t.tender, t.amountCents]).sort()).toEqual([
      ['card', f.price - f.credit],
      ['credit', f.credit],
    ])
    expect((await rig.core.sync.kick()).error).toBeNull()
    expect(all<{ state: string }>(`SELECT state FROM outbox WHERE type = 'refund.record'`).map((r) => r.state)).toEqual(['applied', 'applied'])
    const board = (await rig.central.store.records('refund', rig.school)).filter((r) => r.paymentId === paymentId)
    expect(board.map((r) => [r.tender, r.amountCents, r.status]).sort()).toEqual([
      ['card', f.price - f.credit, 'succeeded'],
      ['credit', f.credit, 'succeeded'],
    ])
    // Pulled back, the refunds are the office's rows, tender and all.
    expect(all(`SELECT * FROM refunds WHERE payment_id = ? ORDER BY tender`, paymentId)).toEqual(localRefunds)
  })
})

describe('what the board sends about credit tenders', () => {
  it('stores a payment wholly by credit with no card, and keeps a refund of it to credit whatever tender the record names', async () => {
    await enrolRig(rig)
    const s = rig.central.store
    const student = (await s.records('student', rig.school)).find((x) => x.status === 'active' && x.guardians.length > 0)!
    const offering = (await s.records('offering', rig.school)).find((o) => o.status === 'published' && o.kind === 'product')!
    const orderId = randomUUID()
    const paymentId = randomUUID()
    const createdAt = new Date(rig.clock.ms).toISOString()
    await s.put('order', { id: orderId, schoolId: rig.school, guardianId: student.guardians[0]!.guardianId, channel: 'online', createdAt, lines: [{ id: randomUUID(), studentId: student.id, offeringId: offering.id, variantId: null, programDateId: null, quantity: 1, unitPriceCents: 900, amountCents: 900 }] })
    await s.put('payment', { id: paymentId, schoolId: rig.school, orderId, processor: 'credit', processorRef: `credit-${paymentId}`, cardBrand: null, last4: null, amountCents: 900, creditCents: 900, channel: 'online', receiptSeries: 'board', receiptNumber: await s.nextReceiptNumber(rig.school), createdAt })
    // An older board's refund names no tender (read as card): a payment wholly by credit cannot take it.
    const refundId = randomUUID()
    const { tender: _t, ...untendered } = { id: refundId, schoolId: rig.school, paymentId, orderLineId: null, amountCents: 400, reason: 'Annulé', status: 'succeeded' as const, reversed: false, processorRef: `credit-${refundId}`, failureCode: null, requestedAt: createdAt, settledAt: createdAt, tender: 'card' as const }
    await s.put('refund', untendered as typeof untendered & { tender: 'card' })

    const run = await rig.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    expect(one(`SELECT processor, card_brand, card_last4, amount_cents, credit_cents, receipt_series FROM payments WHERE id = ?`, paymentId)).toEqual({
      processor: 'credit',
      card_brand: null,
      card_last4: null,
      amount_cents: 900,
      credit_cents: 900,
      receipt_series: 'board',
    })
    expect(one(`SELECT tender, amount_cents, status FROM refunds WHERE id = ?`, refundId)).toEqual({ tender: 'credit', amount_cents: 400, status: 'succeeded' })
    expect(one(`SELECT last_seq FROM sync_state WHERE school_id = ?`, rig.school)).toEqual({ last_seq: await s.headSeq(rig.school) })
  })
})

describe('a family credit through sync: granted, spent, given back, and seen by a new office PC', () => {
  const CREDIT_COLUMNS = 'id, school_id, guardian_id, kind, amount_cents, refund_id, order_id, reason, created_at'

  const familyWithTwoItems = () => kioskFamilyWithTwoItems(rig)
  const buy = (kiosk: string, item: KioskItemToBuy, card: string, useCredit: boolean) => kioskBuy(rig, kiosk, item, card, useCredit)

  const balanceOf = (db: ReturnType<typeof raw>, guardianId: string) =>
    (db.prepare(`SELECT coalesce(sum(CASE kind WHEN 'granted' THEN amount_cents ELSE -amount_cents END), 0) AS n FROM family_credits WHERE school_id = ? AND guardian_id = ?`).get(rig.school, guardianId) as { n: number }).n

  it('reaches the board once each, after what it names, and a second PC pulls the same credits, balance and resolution', async () => {
    await enrolRig(rig)
    const f = await familyWithTwoItems()
    // A card whose refunds fail later: the refund of the first sale fails, staff settle it as credit.
    const first = await buy(f.kiosk, f.a, '4000 0000 0000 5126', false)
    await ok(rig.core, 'refunds.refundOrder', { orderId: first.orderId, reason: 'Erreur de commande' }, rig.principal)
    await rig.core.refunds.drain()
    const failed = one<{ id: string; status: string; tender: string; amount_cents: number }>(`SELECT s.id, s.status, r.tender, s.amount_cents FROM refund_states s JOIN refunds r ON r.id = s.id WHERE s.payment_id = ?`, first.paymentId)
    expect(failed).toMatchObject({ status: 'failed', tender: 'card', amount_cents: f.a.price })
    const granted = await ok(rig.core, 'refunds.settleAsCredit', { refundId: failed.id, reason: 'Carte expirée' }, rig.principal)
    expect(granted).toMatchObject({ amountCents: f.a.price, balanceCents: f.a.price })

    // Spent on the second sale (the card pays what the credit does not), then that sale refunded:
    // the credit's part goes back to the credit.
    const second = await buy(f.kiosk, f.b, '4242 4242 4242 4242', true)
    const spent = Math.min(f.a.price, f.b.price)
    expect(second.creditCents).toBe(spent)
    await ok(rig.core, 'refunds.refundOrder', { orderId: second.orderId, reason: 'Sortie annulée' }, rig.principal)
    await rig.core.refunds.drain()
    const back = one<{ id: string; status: string; amount_cents: number }>(`SELECT id, status, amount_cents FROM refunds WHERE payment_id = ? AND tender = 'credit'`, second.paymentId)
    expect(back).toMatchObject({ status: 'succeeded', amount_cents: spent })

    const local = all(`SELECT ${CREDIT_COLUMNS} FROM family_credits WHERE school_id = ? AND guardian_id = ? ORDER BY id`, rig.school, f.guardianId)
    expect(local.map((c) => [c.kind, c.amount_cents, c.refund_id ?? c.order_id]).sort()).toEqual(
      [
        ['granted', f.a.price, failed.id],
        ['granted', spent, back.id],
        ['used', spent, second.orderId],
      ].sort(),
    )
    expect(balanceOf(raw(), f.guardianId)).toBe(f.a.price)

    // Each entry's mutation, in the transaction that wrote it, comes after the one the board needs first.
    const outbox = all<{ seq: number; type: string; entity_id: string; data: string }>(`SELECT seq, type, entity_id, data FROM outbox WHERE state = 'pending' ORDER BY seq`)
    const seqOf = (type: string, entityId: string, where: (d: Record<string, unknown>) => boolean = () => true) => {
      const rows = outbox.filter((o) => o.type === type && o.entity_id === entityId && where(JSON.parse(o.data) as Record<string, unknown>))
      expect(rows, `${type} ${entityId}`).toHaveLength(1)
      return rows[0]!.seq
    }
    const credits = outbox.filter((o) => o.type === 'credit.record')
    expect(credits.map((o) => o.entity_id).sort()).toEqual(local.map((c) => c.id as string).sort())
    for (const c of local) {
      const at = seqOf('credit.record', c.id as string)
      expect(JSON.parse(outbox.find((o) => o.seq === at)!.data)).toEqual({ id: c.id, guardianId: f.guardianId, kind: c.kind, amountCents: c.amount_cents, refundId: c.refund_id, orderId: c.order_id, reason: c.reason, createdAt: c.created_at })
      const before = c.kind === 'used' ? seqOf('order.record', c.order_id as string) : seqOf('refund.record', c.refund_id as string, (d) => d.status !== 'pending')
      expect(at, `credit ${c.kind} after what it names`).toBeGreaterThan(before)
    }

    // All of it in one push whose answers are lost twice: applied once each, in outbox order.
    const mutationsBefore = await rig.central.store.mutationCount()
    rig.central.faults.inject('drop_response', { endpoint: 'mutations', times: 2 })
    for (let i = 0; i < 3 && all(`SELECT 1 FROM outbox WHERE state = 'pending'`).length > 0; i++) await rig.core.sync.kick()
    expect(all(`SELECT type, state, result FROM outbox WHERE state NOT IN ('applied', 'duplicate')`)).toEqual([])
    expect(all<{ state: string }>(`SELECT state FROM outbox WHERE type = 'credit.record' ORDER BY seq`).map((r) => r.state)).toContain('duplicate')
    expect(await rig.central.store.mutationCount() - mutationsBefore).toBe(outbox.length)
    const board = (await rig.central.store.records('credit', rig.school)).filter((c) => c.guardianId === f.guardianId)
    expect(board.map((c) => ({ id: c.id, school_id: c.schoolId, guardian_id: c.guardianId, kind: c.kind, amount_cents: c.amountCents, refund_id: c.refundId, order_id: c.orderId, reason: c.reason, created_at: c.createdAt })).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(local)
    const familyCredit = (c: { entity: string; data: string | null }) => c.entity === 'credit' && (JSON.parse(c.data!) as { guardianId: string }).guardianId === f.guardianId
    expect((await rig.central.store.feed(rig.school)).filter(familyCredit).map((c) => c.id).sort()).toEqual(local.map((c) => c.id).sort())
    expect(await rig.central.store.creditBalance(rig.school, f.guardianId)).toBe(f.a.price)

    // Our own credits came back in the same run's pull: nothing changed, created_by and all.
    const ours = all(`SELECT * FROM family_credits ORDER BY id`)
    raw().prepare('UPDATE sync_state SET last_seq = 0 WHERE school_id = ?').run(rig.school)
    expect((await rig.core.sync.kick()).error).toBeNull()
    expect(all(`SELECT * FROM family_credits ORDER BY id`)).toEqual(ours)

    // A new office PC of the school, enrolled fresh (the same demo board the central was made from):
    // it pulls the same credits and balance, and the failed refund is no longer waiting there.
    const dir = tempDir()
    const file = join(dir.dir, 'guichet-2.sqlite')
    await seedGuichet(file)
    const pc2 = await openCore(file, rig.clock)
    try {
      const principal2 = (await ok(pc2, 'auth.signIn', { username: 'direction', password: 'guichet' })).token
      expect(all(`SELECT ${CREDIT_COLUMNS} FROM family_credits`)).not.toEqual([])
      // It has the demo board's own credits, not this family's yet.
      expect(pc2.connection.raw.prepare('SELECT count(*) AS n FROM family_credits WHERE guardian_id = ?').get(f.guardianId)).toEqual({ n: 0 })
      const { code } = await rig.central.store.createEnrollmentCode()
      await ok(pc2, 'sync.enroll', { centralUrl: rig.central.url, code, deviceName: 'Poste de la direction' }, principal2)
      expect(await pc2.sync.kick()).toMatchObject({ ok: true, error: null })
      const raw2 = pc2.connection.raw
      expect(raw2.prepare('SELECT last_seq FROM sync_state WHERE school_id = ?').get(rig.school)).toEqual({ last_seq: await rig.central.store.headSeq(rig.school) })
      expect(raw2.prepare(`SELECT ${CREDIT_COLUMNS} FROM family_credits WHERE school_id = ? ORDER BY id`).all(rig.school)).toEqual(all(`SELECT ${CREDIT_COLUMNS} FROM family_credits WHERE school_id = ? ORDER BY id`, rig.school))
      expect(balanceOf(raw2, f.guardianId)).toBe(f.a.price)
      expect(raw2.prepare(`SELECT status FROM refund_states WHERE id = ?`).get(failed.id)).toEqual({ status: 'failed' })
      const grantedId = local.find((c) => c.refund_id === failed.id)!.id
      expect(raw2.prepare(`SELECT kind, retry_refund_id, credit_id, reason, resolved_by FROM refund_resolutions WHERE refund_id = ?`).get(failed.id)).toEqual({
        kind: 'credited',
        retry_refund_id: null,
        credit_id: grantedId,
        reason: 'Carte expirée',
        resolved_by: null,
      })
      const waiting = await ok(pc2, 'refunds.failed', { schoolId: rig.school }, principal2)
      expect(waiting.refunds.map((r) => r.refundId)).not.toContain(failed.id)
      // This PC's kiosk sales come with their receipts in the office series, numbers and all
      // (the same numbers stand in the board's series: no collision), and print the same.
      const sales = all<{ id: string; receipt_series: string; receipt_number: number }>(`SELECT id, receipt_series, receipt_number FROM payments WHERE id IN (?, ?) ORDER BY id`, first.paymentId, second.paymentId)
      expect(sales.map((s) => s.receipt_series)).toEqual(['office', 'office'])
      expect(raw2.prepare(`SELECT id, receipt_series, receipt_number FROM payments WHERE id IN (?, ?) ORDER BY id`).all(first.paymentId, second.paymentId)).toEqual(sales)
      expect(raw2.prepare(`SELECT count(*) AS n FROM payments WHERE school_id = ? AND receipt_series = 'board' AND receipt_number IN (?, ?)`).get(rig.school, ...sales.map((s) => s.receipt_number))).toEqual({ n: 2 })
      // The refund back to credit is not a failure: nothing to resolve for it.
      expect(raw2.prepare('SELECT count(*) AS n FROM refund_resolutions WHERE refund_id = ?').get(back.id)).toEqual({ n: 0 })
      // Pulling the whole feed again changes nothing.
      const pulled = raw2.prepare('SELECT * FROM family_credits ORDER BY id').all()
      raw2.prepare('UPDATE sync_state SET last_seq = 0 WHERE school_id = ?').run(rig.school)
      expect((await pc2.sync.kick()).error).toBeNull()
      expect(raw2.prepare('SELECT * FROM family_credits ORDER BY id').all()).toEqual(pulled)
    } finally {
      await pc2.close()
      dir.cleanup()
    }
  })
})

describe('credits the board sends that this PC cannot take', () => {
  it('leaves out an entry the local rules refuse, applies the rest of the page and moves the cursor past it', async () => {
    await enrolRig(rig)
    const s = rig.central.store
    const paid = one<{ paymentId: string; orderId: string; guardianId: string; cents: number }>(
      `SELECT p.id AS paymentId, o.id AS orderId, o.guardian_id AS guardianId, p.amount_cents AS cents FROM payments p JOIN orders o ON o.id = p.order_id
       WHERE p.school_id = ? AND p.amount_cents >= 300 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)
         AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id) AND NOT EXISTS (SELECT 1 FROM family_credits c WHERE c.guardian_id = o.guardian_id)
       ORDER BY p.id LIMIT 1`,
      rig.school,
    )
    const at = new Date(rig.clock.ms).toISOString()
    const refundId = randomUUID()
    await s.put('refund', { id: refundId, schoolId: rig.school, paymentId: paid.paymentId, orderLineId: null, amountCents: 300, reason: 'Annulé', status: 'failed', reversed: false, processorRef: null, failureCode: 'expired_or_canceled_card', requestedAt: at, settledAt: at, tender: 'card' })
    // Spent before it was granted: this PC's trigger keeps a balance from going below zero.
    const early = { id: randomUUID(), schoolId: rig.school, guardianId: paid.guardianId, kind: 'used' as const, amountCents: 300, refundId: null, orderId: paid.orderId, reason: null, createdAt: at }
    await s.put('credit', early)
    // A credit for a refund this PC never heard of (its foreign key).
    const orphan = { id: randomUUID(), schoolId: rig.school, guardianId: paid.guardianId, kind: 'granted' as const, amountCents: 300, refundId: randomUUID(), orderId: null, reason: 'Carte expirée', createdAt: at }
    await s.put('credit', orphan)
    const grant = { id: randomUUID(), schoolId: rig.school, guardianId: paid.guardianId, kind: 'granted' as const, amountCents: 300, refundId, orderId: null, reason: 'Carte expirée', createdAt: at }
    await s.put('credit', grant)

    const run = await rig.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    expect(one(`SELECT last_seq FROM sync_state WHERE school_id = ?`, rig.school)).toEqual({ last_seq: await s.headSeq(rig.school) })
    expect(all(`SELECT id, kind, amount_cents, refund_id, created_by FROM family_credits WHERE guardian_id = ?`, paid.guardianId)).toEqual([{ id: grant.id, kind: 'granted', amount_cents: 300, refund_id: refundId, created_by: null }])
    expect(one(`SELECT kind, credit_id, reason, resolved_by FROM refund_resolutions WHERE refund_id = ?`, refundId)).toEqual({ kind: 'credited', credit_id: grant.id, reason: 'Carte expirée', resolved_by: null })
    // Each entry left out is in the audit log, with the rule that refused it.
    const noted = all<{ entity_id: string; detail: string }>(`SELECT entity_id, detail FROM audit_log WHERE action = 'sync.creditNotApplied' ORDER BY seq`)
    expect(noted.map((n) => n.entity_id)).toEqual([early.id, orphan.id])
    expect(JSON.parse(noted[0]!.detail)).toEqual({ reason: expect.stringMatching(/within its balance/) })
    expect(JSON.parse(noted[1]!.detail)).toEqual({ reason: expect.stringMatching(/FOREIGN KEY|credit is granted/) })
    // The same page again: nothing more, not even in the audit log.
    raw().prepare('UPDATE sync_state SET last_seq = 0 WHERE school_id = ?').run(rig.school)
    expect((await rig.core.sync.kick()).error).toBeNull()
    expect(all(`SELECT entity_id FROM audit_log WHERE action = 'sync.creditNotApplied'`)).toHaveLength(2)
  })
})
