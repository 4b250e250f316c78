import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { openDatabase } from '../../src/core/db/connection'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { MutationEnvelope, MutationsResponse } from '../../src/shared/sync/protocol'
import { FAST_SCRYPT, ok, tempDir } from '../core/fixtures'
import { ANCHOR, SMALL, call, enroll, startCentral, type TestCentral } from './helpers'

/**
 * Guichet's own outbox, as the catalogue, waivers, refunds and scheduled work write it, sent to
 * the reference server as it is: every row is accepted and applied once, and the server's
 * versions of the items end equal to the office's.
 */

let central: TestCentral
let core: Core
let dir: ReturnType<typeof tempDir>
const clock = { ms: Date.parse(ANCHOR) }

beforeAll(async () => {
  dir = tempDir()
  const file = join(dir.dir, 'guichet.sqlite')
  const seeded = openDatabase({ file })
  seedDemoBoard(seeded.raw, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL, passwordParams: FAST_SCRYPT })
  await seeded.close()
  core = await createCore({ file, appVersion: 'test', nowMs: () => clock.ms, logError: (e) => console.error(e) })
  central = await startCentral()
})
afterAll(async () => {
  await core.refunds.stop()
  await core.close()
  await central.close()
  dir.cleanup()
})

describe("Guichet's outbox against the reference server", () => {
  it('is accepted row for row, applied once, and leaves the same versions on both sides', async () => {
    const raw = core.connection.raw
    const secretary = (await ok(core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
    const principal = (await ok(core, 'auth.signIn', { username: 'direction', password: 'guichet' })).token
    const school = raw.prepare("SELECT id FROM schools WHERE code = 'SGU'").pluck().get() as string

    // An edit of a published item, then closing it.
    const popcorn = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND kind = 'product' AND status = 'published'").pluck().get(school) as string
    const detail = await ok(core, 'catalogue.get', { id: popcorn }, secretary)
    const edited = await ok(core, 'catalogue.update', { id: popcorn, version: detail.version, draft: { ...detail.draft, descriptionFr: 'Maïs soufflé frais, livré en classe.' } }, secretary)
    await ok(core, 'catalogue.close', { id: popcorn, version: edited.version }, secretary)

    // A new item, published.
    const created = await ok(
      core,
      'catalogue.create',
      {
        schoolId: school,
        draft: {
          kind: 'product',
          titleFr: 'Agenda scolaire',
          titleEn: 'School planner',
          descriptionFr: "L'agenda de l'école.",
          descriptionEn: 'The school planner.',
          opensAt: '2026-11-21T13:00:00Z',
          deadlineAt: '2026-12-10T17:00:00Z',
          priceCents: 800,
          feePer: null,
          required: false,
          stockLimit: 50,
          perStudentLimit: 1,
          reminderDaysBefore: 3,
          targets: [{ kind: 'school', value: school }],
          variants: [],
          dates: [],
          outing: null,
          questions: [],
        },
      },
      secretary,
    )
    await ok(core, 'catalogue.publish', { id: created.id, version: created.version, confirmWarnings: true }, secretary)

    // A waiver from the principal, on the open outing.
    const outing = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND kind = 'outing' AND status = 'published'").pluck().get(school) as string
    const student = raw
      .prepare("SELECT s.id FROM students s JOIN offering_targets t ON t.offering_id = ? AND t.kind = 'grade' AND t.value = s.grade WHERE s.school_id = ? AND s.status = 'active' ORDER BY s.id LIMIT 1")
      .pluck()
      .get(outing, school) as string
    await ok(core, 'waivers.grant', { studentId: student, offeringId: outing, amountCents: 900, reason: 'Aide de la paroisse' }, principal)

    // A kiosk order refunded: the runner asks the demo processor, then writes refund.record.
    const kiosk = raw.prepare("SELECT o.id FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.school_id = ? AND o.channel = 'kiosk' AND p.processor = 'demo' ORDER BY o.created_at LIMIT 1").pluck().get(school) as string | undefined
    expect(kiosk).toBeDefined()
    await ok(core, 'refunds.refundOrder', { orderId: kiosk!, reason: 'Erreur de commande' }, principal)
    await core.refunds.drain()

    // Days later, the reminders go (notification.request).
    clock.ms = Date.parse('2026-11-28T15:00:00Z')
    await core.runScheduledWork()

    const rows = raw.prepare('SELECT id, type, entity_id, base_version, data, created_at FROM outbox WHERE school_id = ? ORDER BY seq').all(school) as Array<{
      id: string
      type: string
      entity_id: string
      base_version: number | null
      data: string
      created_at: string
    }>
    const mutations = rows.map((r) => MutationEnvelope.parse({ id: r.id, type: r.type, entityId: r.entity_id, baseVersion: r.base_version, data: JSON.parse(r.data), createdAt: r.created_at }))
    const types = mutations.map((m) => m.type)
    expect(types).toEqual(expect.arrayContaining(['offering.upsert', 'offering.close', 'offering.publish', 'waiver.record', 'refund.record', 'notification.request']))

    const { token } = await enroll(central)
    const push = async () => {
      const reply = await call(central, 'POST', `/v1/schools/${school}/mutations`, { token, body: { mutations } })
      expect(reply.status).toBe(200)
      return MutationsResponse.parse(reply.body).results
    }
    const results = await push()
    expect(results.map((r) => [r.status, r.error?.code ?? null])).toEqual(mutations.map(() => ['applied', null]))
    expect((await push()).map((r) => r.status)).toEqual(mutations.map(() => 'duplicate'))

    for (const id of [popcorn, created.id]) {
      const local = raw.prepare('SELECT version, status FROM offerings WHERE id = ?').get(id) as { version: number; status: string }
      expect(await central.store.record('offering', id), id).toMatchObject(local)
    }
    expect((await central.store.record('offering', popcorn))!.descriptionFr).toBe('Maïs soufflé frais, livré en classe.')
    expect(await central.store.record('waiver', mutations.find((m) => m.type === 'waiver.record')!.entityId)).toMatchObject({ studentId: student, offeringId: outing, amountCents: 900 })
  })
})
