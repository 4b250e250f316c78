import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ok } from '../fixtures'
import { centralRecords, enrolRig, localRecords, startRig, testBox, type SyncRig } from './helpers'

/** The sync client against the real reference server (central/) over HTTP, with its faults. */

let rig: SyncRig
beforeEach(async () => {
  rig = await startRig()
})
afterEach(async () => {
  await rig.close()
})

const state = () => ok(rig.core, 'sync.state', {}, rig.secretary)

describe('enrolment', () => {
  it('exchanges a code for a sealed token, records the schools, and stops on a 401 until enrolled again', async () => {
    expect((await state()).enrolment).toBe('none')
    const bad = await rig.core.dispatch({ method: 'sync.enroll', input: { centralUrl: rig.central.url, code: 'NOPE-NOPE', deviceName: 'Poste' }, session: rig.principal })
    expect(bad.ok ? null : bad.error.code).toBe('SYNC_ENROL_FAILED')
    const refused = await rig.core.dispatch({ method: 'sync.enroll', input: { centralUrl: rig.central.url, code: 'x', deviceName: 'Poste' }, session: rig.secretary })
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN')

    await enrolRig(rig)
    const s = await state()
    expect(s.enrolment).toBe('enrolled')
    expect(s.schools.map((x) => x.id).sort()).toEqual((await rig.central.store.schools()).map((x) => x.id).sort())
    for (const school of s.schools) expect(school.lastSeq).toBe(await rig.central.store.headSeq(school.id))
    expect(s.lastSuccessAt).not.toBeNull()
    const raw = rig.core.connection.raw
    const sealed = raw.prepare("SELECT scheme, ciphertext FROM secrets WHERE name = 'sync.deviceToken'").get() as { scheme: string; ciphertext: Buffer }
    expect(sealed.scheme).toBe(testBox.scheme)
    const device = await rig.central.store.authenticate(testBox.open(sealed.ciphertext))
    expect(device).toBeDefined()
    expect(JSON.stringify(raw.prepare('SELECT * FROM audit_log').all())).not.toContain(testBox.open(sealed.ciphertext))

    await rig.central.store.revokeDevice(device!.id)
    const run = await rig.core.sync.kick()
    expect(run.error?.code).toBe('unauthorized')
    expect((await state()).enrolment).toBe('needs_enrolment')
    expect((await rig.core.sync.kick()).error?.code).toBe('needs_enrolment')

    await enrolRig(rig)
    expect((await state()).enrolment).toBe('enrolled')
  })
})

describe('pull', () => {
  it('applies pages and their cursor once, whatever pages come twice', async () => {
    await enrolRig(rig)
    const events = await rig.central.simulator.advance(30 * 3600_000)
    expect(events.length).toBeGreaterThan(0)
    rig.central.faults.inject('page_twice', { endpoint: 'changes', times: 6 })
    const run = await rig.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    expect(run.pulled).toBeGreaterThan(0)
    const raw = rig.core.connection.raw
    for (const school of await rig.central.store.schools()) expect(localRecords(raw, school.id)).toEqual(await centralRecords(rig.central, school.id))
    // The same pages once more: nothing changes.
    raw.prepare('UPDATE sync_state SET last_seq = 0').run()
    const before = localRecords(raw, rig.school)
    const again = await rig.core.sync.kick()
    expect(again.pulled).toBe(0)
    expect(localRecords(raw, rig.school)).toEqual(before)
  })
})

