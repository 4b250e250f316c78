import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChangesPage,
  ErrorBody,
  MutationsResponse,
  type EntityRecord,
  type MutationEnvelope,
  type MutationResult,
  type OfferingUpsertData,
} from '../../src/shared/sync/protocol'
import type { z } from 'zod'
import { exceptionsOf } from '../../central/exceptions'
import { call, enroll, mutation, startCentral, type TestCentral } from './helpers'

let central: TestCentral
let token: string
let schoolId: string

beforeAll(async () => {
  central = await startCentral()
  token = (await enroll(central)).token
  schoolId = central.schoolId
})
afterAll(async () => {
  await central.close()
})

async function push(mutations: MutationEnvelope[], school = schoolId, auth = token): Promise<MutationResult[]> {
  const reply = await call(central, 'POST', `/v1/schools/${school}/mutations`, { token: auth, body: { mutations } })
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  const { results } = MutationsResponse.parse(reply.body)
  expect(results.map((r) => r.id)).toEqual(mutations.map((m) => m.id))
  return results
}

function newProduct(id: string, over: Partial<z.input<typeof OfferingUpsertData>> = {}): z.input<typeof OfferingUpsertData> {
  return {
    id,
    schoolId,
    schoolYear: '2026-2027',
    kind: 'product',
    titleFr: 'Agenda scolaire',
    titleEn: 'School planner',
    descriptionFr: "L'agenda de l'école.",
    descriptionEn: null,
    opensAt: '2026-11-20T16:00:00.000Z',
    deadlineAt: '2026-12-10T17:00:00.000Z',
    priceCents: 800,
    feePer: null,
    required: false,
    stockLimit: 5,
    perStudentLimit: 1,
    reminderDaysBefore: 3,
    targets: [{ kind: 'school', value: schoolId }],
    variants: [],
    dates: [],
    outing: null,
    questions: [],
    status: 'published',
    ...over,
  }
}

/** A family of the school with a child, and an item that child can have. */
async function family() {
  const outing = (await central.store.records('offering', schoolId)).find((o) => o.kind === 'outing' && o.status === 'published')!
  const student = (await central.store.eligibleStudents(outing)).find((s) => s.guardians.length > 0)!
  return { student, guardianId: student.guardians[0]!.guardianId, outing }
}

function kioskSale(studentId: string, guardianId: string, offering: EntityRecord<'offering'>, cents = offering.priceCents) {
  const orderId = randomUUID()
  const paymentId = randomUUID()
  return {
    orderId,
    paymentId,
    data: {
      order: { id: orderId, schoolId, guardianId, channel: 'kiosk', createdAt: '2026-11-20T15:05:00.000Z' },
      lines: [{ id: randomUUID(), studentId, offeringId: offering.id, variantId: null as string | null, programDateId: null, quantity: 1, unitPriceCents: cents, amountCents: cents }],
      payment: { id: paymentId, processor: 'demo', processorRef: `pi_${paymentId}`, cardBrand: 'visa', last4: '4242', amountCents: cents, receiptNumber: 9001, createdAt: '2026-11-20T15:05:30.000Z' },
    },
  }
}

async function feedSince(after: number): Promise<ChangesPage['changes']> {
  return (await central.store.page(schoolId, after, 10_000)).changes
}

