import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { createCore, type Core } from '../../../src/core'
import { openDatabase } from '../../../src/core/db/connection'
import { seedDemoBoard } from '../../../src/core/demo/seed'
import type { SecretBox } from '../../../src/core/services/secrets'
import type { KioskPaymentView } from '../../../src/shared/contract/kiosk'
import { ANCHOR, SMALL, startCentral, type TestCentral } from '../../central/helpers'
import { FAST_SCRYPT, ok, tempDir } from '../fixtures'

/** A box that "seals" by reversing base64: enough to check the token is never stored in clear. */
export const testBox: SecretBox = {
  scheme: 'test-box',
  seal: (plain) => Buffer.from(Buffer.from(plain, 'utf8').toString('base64').split('').reverse().join(''), 'utf8'),
  open: (sealed) => Buffer.from(sealed.toString('utf8').split('').reverse().join(''), 'base64').toString('utf8'),
}

export interface SyncRig {
  core: Core
  central: TestCentral
  clock: { ms: number }
  file: string
  principal: string
  secretary: string
  school: string
  close(): Promise<void>
}

/** A Guichet demo database and a central store made from the same generator, seed and anchor. */
export async function startRig(options: { simulatorSeed?: number; file?: string } = {}): Promise<SyncRig> {
  const dir = tempDir()
  const file = options.file ?? join(dir.dir, 'guichet.sqlite')
  await seedGuichet(file)
  const clock = { ms: Date.parse(ANCHOR) }
  const core = await openCore(file, clock)
  const central = await startCentral(options.simulatorSeed !== undefined ? { simulatorSeed: options.simulatorSeed } : {})
  const principal = (await ok(core, 'auth.signIn', { username: 'direction', password: 'guichet' })).token
  const secretary = (await ok(core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
  const rig: SyncRig = {
    core,
    central,
    clock,
    file,
    principal,
    secretary,
    school: central.schoolId,
    async close() {
      await rig.core.close()
      await central.close()
      dir.cleanup()
    },
  }
  return rig
}

/** A fresh Guichet database from the demo generator: what the reference central is seeded from too. */
export async function seedGuichet(file: string): Promise<void> {
  const seeded = openDatabase({ file })
  seedDemoBoard(seeded.raw, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL, passwordParams: FAST_SCRYPT })
  await seeded.close()
}

export function openCore(file: string, clock: { ms: number }): Promise<Core> {
  return createCore({
    file,
    appVersion: 'test',
    nowMs: () => clock.ms,
    secretBox: () => testBox,
    logError: (e) => console.error(e),
    sync: { backoff: { baseMs: 2, maxMs: 20, attempts: 12 }, timeoutMs: 3000, pageSize: 200 },
  })
}

export async function enrolRig(rig: SyncRig): Promise<void> {
  const { code } = await rig.central.store.createEnrollmentCode()
  await ok(rig.core, 'sync.enroll', { centralUrl: rig.central.url, code, deviceName: 'Poste du secrétariat' }, rig.principal)
  await rig.core.sync.kick()
}

type Raw = Core['connection']['raw']

/** What both sides must hold the same: the records of a school, normalised to the wire shape. */
export function localRecords(raw: Raw, schoolId: string) {
  const all = (sql: string) => raw.prepare(sql).all(schoolId) as Array<Record<string, unknown>>
  return {
    offerings: all("SELECT id, version, status, title_fr AS titleFr, description_fr AS descriptionFr, deadline_at AS deadlineAt, price_cents AS priceCents FROM offerings WHERE school_id = ? AND status <> 'draft' ORDER BY id"),
    orders: all('SELECT o.id, o.guardian_id AS guardianId, o.channel, (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS lines, (SELECT sum(amount_cents) FROM order_lines l WHERE l.order_id = o.id) AS cents FROM orders o WHERE o.school_id = ? ORDER BY o.id'),
    payments: all('SELECT id, order_id AS orderId, amount_cents AS amountCents, credit_cents AS creditCents, receipt_series AS receiptSeries, receipt_number AS receiptNumber, channel FROM payments WHERE school_id = ? ORDER BY id'),
    refunds: all('SELECT r.id, r.payment_id AS paymentId, r.amount_cents AS amountCents, r.status, r.reversed FROM refund_states r JOIN payments p ON p.id = r.payment_id WHERE p.school_id = ? ORDER BY r.id'),
    consents: all('SELECT c.id, c.student_id AS studentId, c.decision, c.channel FROM consents c JOIN offerings o ON o.id = c.offering_id WHERE o.school_id = ? ORDER BY c.id'),
    credits: all('SELECT id, guardian_id AS guardianId, kind, amount_cents AS amountCents, refund_id AS refundId, order_id AS orderId FROM family_credits WHERE school_id = ? ORDER BY id'),
  }
}

export async function centralRecords(central: TestCentral, schoolId: string) {
  const s = central.store
  const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const offerings = byId(await s.records('offering', schoolId))
  const versions = new Map<string, number | undefined>()
  for (const o of offerings) versions.set(o.id, await s.version('offering', o.id))
  return {
    offerings: offerings.map((o) => ({ id: o.id, version: versions.get(o.id), status: o.status, titleFr: o.titleFr, descriptionFr: o.descriptionFr, deadlineAt: o.deadlineAt, priceCents: o.priceCents })),
    orders: byId(await s.records('order', schoolId)).map((o) => ({ id: o.id, guardianId: o.guardianId, channel: o.channel, lines: o.lines.length, cents: o.lines.reduce((n, l) => n + l.amountCents, 0) })),
    payments: byId(await s.records('payment', schoolId)).map((p) => ({ id: p.id, orderId: p.orderId, amountCents: p.amountCents, creditCents: p.creditCents, receiptSeries: p.receiptSeries, receiptNumber: p.receiptNumber, channel: p.channel })),
    refunds: byId(await s.records('refund', schoolId)).map((r) => ({ id: r.id, paymentId: r.paymentId, amountCents: r.amountCents, status: r.reversed ? 'failed' : r.status, reversed: r.reversed ? 1 : 0 })),
    consents: byId(await s.records('consent', schoolId)).map((c) => ({ id: c.id, studentId: c.studentId, decision: c.decision, channel: c.channel })),
    credits: byId(await s.records('credit', schoolId)).map((c) => ({ id: c.id, guardianId: c.guardianId, kind: c.kind, amountCents: c.amountCents, refundId: c.refundId, orderId: c.orderId })),
  }
}

/** An item the kiosk can sell to a child of the family. */
export interface KioskItemToBuy {
  studentId: string
  offeringId: string
  variantId: string | null
  price: number
}

/** A family of the rig's school with two things (an item for a child) it can buy at the kiosk, its kiosk open; `exclude`: items the caller will close. */
export async function kioskFamilyWithTwoItems(rig: SyncRig, exclude: readonly string[] = []): Promise<{ kiosk: string; guardianId: string; a: KioskItemToBuy; b: KioskItemToBuy }> {
  const raw = rig.core.connection.raw
  const guardians = raw
    .prepare(`SELECT DISTINCT sg.guardian_id AS id FROM student_guardians sg JOIN students s ON s.id = sg.student_id WHERE s.school_id = ? AND s.status = 'active' ORDER BY 1`)
    .all(rig.school) as Array<{ id: string }>
  for (const g of guardians) {
    const kiosk = (await ok(rig.core, 'kiosk.start', { guardianId: g.id, pin: null, idleSeconds: 900 }, rig.secretary)).token
    const family = await ok(rig.core, 'kiosk.family', {}, kiosk)
    const buyable = family.children
      .filter((x) => x.schoolId === rig.school)
      .flatMap((child) =>
        child.items
          .filter((i) => (i.kind === 'product' || i.kind === 'fee') && !i.settled && i.stockLeft !== 0 && (i.variants.length ? i.variants[0]!.priceCents : i.priceCents) >= 200)
          .filter((i) => !exclude.includes(i.offeringId))
          .map((i) => ({ studentId: child.id, offeringId: i.offeringId, variantId: i.variants[0]?.id ?? null, price: i.variants.length ? i.variants[0]!.priceCents : i.priceCents })),
      )
    if (buyable.length >= 2) return { kiosk, guardianId: g.id, a: buyable[0]!, b: buyable[1]! }
    await ok(rig.core, 'kiosk.end', { pin: 'guichet' }, kiosk)
  }
  throw new Error('no family of the demo board with two items to buy')
}

/** Asks for a kiosk payment until its answer is recorded (a sale the credit paid whole has none to wait for). */
export async function settleKiosk(rig: SyncRig, kiosk: string, started: KioskPaymentView): Promise<KioskPaymentView> {
  if (started.chargeId === null) return started
  for (let i = 0; i < 400; i++) {
    const view = await ok(rig.core, 'kiosk.payment', { chargeId: started.chargeId }, kiosk)
    if (view.status !== 'processing') return view
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error('the payment never settled')
}

/** Buys one item at the kiosk with a demo card (and the family's credit first, if asked). */
export async function kioskBuy(rig: SyncRig, kiosk: string, item: KioskItemToBuy, card: string, useCredit: boolean): Promise<{ paymentId: string; orderId: string; creditCents: number }> {
  await ok(rig.core, 'kiosk.cartAdd', { studentId: item.studentId, offeringId: item.offeringId, variantId: item.variantId }, kiosk)
  const paid = await settleKiosk(rig, kiosk, await ok(rig.core, 'kiosk.pay', { schoolId: rig.school, requestId: `request-${randomUUID()}`, useCredit, card: { kind: 'test_card', number: card } }, kiosk))
  if (paid.status !== 'approved' || !paid.paymentId) throw new Error(`the kiosk sale was ${paid.status}`)
  const orderId = (rig.core.connection.raw.prepare('SELECT order_id FROM payments WHERE id = ?').get(paid.paymentId) as { order_id: string }).order_id
  return { paymentId: paid.paymentId, orderId, creditCents: paid.creditCents }
}