describe('push', () => {
  it('sends the outbox in order, exactly once, when responses are lost after the board committed', async () => {
    await enrolRig(rig)
    const raw = rig.core.connection.raw
    const popcorn = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND kind = 'product' AND status = 'published'").pluck().get(rig.school) as string
    const detail = await ok(rig.core, 'catalogue.get', { id: popcorn }, rig.secretary)
    const edited = await ok(rig.core, 'catalogue.update', { id: popcorn, version: detail.version, draft: { ...detail.draft, descriptionFr: 'Livré en classe le vendredi.' } }, rig.secretary)
    await ok(rig.core, 'catalogue.close', { id: popcorn, version: edited.version }, rig.secretary)
    const mutationsBefore = await rig.central.store.mutationCount()
    rig.central.faults.inject('drop_response', { endpoint: 'mutations', times: 2 })
    rig.central.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 0 }, { endpoint: 'mutations', times: 1 })
    const run = await rig.core.sync.kick()
    expect(run.ok).toBe(true)
    const rows = raw.prepare('SELECT state FROM outbox ORDER BY seq').pluck().all() as string[]
    expect(rows.length).toBe(2)
    expect(rows.every((s) => s === 'applied' || s === 'duplicate')).toBe(true)
    expect(await rig.central.store.mutationCount() - mutationsBefore).toBe(2)
    expect(await rig.central.store.record('offering', popcorn)).toMatchObject({ status: 'closed', descriptionFr: 'Livré en classe le vendredi.' })
    expect(raw.prepare('SELECT version FROM offerings WHERE id = ?').pluck().get(popcorn)).toBe(await rig.central.store.version('offering', popcorn))
    expect((await state()).waiting).toBe(0)
  })

  it('surfaces a conflict with both versions; keep ours resends on the board’s version, take theirs applies it', async () => {
    await enrolRig(rig)
    const raw = rig.core.connection.raw
    const items = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND status = 'published' ORDER BY kind, id LIMIT 2").pluck().all(rig.school) as string[]
    expect(items.length).toBe(2)
    for (const [i, id] of items.entries()) {
      const detail = await ok(rig.core, 'catalogue.get', { id }, rig.secretary)
      await ok(rig.core, 'catalogue.update', { id, version: detail.version, draft: { ...detail.draft, descriptionFr: `Notre texte ${i}` } }, rig.secretary)
      const current = (await rig.central.store.record('offering', id))!
      await rig.central.store.put('offering', { ...current, titleFr: `Titre du conseil ${i}`, version: current.version + 1 }, { version: current.version + 1 })
    }
    const run = await rig.core.sync.kick()
    expect(run.error).toBeNull()
    const conflicts = await ok(rig.core, 'sync.conflicts', {}, rig.secretary)
    expect(conflicts.map((c) => c.offeringId).sort()).toEqual([...items].sort())
    const [a, b] = items.map((id) => conflicts.find((c) => c.offeringId === id)!)
    expect(a!.ours.descriptionFr).toBe('Notre texte 0')
    expect(a!.theirs.titleFr).toBe('Titre du conseil 0')
    expect((await state()).conflicts).toBe(2)
    // Pulls do not overwrite an item with a conflict waiting.
    expect(raw.prepare('SELECT description_fr FROM offerings WHERE id = ?').pluck().get(items[0])).toBe('Notre texte 0')

    await ok(rig.core, 'sync.resolveConflict', { mutationId: a!.mutationId, choice: 'ours' }, rig.secretary)
    await ok(rig.core, 'sync.resolveConflict', { mutationId: b!.mutationId, choice: 'theirs' }, rig.secretary)
    await rig.core.sync.kick()
    expect(await rig.central.store.record('offering', items[0]!)).toMatchObject({ descriptionFr: 'Notre texte 0' })
    expect(raw.prepare('SELECT title_fr FROM offerings WHERE id = ?').pluck().get(items[1])).toBe('Titre du conseil 1')
    for (const id of items) expect(raw.prepare('SELECT version FROM offerings WHERE id = ?').pluck().get(id)).toBe(await rig.central.store.version('offering', id))
    expect((await state()).conflicts).toBe(0)
    const audit = raw.prepare("SELECT count(*) FROM audit_log WHERE action = 'sync.resolveConflict'").pluck().get()
    expect(audit).toBe(2)
  })

  it('keeps a rejection with its reason, holds back only its own entity, and lets staff mark it seen', async () => {
    await enrolRig(rig)
    const raw = rig.core.connection.raw
    const add = raw.prepare("INSERT INTO outbox (id, school_id, type, entity_id, data, created_at) VALUES (?, ?, ?, ?, ?, '2026-11-20T15:00:00.000Z')")
    const student = raw.prepare('SELECT id FROM students WHERE school_id = ? LIMIT 1').pluck().get(rig.school) as string
    const ghost = '01900000-0000-7000-8000-00000000abcd'
    add.run('01900000-0000-7000-8000-000000000001', rig.school, 'waiver.record', 'w-ghost', JSON.stringify({ id: 'w-ghost', studentId: student, offeringId: ghost, amountCents: 500, createdAt: '2026-11-20T15:00:00.000Z' }))
    add.run('01900000-0000-7000-8000-000000000002', rig.school, 'waiver.record', 'w-ghost', JSON.stringify({ id: 'w-ghost', studentId: student, offeringId: ghost, amountCents: 400, createdAt: '2026-11-20T15:00:00.000Z' }))
    const popcorn = raw.prepare("SELECT id FROM offerings WHERE school_id = ? AND kind = 'product' AND status = 'published'").pluck().get(rig.school) as string
    const detail = await ok(rig.core, 'catalogue.get', { id: popcorn }, rig.secretary)
    await ok(rig.core, 'catalogue.close', { id: popcorn, version: detail.version }, rig.secretary)
    await rig.core.sync.kick()

    const rejections = await ok(rig.core, 'sync.rejections', {}, rig.secretary)
    expect(rejections).toHaveLength(1)
    expect(rejections[0]).toMatchObject({ entityId: 'w-ghost', type: 'waiver.record' })
    expect(rejections[0]!.code).not.toBe('held_back')
    const states = raw.prepare('SELECT entity_id, state FROM outbox ORDER BY seq').all()
    expect(states).toEqual([
      { entity_id: 'w-ghost', state: 'rejected' },
      { entity_id: 'w-ghost', state: 'pending' },
      { entity_id: popcorn, state: 'applied' },
    ])
    await ok(rig.core, 'sync.acknowledgeRejection', { mutationId: rejections[0]!.mutationId }, rig.secretary)
    await rig.core.sync.kick()
    expect(raw.prepare('SELECT state FROM outbox ORDER BY seq').pluck().all()).toEqual(['rejected', 'rejected', 'applied'])
    expect((await ok(rig.core, 'sync.rejections', {}, rig.secretary)).map((r) => r.mutationId)).toEqual(['01900000-0000-7000-8000-000000000002'])
  })
})