describe('idempotency: each mutation id applied once, forever', () => {
  it('answers duplicate to a replay, with the first seq and version, and changes nothing more', async () => {
    const { student, guardianId } = await family()
    const popcorn = (await central.store.records('offering', schoolId)).find((o) => o.kind === 'product' && o.status === 'published')!
    const variant = popcorn.variants[0]!
    const sale = kioskSale(student.id, guardianId, popcorn)
    sale.data.lines[0] = { ...sale.data.lines[0]!, variantId: variant.id, unitPriceCents: variant.priceCents, amountCents: variant.priceCents }
    sale.data.payment.amountCents = variant.priceCents
    const m = mutation('order.record', sale.orderId, sale.data)
    const before = await central.store.headSeq(schoolId)
    const nextBoardNumber = await central.store.nextReceiptNumber(schoolId)

    const [first] = await push([m])
    expect(first).toMatchObject({ status: 'applied', version: 1, seq: before + 2 })
    const [again] = await push([m])
    expect(again).toEqual({ ...first, status: 'duplicate' })
    // The same id twice in one request, and a third time later.
    const [a, b] = await push([m, m])
    expect([a!.status, b!.status]).toEqual(['duplicate', 'duplicate'])

    const changes = await feedSince(before)
    expect(changes.map((c) => [c.entity, c.id])).toEqual([
      ['order', sale.orderId],
      ['payment', sale.paymentId],
    ])
    expect(changes[1]!.data).toMatchObject({ orderId: sale.orderId, channel: 'kiosk', receiptSeries: 'office', receiptNumber: 9001, amountCents: variant.priceCents, processor: 'demo' })
    // The office's number is its own series: the board's next number is not pushed past it.
    expect(await central.store.nextReceiptNumber(schoolId)).toBe(nextBoardNumber)
    expect(await central.store.soldQuantity(popcorn.id)).toBeGreaterThan(0)
    expect(await central.store.value(sql<{ n: number }>`SELECT count(*)::int AS n FROM lines WHERE order_id = ${sale.orderId}`)).toBe(1)
  })

  it('applies two mutations of one request in order, each once', async () => {
    const { student, guardianId, outing } = await family()
    const consentId = randomUUID()
    const sale = kioskSale(student.id, guardianId, outing!)
    const results = await push([
      mutation('consent.record', consentId, {
        id: consentId,
        offeringId: outing!.id,
        studentId: student.id,
        guardianId,
        decision: 'granted',
        signedName: 'Parent au kiosque',
        answers: [{ questionId: outing!.questions[0]!.id, label: 'Médicaments', value: 'no' }],
        channel: 'kiosk',
        recordedAt: '2026-11-20T15:04:00.000Z',
      }),
      mutation('order.record', sale.orderId, sale.data),
    ])
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect(await central.store.currentConsent(outing!.id, student.id)).toMatchObject({ id: consentId, decision: 'granted' })
    // The board confirms the consent to the guardian by email (recorded, never sent).
    expect((await central.store.emails(schoolId)).filter((e) => e.consentId === consentId)).toMatchObject([{ kind: 'consent_recorded', guardianId }])
  })
})

describe('offerings: versions and conflicts', () => {
  it('follows the office: upsert then publish, edit, close and cancel, each version the office expects', async () => {
    const id = randomUUID()
    const before = await central.store.headSeq(schoolId)
    // catalogue.publish writes upsert(base v, data.version v + 1) and publish(base v + 1).
    const [upsert, publish] = await push([mutation('offering.upsert', id, newProduct(id, { version: 6 }), 5), mutation('offering.publish', id, { id }, 6)])
    expect(upsert).toMatchObject({ status: 'applied', version: 6 })
    expect(publish).toEqual({ id: publish!.id, status: 'applied', version: 6 })
    expect(await central.store.record('offering', id)).toMatchObject({ status: 'published', version: 6, publishedAt: '2026-11-20T15:00:00.000Z' })
    const changes = await feedSince(before)
    expect(changes.filter((c) => c.entity === 'offering')).toHaveLength(1)
    // The families the item reaches hear of it.
    const announced = changes.filter((c) => c.entity === 'notification').map((c) => c.data as EntityRecord<'notification'>)
    expect(announced.length).toBeGreaterThan(10)
    expect(new Set(announced.map((n) => n.kind))).toEqual(new Set(['offering_published']))

    const [edit] = await push([mutation('offering.upsert', id, newProduct(id, { version: 7, titleFr: 'Agenda 2027' }), 6)])
    expect(edit).toMatchObject({ status: 'applied', version: 7 })
    const [close] = await push([mutation('offering.close', id, { id }, 7)])
    expect(close).toMatchObject({ status: 'applied', version: 8 })
    const [cancel] = await push([mutation('offering.cancel', id, { id, reason: 'Fournisseur en faillite' }, 8)])
    expect(cancel).toMatchObject({ status: 'applied', version: 9 })
    expect(await central.store.record('offering', id)).toMatchObject({ status: 'cancelled', cancelReason: 'Fournisseur en faillite', titleFr: 'Agenda 2027', version: 9 })
    const [reopen] = await push([mutation('offering.publish', id, { id }, 9)])
    expect(reopen).toMatchObject({ status: 'rejected', error: { code: 'invalid_transition' } })
  })

  it('answers conflict with the server copy when the item changed since the base version', async () => {
    const id = randomUUID()
    await push([mutation('offering.upsert', id, newProduct(id, { version: 2 }), 1)])
    // Two office PCs: the second one saw version 1 too.
    const other = (await enroll(central)).token
    const first = await push([mutation('offering.upsert', id, newProduct(id, { version: 2, titleFr: 'Autre titre' }), 1)], schoolId, other)
    expect(first[0]).toMatchObject({ status: 'conflict', version: 2, current: { id, version: 2, titleFr: 'Agenda scolaire' } })

    // The board edits it on its side: the office's next edit on version 2 conflicts.
    await call(central, 'POST', `/admin/offerings/${id}/edit`, { token: central.server.adminKey, body: { titleFr: 'Agenda (corrigé par le conseil)' } })
    const m = mutation('offering.upsert', id, newProduct(id, { version: 3, titleFr: 'Agenda du bureau' }), 2)
    const [conflict] = await push([m])
    expect(conflict).toMatchObject({ status: 'conflict', version: 3, current: { titleFr: 'Agenda (corrigé par le conseil)', version: 3 } })
    // The conflict is recorded: the same id sent again gets the same answer, never 'duplicate'.
    const [replay] = await push([m])
    expect(replay).toEqual(conflict)
    // Staff chose theirs: a new mutation on the server's version.
    const [resolved] = await push([mutation('offering.upsert', id, newProduct(id, { version: 4, titleFr: 'Agenda du bureau' }), 3)])
    expect(resolved).toMatchObject({ status: 'applied', version: 4 })
    expect((await central.store.record('offering', id))!.titleFr).toBe('Agenda du bureau')
  })

  it('holds back the later mutations about an entity whose earlier one was not applied, and only those', async () => {
    const id = randomUUID()
    await push([mutation('offering.upsert', id, newProduct(id, { version: 2 }), 1)])
    const { student } = await family()
    const waiverId = randomUUID()
    const stale = mutation('offering.upsert', id, newProduct(id, { version: 2, titleFr: 'Périmé' }), 1)
    const close = mutation('offering.close', id, { id }, 2)
    const waiver = mutation('waiver.record', waiverId, { id: waiverId, studentId: student.id, offeringId: id, amountCents: 400, createdAt: '2026-11-20T15:10:00.000Z' })
    const results = await push([stale, close, waiver])
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['conflict', undefined],
      ['rejected', 'held_back'],
      ['applied', undefined],
    ])
    // Held back is not recorded: once the conflict is resolved, the same mutation goes through.
    const [later] = await push([close])
    expect(later).toMatchObject({ status: 'applied', version: 3 })
  })
})

