import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { auditChanges } from '../../src/shared/audit-changes'
import { ok, T0, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
const s: Record<string, string> = {}
let north: string
let south: string
let marcId: string
const MIN = 60_000

async function fail(method: string, input: unknown, session?: string) {
  const result = await t.core.dispatch({ method, input, ...(session ? { session } : {}) })
  if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
  return result.error
}

beforeEach(async () => {
  t = await testCore()
  t.board.staff('sophie', 'secretary')
  marcId = t.board.staff('marc', 'principal')
  t.board.staff('ana', 'admin')
  north = t.board.school('École du Nord')
  south = t.board.school('École du Sud')
  for (const u of ['sophie', 'marc', 'ana']) s[u] = (await ok(t.core, 'auth.signIn', { username: u, password: 'secret-pass' })).token
  // Day one (2026-11-20, Toronto): the principal sets both thresholds; the admin the lock delay.
  await ok(t.core, 'refunds.setThreshold', { schoolId: north, thresholdCents: 5000 }, s.marc)
  t.clock.ms += MIN
  await ok(t.core, 'refunds.setThreshold', { schoolId: south, thresholdCents: 7500 }, s.marc)
  await ok(t.core, 'settings.setLockAfter', { seconds: 600 }, s.ana)
  // Day two: the principal again, on the north school only.
  t.clock.ms = Date.parse('2026-11-21T15:00:00.000Z')
  s.marc = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
  await ok(t.core, 'refunds.setThreshold', { schoolId: north, thresholdCents: 6000 }, s.marc)
})
afterEach(() => t.cleanup())

const actions = (rows: Array<{ action: string }>) => rows.map((r) => r.action)

describe('the audit log, filtered and paged in SQL', () => {
  it('is the principal’s and the admin’s, never the secretary’s', async () => {
    for (const u of ['sophie', 'ana']) s[u] = (await ok(t.core, 'auth.signIn', { username: u, password: 'secret-pass' })).token
    for (const m of ['audit.list', 'audit.people', 'audit.export']) expect((await fail(m, {}, s.sophie)).code).toBe('FORBIDDEN')
    expect((await ok(t.core, 'audit.list', {}, s.ana)).total).toBeGreaterThan(0)
  })

  it('by person, with a total and pages', async () => {
    const marc = await ok(t.core, 'audit.list', { staffId: marcId }, s.marc)
    expect(actions(marc.rows)).toEqual(['refunds.setThreshold', 'auth.signIn', 'refunds.setThreshold', 'refunds.setThreshold', 'auth.signIn'])
    expect(marc.total).toBe(5)
    const page = await ok(t.core, 'audit.list', { staffId: marcId, limit: 2, offset: 2 }, s.marc)
    expect(page).toMatchObject({ total: 5, hasMore: true })
    expect(page.rows.map((r) => r.seq)).toEqual(marc.rows.slice(2, 4).map((r) => r.seq))
    const people = await ok(t.core, 'audit.people', {}, s.marc)
    expect(people.map((p) => p.name)).toEqual(['ana (test)', 'marc (test)', 'sophie (test)'])
  })

  it('by school, through what the change touched, and each row says its school', async () => {
    const rows = (await ok(t.core, 'audit.list', { schoolId: north }, s.marc)).rows
    expect(rows.map((r) => [r.action, r.schoolName, JSON.parse(r.after!)])).toEqual([
      ['refunds.setThreshold', 'École du Nord', { refundThresholdCents: 6000 }],
      ['refunds.setThreshold', 'École du Nord', { refundThresholdCents: 5000 }],
    ])
    const all = (await ok(t.core, 'audit.list', {}, s.marc)).rows
    expect(all.find((r) => r.action === 'settings.setLockAfter')).toMatchObject({ schoolId: null, schoolName: null })
  })

  it('by kind of change and by local days, both ends included', async () => {
    expect(actions((await ok(t.core, 'audit.list', { kind: 'settings' }, s.marc)).rows)).toEqual(['settings.setLockAfter'])
    expect((await ok(t.core, 'audit.list', { kind: 'signIn' }, s.marc)).total).toBe(4)
    const dayTwo = await ok(t.core, 'audit.list', { from: '2026-11-21', to: '2026-11-21' }, s.marc)
    expect(actions(dayTwo.rows)).toEqual(['refunds.setThreshold', 'auth.signIn'])
    const dayOne = await ok(t.core, 'audit.list', { to: '2026-11-20', kind: 'money', staffId: marcId }, s.marc)
    expect(dayOne.rows.map((r) => r.at)).toEqual([new Date(Date.parse(T0) + MIN).toISOString(), T0])
    expect((await fail('audit.list', { from: '21/11/2026' }, s.marc)).code).toBe('INVALID_INPUT')
  })

  it('reads as fields before and after, and exports the filtered list to Excel, readable', async () => {
    const row = (await ok(t.core, 'audit.list', { schoolId: north, limit: 1 }, s.marc)).rows[0]!
    expect(auditChanges(row)).toEqual([{ field: 'refundThresholdCents', before: '5000', after: '6000' }])
    const file = await ok(t.core, 'audit.export', { staffId: marcId, kind: 'money' }, s.marc)
    expect(file.fileName).toBe('journal-2026-11-21.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.name).toBe('Journal')
    expect(ws.rowCount).toBe(4)
    expect(ws.getRow(1).values).toEqual([undefined, 'Date et heure', 'Qui', 'Action', 'École', 'Objet', 'Identifiant', 'Changements'])
    expect(ws.getRow(2).getCell(2).value).toBe('marc (test)')
    expect(ws.getRow(2).getCell(4).value).toBe('École du Nord')
    expect(ws.getRow(2).getCell(7).value).toBe('refundThresholdCents: 5000 → 6000')
    expect(ws.getRow(3).getCell(4).value).toBe('École du Sud')
  })
})
