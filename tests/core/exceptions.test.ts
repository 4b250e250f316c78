import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Input } from '../../src/shared/contract'
import { ExceptionRecordData } from '../../src/shared/sync/protocol'
import { count, ok, testCore } from './fixtures'

/**
 * Deadlines are final for families (DOMAIN.md, "Deadlines"): once an item is published, pushing
 * its deadline (or a date's cutoff) later, or reopening it, is the principal's, with a reason,
 * audited and sent to the board.
 */

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string
let principal: string
let school: string
const raw = () => t.core.connection.raw

beforeEach(async () => {
  t = await testCore() // 2026-11-20T15:00Z
  t.board.staff('sophie', 'secretary')
  t.board.staff('marc', 'principal')
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
  school = t.board.school('École Saint-Délai')
  t.board.year(school)
  const c = t.board.klass(school, '4e année')
  t.board.guardian('Julie', 'Roy', [t.board.student(school, 'Ann', 'Roy', '4', c)])
})
afterEach(() => t.cleanup())

type Draft = Input<'catalogue.create'>['draft']
const agenda: Draft = {
  kind: 'product',
  titleFr: 'Agenda scolaire',
  titleEn: 'School planner',
  descriptionFr: 'L’agenda de l’année.',
  descriptionEn: 'The year’s planner.',
  opensAt: '2026-11-20T16:00:00Z',
  deadlineAt: '2026-12-04T17:00:00Z',
  priceCents: 800,
  feePer: null,
  required: false,
  stockLimit: null,
  perStudentLimit: null,
  reminderDaysBefore: 3,
  targets: [{ kind: 'school', value: '' }],
  variants: [],
  dates: [],
  outing: null,
  questions: [],
}

async function published(): Promise<{ id: string; version: number }> {
  const { id } = await ok(t.core, 'catalogue.create', { schoolId: school, draft: { ...agenda, targets: [{ kind: 'school', value: school }] } }, secretary)
  const { version } = await ok(t.core, 'catalogue.publish', { id, version: 1, confirmWarnings: true }, secretary)
  return { id, version }
}

async function fail(method: string, input: unknown, session: string) {
  const result = await t.core.dispatch({ method, input, session })
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
  return result.error
}

const sent = () => raw().prepare(`SELECT type, data FROM outbox WHERE type = 'exception.record' ORDER BY seq`).all() as Array<{ type: string; data: string }>

describe('a later deadline once published', () => {
  it('is refused to a secretary and without a reason, and changes nothing', async () => {
    const { id, version } = await published()
    const draft = { ...agenda, targets: [{ kind: 'school' as const, value: school }], deadlineAt: '2026-12-11T17:00:00Z' }
    const before = { outbox: count(raw(), 'outbox'), audit: count(raw(), 'audit_log') }
    expect((await fail('catalogue.update', { id, version, draft, exceptionReason: 'Demande du fournisseur' }, secretary)).code).toBe('EXCEPTION_NEEDS_PRINCIPAL')
    const noReason = await fail('catalogue.update', { id, version, draft, exceptionReason: '  ' }, principal)
    expect(noReason.code).toBe('INVALID_INPUT')
    expect(noReason.issues).toEqual([expect.objectContaining({ path: 'exceptionReason', message: expect.stringMatching(/raison/) })])
    expect(count(raw(), 'outbox')).toBe(before.outbox)
    expect(count(raw(), 'audit_log')).toBe(before.audit)
    expect(raw().prepare(`SELECT deadline_at FROM offerings WHERE id = ?`).get(id)).toEqual({ deadline_at: '2026-12-04T17:00:00.000Z' })
  })

  it('is the principal’s with a reason: audited, and sent to the board after the change itself', async () => {
    const { id, version } = await published()
    const draft = { ...agenda, targets: [{ kind: 'school' as const, value: school }], deadlineAt: '2026-12-11T17:00:00Z' }
    await ok(t.core, 'catalogue.update', { id, version, draft, exceptionReason: 'Livraison retardée' }, principal)
    const audit = raw().prepare(`SELECT actor, detail FROM audit_log WHERE action = 'catalogue.update' ORDER BY seq DESC LIMIT 1`).get() as { actor: string; detail: string }
    expect(JSON.parse(audit.detail)).toEqual({ exception: 'deadline_extended', reason: 'Livraison retardée', changes: [{ field: 'deadlineAt', before: '2026-12-04T17:00:00.000Z', after: '2026-12-11T17:00:00.000Z' }] })
    const types = (raw().prepare(`SELECT type FROM outbox ORDER BY seq`).all() as Array<{ type: string }>).map((r) => r.type)
    expect(types.slice(-2)).toEqual(['offering.upsert', 'exception.record'])
    const [exception] = sent()
    const data = ExceptionRecordData.parse(JSON.parse(exception!.data))
    expect(data).toMatchObject({ kind: 'deadline_extended', offeringId: id, studentId: null, reason: 'Livraison retardée', approvedBy: expect.any(String) })
  })

  it('an earlier or unchanged deadline, or any change to a draft, needs no exception', async () => {
    const { id, version } = await published()
    const draft = { ...agenda, targets: [{ kind: 'school' as const, value: school }], titleFr: 'Agenda 2026-2027' }
    await ok(t.core, 'catalogue.update', { id, version, draft }, secretary)
    const mine = { ...agenda, targets: [{ kind: 'school' as const, value: school }] }
    const { id: d } = await ok(t.core, 'catalogue.create', { schoolId: school, draft: mine }, secretary)
    await ok(t.core, 'catalogue.update', { id: d, version: 1, draft: { ...mine, deadlineAt: '2026-12-18T17:00:00Z' } }, secretary)
    expect(sent()).toEqual([])
  })
})

describe('reopening a closed item', () => {
  it('is the principal’s, with a reason, and sent to the board', async () => {
    const { id, version } = await published()
    const closed = await ok(t.core, 'catalogue.close', { id, version }, secretary)
    expect((await fail('catalogue.publish', { id, version: closed.version, confirmWarnings: true }, secretary)).code).toBe('EXCEPTION_NEEDS_PRINCIPAL')
    expect((await fail('catalogue.publish', { id, version: closed.version, confirmWarnings: true }, principal)).code).toBe('INVALID_INPUT')
    await ok(t.core, 'catalogue.publish', { id, version: closed.version, confirmWarnings: true, exceptionReason: 'Fermé par erreur' }, principal)
    expect(sent().map((m) => JSON.parse(m.data) as { kind: string; reason: string })).toEqual([expect.objectContaining({ kind: 'reopened', reason: 'Fermé par erreur' })])
  })
})