describe('rejections: refused with a reason code, recorded, and never written', () => {
  it('refuses invalid payloads, unknown types, schools and entities, and drafts', async () => {
    const id = randomUUID()
    const { student, guardianId, outing } = await family()
    const before = await central.store.headSeq(schoolId)
    const cases: Array<[MutationEnvelope, string]> = [
      [mutation('offering.upsert', id, { ...newProduct(id), priceCents: -5, titleFr: 42 }, 1), 'invalid_payload'],
      [mutation('offering.teleport', id, { id }), 'unknown_type'],
      [mutation('offering.upsert', id, newProduct(id, { schoolId: 'no-such-school' }), 1), 'unknown_school'],
      [mutation('offering.upsert', id, newProduct(id, { schoolId: central.otherSchoolId }), 1), 'school_mismatch'],
      [mutation('offering.upsert', id, newProduct(id, { status: 'draft' }), 1), 'draft_not_accepted'],
      [mutation('offering.upsert', id, newProduct(id)), 'invalid_payload'],
      [mutation('offering.upsert', randomUUID(), newProduct(id), 1), 'entity_mismatch'],
      [mutation('offering.upsert', id, newProduct(id, { version: 9 }), 1), 'version_mismatch'],
      [mutation('offering.close', id, { id }, 1), 'unknown_entity'],
      [mutation('waiver.record', id, { id, studentId: 'nobody', offeringId: outing!.id, amountCents: 100, createdAt: '2026-11-20T15:00:00.000Z' }), 'unknown_entity'],
    ]
    const sale = kioskSale(student.id, guardianId, outing!)
    sale.data.payment.amountCents += 1
    cases.push([mutation('order.record', sale.orderId, sale.data), 'amount_mismatch'])
    const office = randomUUID()
    cases.push([
      mutation('consent.record', office, { id: office, offeringId: outing!.id, studentId: student.id, guardianId: null, decision: 'granted', signedName: null, answers: null, channel: 'office', recordedAt: '2026-11-20T15:00:00.000Z' }),
      'invalid_payload',
    ])

    // One request each, so that none is held back behind another.
    for (const [m, code] of cases) {
      const [result] = await push([m])
      expect(result, `${m.type} → ${code}`).toMatchObject({ status: 'rejected', error: { code } })
      expect(result!.error!.message.length).toBeGreaterThan(0)
      const [replay] = await push([m])
      expect(replay).toEqual(result)
    }
    expect(await central.store.headSeq(schoolId)).toBe(before)
    expect(await central.store.record('offering', id)).toBeUndefined()

    const [invalid] = await push([mutation('offering.upsert', id, { ...newProduct(id), priceCents: -5, titleFr: 42 }, 1)])
    expect(invalid!.error!.issues!.map((i) => i.path.join('.')).sort()).toEqual(['data.priceCents', 'data.titleFr'])
  })

  it('refuses a request whose envelope is wrong as a whole (400), and a school the device lacks', async () => {
    const bad = await call(central, 'POST', `/v1/schools/${schoolId}/mutations`, { token, body: { mutations: [{ ...mutation('offering.close', 'x', { id: 'x' }, 1), id: 'not-a-uuid' }] } })
    expect([bad.status, ErrorBody.parse(bad.body).error.code]).toEqual([400, 'bad_request'])
    const tooMany = Array.from({ length: 101 }, () => mutation('offering.close', 'x', { id: 'x' }, 1))
    expect((await call(central, 'POST', `/v1/schools/${schoolId}/mutations`, { token, body: { mutations: tooMany } })).status).toBe(400)
    const oneSchool = (await enroll(central, [central.otherSchoolId])).token
    const forbidden = await call(central, 'POST', `/v1/schools/${schoolId}/mutations`, { token: oneSchool, body: { mutations: [mutation('offering.close', 'x', { id: 'x' }, 1)] } })
    expect([forbidden.status, ErrorBody.parse(forbidden.body).error.code]).toEqual([403, 'forbidden_school'])
  })
})

describe('money is append-only: refunds move once, the server copy wins', () => {
  it('records a refund, settles it, takes a reversal, and refuses anything else', async () => {
    const { student, guardianId, outing } = await family()
    const sale = kioskSale(student.id, guardianId, outing!)
    await push([mutation('order.record', sale.orderId, sale.data)])
    const refundId = randomUUID()
    const lineId = sale.data.lines[0]!.id
    const base = { id: refundId, paymentId: sale.paymentId, orderLineId: lineId, amountCents: 1000, reason: 'Sortie annulée', requestedAt: '2026-11-21T14:00:00.000Z' }

    expect((await push([mutation('refund.record', refundId, { ...base, status: 'pending' })]))[0]).toMatchObject({ status: 'applied', version: 1 })
    expect((await push([mutation('refund.record', refundId, { ...base, status: 'succeeded', processorRef: 're_1', settledAt: '2026-11-21T14:01:00.000Z' })]))[0]).toMatchObject({ status: 'applied', version: 2 })
    // The runner's reversal carries no paymentId.
    const reversal = { id: refundId, status: 'failed', reversed: true, failureCode: 'expired_card', processorRef: 're_1', amountCents: 1000, settledAt: '2026-11-25T10:00:00.000Z' }
    expect((await push([mutation('refund.record', refundId, reversal)]))[0]).toMatchObject({ status: 'applied', version: 3 })
    expect(await central.store.record('refund', refundId)).toMatchObject({ status: 'failed', reversed: true, failureCode: 'expired_card', reason: 'Sortie annulée', version: 3 })
    expect((await push([mutation('refund.record', refundId, { ...base, status: 'succeeded' })]))[0]).toMatchObject({ status: 'rejected', error: { code: 'final_record' } })

    // Never more than was paid, on the payment and on the line.
    const tooMuch = randomUUID()
    const over = await push([mutation('refund.record', tooMuch, { ...base, id: tooMuch, amountCents: outing!.priceCents + 1, status: 'pending' })])
    expect(over[0]).toMatchObject({ status: 'rejected', error: { code: 'refund_exceeds_paid' } })
    const whole = randomUUID()
    expect((await push([mutation('refund.record', whole, { ...base, id: whole, amountCents: outing!.priceCents, status: 'succeeded' })]))[0]!.status).toBe('applied')
    const more = randomUUID()
    expect((await push([mutation('refund.record', more, { ...base, id: more, amountCents: 1, status: 'pending' })]))[0]).toMatchObject({ error: { code: 'refund_exceeds_paid' } })
    // The same order sent again under another mutation id is refused, not doubled.
    expect((await push([mutation('order.record', sale.orderId, sale.data)]))[0]).toMatchObject({ status: 'rejected', error: { code: 'already_exists' } })
  })

  it('emails the guardians a reminder or a kiosk receipt when the office asks', async () => {
    const { student, guardianId, outing } = await family()
    const sale = kioskSale(student.id, guardianId, outing!)
    await push([mutation('order.record', sale.orderId, sale.data)])
    const guardians = (await central.store.guardianIdsOfSchool(schoolId)).slice(0, 3)
    const reminder = mutation('notification.request', outing!.id, { offeringId: outing!.id, kind: 'reminder', guardianIds: guardians })
    const receipt = mutation('notification.request', sale.paymentId, { kind: 'receipt', paymentId: sale.paymentId, receiptNumber: 9001, guardianIds: [guardianId] })
    const results = await push([reminder, receipt])
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied'])
    const emails = await call<{ emails: Array<{ kind: string; requestId: string; guardianId: string }> }>(central, 'GET', `/admin/emails?schoolId=${schoolId}`, { token: central.server.adminKey })
    expect(emails.body.emails.filter((e) => e.requestId === reminder.id).map((e) => e.guardianId).sort()).toEqual([...guardians].sort())
    expect(emails.body.emails.filter((e) => e.requestId === receipt.id)).toMatchObject([{ kind: 'receipt', guardianId }])
    // Replayed: no second email.
    await push([reminder])
    expect((await central.store.emails(schoolId)).filter((e) => e.requestId === reminder.id)).toHaveLength(guardians.length)
  })

  it('keeps the principal’s exceptions once, and refuses one about an unknown item', async () => {
    const { student, outing } = await family()
    const id = randomUUID()
    const data = { id, kind: 'late_withdrawal', offeringId: outing!.id, studentId: student.id, reason: 'Enfant malade', approvedBy: 'Marc Direction', at: '2026-12-02T15:00:00.000Z', changes: [] }
    expect((await push([mutation('exception.record', id, data)]))[0]).toMatchObject({ status: 'applied' })
    await push([mutation('exception.record', id, data)])
    expect((await exceptionsOf(central.store, schoolId)).filter((e) => e.id === id)).toEqual([{ ...data, schoolId }])
    const unknown = randomUUID()
    expect((await push([mutation('exception.record', unknown, { ...data, id: unknown, offeringId: randomUUID() })]))[0]).toMatchObject({ status: 'rejected', error: { code: 'unknown_entity' } })
  })
})

describe('credit tenders: a sale paid partly or wholly with the family’s credit', () => {
  /** A kiosk sale of 3000 with `credit` of it paid with credit: by card for the rest, or by credit alone. */
  async function creditSale(credit: number) {
    const { student, guardianId, outing } = await family()
    const sale = kioskSale(student.id, guardianId, outing, 3000)
    const payment =
      credit === 3000
        ? { ...sale.data.payment, processor: 'credit', processorRef: `kiosk-request-${sale.paymentId}`, cardBrand: null, last4: null, creditCents: 3000 }
        : { ...sale.data.payment, creditCents: credit }
    return { ...sale, data: { ...sale.data, payment } }
  }

  function refund(paymentId: string, amountCents: number, tender?: 'card' | 'credit') {
    const id = randomUUID()
    return mutation('refund.record', id, { id, paymentId, amountCents, reason: 'Trop perçu', status: 'succeeded', processorRef: `re_${id}`, requestedAt: '2026-11-21T14:00:00.000Z', settledAt: '2026-11-21T14:00:01.000Z', ...(tender ? { tender } : {}) })
  }

  it('accepts a sale the credit pays whole and a split one, and serves their tenders back in the feed', async () => {
    const before = await central.store.headSeq(schoolId)
    const whole = await creditSale(3000)
    const split = await creditSale(1200)
    const results = await push([mutation('order.record', whole.orderId, whole.data), mutation('order.record', split.orderId, split.data)])
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied'])
    const payments = (await feedSince(before)).filter((c) => c.entity === 'payment')
    expect(payments.map((c) => c.data)).toEqual([
      expect.objectContaining({ id: whole.paymentId, processor: 'credit', cardBrand: null, last4: null, amountCents: 3000, creditCents: 3000 }),
      expect.objectContaining({ id: split.paymentId, processor: 'demo', cardBrand: 'visa', last4: '4242', amountCents: 3000, creditCents: 1200 }),
    ])
  })

  it('still accepts a sale from before credits (no creditCents): wholly by card', async () => {
    const { student, guardianId, outing } = await family()
    const sale = kioskSale(student.id, guardianId, outing, 2000)
    expect(sale.data.payment).not.toHaveProperty('creditCents')
    expect((await push([mutation('order.record', sale.orderId, sale.data)]))[0]!.status).toBe('applied')
    expect(await central.store.record('payment', sale.paymentId)).toMatchObject({ processor: 'demo', amountCents: 2000, creditCents: 0 })
    // A refund from before tenders goes to the card.
    const r = refund(sale.paymentId, 2000)
    expect((await push([r]))[0]!.status).toBe('applied')
    expect(await central.store.record('refund', r.entityId)).toMatchObject({ tender: 'card', amountCents: 2000 })
  })

  it('refuses a tender that contradicts itself: a card with no card, credit with a card, credit beyond the total', async () => {
    const cases = [
      await creditSale(1000),
      await creditSale(1000),
      await creditSale(1000),
      await creditSale(3000),
    ]
    cases[0]!.data.payment = { ...cases[0]!.data.payment, cardBrand: null, last4: null }
    cases[1]!.data.payment = { ...cases[1]!.data.payment, creditCents: 3000 }
    cases[2]!.data.payment = { ...cases[2]!.data.payment, processor: 'credit' }
    cases[3]!.data.payment = { ...cases[3]!.data.payment, creditCents: 2999 }
    const results = await push(cases.map((c) => mutation('order.record', c.orderId, c.data)))
    expect(results.map((r) => r.error?.code)).toEqual(['invalid_payload', 'invalid_payload', 'invalid_payload', 'invalid_payload'])
    expect(results[0]!.error?.issues?.map((i) => i.path.join('.'))).toEqual(['data.payment.cardBrand', 'data.payment.last4'])
    expect(results[1]!.error?.issues?.map((i) => i.path.join('.'))).toEqual(['data.payment.creditCents'])
    for (const c of cases) expect(await central.store.record('order', c.orderId)).toBeUndefined()
  })

  it('refunds each tender within its own part: the card its part, the credit its part, never one for the other', async () => {
    const split = await creditSale(1200)
    expect((await push([mutation('order.record', split.orderId, split.data)]))[0]!.status).toBe('applied')
    // The credit's part is 1200: 1201 back to credit is refused, even though 3000 was paid.
    const overCredit = await push([refund(split.paymentId, 1201, 'credit')])
    expect(overCredit[0]).toMatchObject({ status: 'rejected', error: { code: 'refund_exceeds_paid', message: 'credit: 0 + 1201 > 1200' } })
    // The card's part is 1800: the whole of it to the card, then not one cent more (no tender: card).
    expect((await push([refund(split.paymentId, 1800, 'card')]))[0]!.status).toBe('applied')
    expect((await push([refund(split.paymentId, 1)]))[0]).toMatchObject({ status: 'rejected', error: { code: 'refund_exceeds_paid', message: 'card: 1800 + 1 > 1800' } })
    // The credit's part, in two refunds; a third finds nothing left.
    const first = refund(split.paymentId, 700, 'credit')
    expect((await push([first, refund(split.paymentId, 500, 'credit')])).map((r) => r.status)).toEqual(['applied', 'applied'])
    expect((await push([refund(split.paymentId, 1, 'credit')]))[0]).toMatchObject({ error: { code: 'refund_exceeds_paid' } })
    expect(await central.store.record('refund', first.entityId)).toMatchObject({ tender: 'credit', amountCents: 700, status: 'succeeded' })
    expect((await feedSince(0)).filter((c) => c.entity === 'refund' && c.id === first.entityId).map((c) => (c.data as { tender: string }).tender)).toEqual(['credit'])

    // A sale the credit paid whole has no card part.
    const whole = await creditSale(3000)
    expect((await push([mutation('order.record', whole.orderId, whole.data)]))[0]!.status).toBe('applied')
    expect((await push([refund(whole.paymentId, 100)]))[0]).toMatchObject({ error: { code: 'refund_exceeds_paid', message: 'card: 0 + 100 > 0' } })
    expect((await push([refund(whole.paymentId, 3000, 'credit')]))[0]!.status).toBe('applied')
  })

  it('does not count a failed refund against its tender', async () => {
    const split = await creditSale(1000)
    await push([mutation('order.record', split.orderId, split.data)])
    const failed = refund(split.paymentId, 2000, 'card')
    ;(failed.data as { status: string }).status = 'failed'
    expect((await push([failed, refund(split.paymentId, 2000, 'card')])).map((r) => r.status)).toEqual(['applied', 'applied'])
  })
})

describe('family credits: credit.record', () => {
  /** Families of the school, a different one for each use (the store is shared by this file). */
  const families = (() => {
    let next = 0
    return async () => {
      const { outing } = await family()
      const students = (await central.store.eligibleStudents(outing)).filter((s) => s.guardians.length > 0)
      const taken = new Set(students.slice(0, 1).map((s) => s.guardians[0]!.guardianId))
      const free = students.filter((s) => !taken.has(s.guardians[0]!.guardianId))
      const student = free[free.length - 1 - next++]!
      return { student, guardianId: student.guardians[0]!.guardianId, outing }
    }
  })()

  /** A kiosk sale of 3000, `credit` of it paid with the family's credit and the rest by card. */
  async function sale(f: Awaited<ReturnType<typeof families>>, credit = 0) {
    const s = kioskSale(f.student.id, f.guardianId, f.outing, 3000)
    const data = { ...s.data, payment: { ...s.data.payment, creditCents: credit } }
    expect((await push([mutation('order.record', s.orderId, data)]))[0]!.status).toBe('applied')
    return s
  }

  async function refund(paymentId: string, amountCents: number, status: 'pending' | 'succeeded' | 'failed', tender: 'card' | 'credit' = 'card') {
    const id = randomUUID()
    const m = mutation('refund.record', id, { id, paymentId, amountCents, reason: 'Sortie annulée', status, tender, processorRef: tender === 'credit' ? `credit-${id}` : null, failureCode: status === 'failed' ? 'expired_or_canceled_card' : null, requestedAt: '2026-11-21T14:00:00.000Z', settledAt: status === 'pending' ? null : '2026-11-21T14:00:01.000Z' })
    expect((await push([m]))[0]!.status).toBe('applied')
    return id
  }

  const granted = (guardianId: string, refundId: string, amountCents: number, over: Record<string, unknown> = {}) => {
    const id = randomUUID()
    return mutation('credit.record', id, { id, guardianId, kind: 'granted', amountCents, refundId, orderId: null, reason: 'Carte expirée', createdAt: '2026-11-22T10:00:00.000Z', ...over })
  }
  const used = (guardianId: string, orderId: string, amountCents: number, over: Record<string, unknown> = {}) => {
    const id = randomUUID()
    return mutation('credit.record', id, { id, guardianId, kind: 'used', amountCents, refundId: null, orderId, reason: null, createdAt: '2026-11-23T10:00:00.000Z', ...over })
  }
  const code = (results: MutationResult[]) => results.map((r) => r.error?.code ?? r.status)

  it('applies a credit for a failed card refund once, forever, and serves it in the school’s feed', async () => {
    const f = await families()
    const s = await sale(f)
    const refundId = await refund(s.paymentId, 1000, 'failed')
    const before = await central.store.headSeq(schoolId)
    const g = granted(f.guardianId, refundId, 1000)

    const [first] = await push([g])
    expect(first).toMatchObject({ status: 'applied', version: 1, seq: before + 1 })
    expect(await push([g])).toEqual([{ ...first, status: 'duplicate' }])
    // The same entry under another mutation id is the same money: applied, nothing new in the feed.
    const again = { ...g, id: randomUUID() }
    expect((await push([again]))[0]).toEqual({ id: again.id, status: 'applied', version: 1 })
    // Its id with other content, or a second credit for the refund: refused, never a second entry.
    const changed = { ...g, id: randomUUID(), data: { ...(g.data as object), amountCents: 999 } }
    const second = granted(f.guardianId, refundId, 1000)
    expect(code(await push([changed, second]))).toEqual(['already_exists', 'already_exists'])
    expect((await push([second]))[0]!.error?.message).toBe(`refund ${refundId} is already credited by ${g.entityId}`)

    expect(await feedSince(before)).toEqual([{ seq: before + 1, entity: 'credit', id: g.entityId, op: 'upsert', version: 1, data: { ...(g.data as object), schoolId } }])
    expect(await central.store.creditBalance(schoolId, f.guardianId)).toBe(1000)
  })

  it('grants a credit only for what the school owes that family, whole', async () => {
    const f = await families()
    const other = await families()
    const s = await sale(f)
    const failed = await refund(s.paymentId, 500, 'failed')
    const succeeded = await refund(s.paymentId, 400, 'succeeded')
    const pending = await refund(s.paymentId, 300, 'pending')
    const elsewhere = randomUUID()
    await central.store.put('refund', { id: elsewhere, schoolId: central.otherSchoolId, paymentId: randomUUID(), orderLineId: null, amountCents: 500, reason: null, status: 'failed', reversed: false, processorRef: null, failureCode: 'expired_card', requestedAt: null, settledAt: null, tender: 'card' })
    const before = await central.store.headSeq(schoolId)

    const results = await push([
      granted(f.guardianId, randomUUID(), 500),
      granted(randomUUID(), failed, 500),
      granted(other.guardianId, failed, 500),
      granted(f.guardianId, elsewhere, 500),
      granted(f.guardianId, succeeded, 400),
      granted(f.guardianId, pending, 300),
      granted(f.guardianId, failed, 499),
      granted(f.guardianId, failed, 500, { reason: ' ' }),
      granted(f.guardianId, failed, 500, { orderId: s.orderId }),
    ])
    expect(code(results)).toEqual(['unknown_entity', 'unknown_entity', 'family_mismatch', 'school_mismatch', 'refund_not_creditable', 'refund_not_creditable', 'amount_mismatch', 'invalid_payload', 'invalid_payload'])
    expect(results[6]!.error?.issues).toEqual([{ path: ['data', 'amountCents'], code: 'amount_mismatch' }])
    expect(await central.store.headSeq(schoolId)).toBe(before)
    expect(await central.store.creditBalance(schoolId, f.guardianId)).toBe(0)
    expect(await central.store.creditBalance(schoolId, other.guardianId)).toBe(0)
    // The whole of the failed refund, for its family: applied.
    expect(code(await push([granted(f.guardianId, failed, 500)]))).toEqual(['applied'])
  })

  it('spends a credit on a sale that says so, never below a zero balance, and takes a refund back to credit', async () => {
    const f = await families()
    const other = await families()
    const first = await sale(f)
    const failed = await refund(first.paymentId, 1000, 'failed')
    expect(code(await push([granted(f.guardianId, failed, 1000)]))).toEqual(['applied'])

    const split = await sale(f, 600)
    const theirs = await sale(other, 600)
    const elsewhere = randomUUID()
    await central.store.put('order', { id: elsewhere, schoolId: central.otherSchoolId, guardianId: f.guardianId, channel: 'kiosk', createdAt: '2026-11-20T15:05:00.000Z', lines: [] })
    const refused = await push([
      used(f.guardianId, randomUUID(), 600),
      used(f.guardianId, theirs.orderId, 600),
      used(f.guardianId, elsewhere, 600),
      used(f.guardianId, split.orderId, 601),
      used(f.guardianId, split.orderId, 600, { reason: 'Non' }),
    ])
    expect(code(refused)).toEqual(['unknown_entity', 'family_mismatch', 'school_mismatch', 'amount_mismatch', 'invalid_payload'])
    expect(await central.store.creditBalance(schoolId, f.guardianId)).toBe(1000)

    expect(code(await push([used(f.guardianId, split.orderId, 600)]))).toEqual(['applied'])
    expect(await central.store.creditBalance(schoolId, f.guardianId)).toBe(400)
    // The sale's credit is spent: not one cent more on it.
    expect(code(await push([used(f.guardianId, split.orderId, 1)]))).toEqual(['amount_mismatch'])

    // A sale that counts on more credit than is left (spent at another PC meanwhile): refused.
    const big = await sale(f, 500)
    const over = await push([used(f.guardianId, big.orderId, 500)])
    expect(over[0]).toMatchObject({ status: 'rejected', error: { code: 'credit_exceeds_balance', message: '500 > balance 400' } })
    expect(code(await push([used(f.guardianId, big.orderId, 400), used(f.guardianId, big.orderId, 100)]))).toEqual(['applied', 'credit_exceeds_balance'])
    expect(await central.store.creditBalance(schoolId, f.guardianId)).toBe(0)

    // The credit part of the split sale refunded back to credit: granted again, whole.
    const back = await refund(split.paymentId, 600, 'succeeded', 'credit')
    expect(code(await push([granted(f.guardianId, back, 599, { reason: 'Sortie annulée' }), granted(f.guardianId, back, 600, { reason: 'Sortie annulée' })]))).toEqual(['amount_mismatch', 'applied'])
    expect(await central.store.creditBalance(schoolId, f.guardianId)).toBe(600)
    const credits = (await central.store.records('credit', schoolId)).filter((c) => c.guardianId === f.guardianId)
    expect(credits.map((c) => [c.kind, c.amountCents]).sort()).toEqual([
      ['granted', 1000],
      ['granted', 600],
      ['used', 600],
      ['used', 400],
    ].sort())
  })
})
