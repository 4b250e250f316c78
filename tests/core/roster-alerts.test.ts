import { strToU8, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyPage } from '../../src/core/services/sync/apply'
import type { Change, ChangesPage } from '../../src/shared/sync/protocol'
import { count, id, ok, T0, testCore } from './fixtures'

/**
 * Roster alerts (issue 6): a student who leaves with money at stake, a guardian whose email
 * bounced, a student who changes class while on a delivery list from today on. Raised by both
 * writers of the roster: the sync feed and the OneRoster import.
 */
let t: Awaited<ReturnType<typeof testCore>>
let principal: string
let secretary: string
let school: string
let classA: string
let classB: string
beforeEach(async () => {
  t = await testCore()
  t.board.staff('marc', 'principal')
  t.board.staff('sophie', 'secretary')
  principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
  secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
  school = t.board.school('École Saint-Guillaume')
  t.board.year(school)
  classA = t.board.klass(school, '3e année A')
  classB = t.board.klass(school, '3e année B')
})
afterEach(() => t.cleanup())

const raw = () => t.core.connection.raw
const alerts = () => raw().prepare('SELECT kind, student_id, guardian_id, json(detail) AS detail FROM roster_alerts ORDER BY id').all() as Array<{ kind: string; student_id: string | null; guardian_id: string | null; detail: string }>

/** A program with a date on `date`, and a paid line for the student on it. */
function paidLunch(student: string, guardian: string, date: string, receipt = 1): void {
  const offering = t.board.offering(school, 'program', 'Dîner pizza', [['school', school]], { price: 500 })
  const dateId = id('date')
  raw().prepare('INSERT INTO program_dates (id, offering_id, date, cutoff_at) VALUES (?, ?, ?, ?)').run(dateId, offering, date, `${date}T12:00:00.000Z`)
  t.board.order(school, guardian, [{ student, offering, cents: 500, programDate: dateId }], true, receipt)
}

let seq = 0
function page(changes: Array<Omit<Change, 'seq' | 'op'>>): ChangesPage {
  const withSeq = changes.map((c) => ({ ...c, op: 'upsert', seq: ++seq }) as Change)
  return { changes: withSeq, lastSeq: seq, hasMore: false, headSeq: seq }
}
const studentChange = (sid: string, version: number, over: { classId?: string | null; status?: 'active' | 'withdrawn' }) =>
  ({
    entity: 'student',
    id: sid,
    version,
    data: { id: sid, schoolId: school, classId: over.classId === undefined ? classA : over.classId, firstName: 'Hélène', lastName: 'Bélanger', grade: '3', status: over.status ?? 'active', birthDate: null, medicalAlert: null, guardians: [] },
  }) as Omit<Change, 'seq' | 'op'>

describe('through the sync feed', () => {
  it('a withdrawal with a paid lunch to come and an unpaid required fee raises one alert; a plain one raises none', () => {
    const helene = t.board.student(school, 'Hélène', 'Bélanger', '3', classA)
    const louis = t.board.student(school, 'Louis', 'Bélanger', '3', classA)
    const mother = t.board.guardian('Isabelle', 'Côté', [helene, louis])
    paidLunch(helene, mother, '2026-11-27')
    t.board.offering(school, 'fee', 'Frais de sortie', [['student', helene]], { price: 2000 })
    raw().prepare("UPDATE offerings SET required = 1 WHERE kind = 'fee'").run()
    // Louis's lunch was last week: nothing at stake.
    paidLunch(louis, mother, '2026-11-13', 2)

    applyPage(raw(), school, page([studentChange(helene, 2, { status: 'withdrawn' }), { ...studentChange(louis, 2, { status: 'withdrawn' }), data: { ...studentChange(louis, 2, { status: 'withdrawn' }).data!, id: louis, firstName: 'Louis' } as never }]), T0)
    expect(alerts()).toEqual([{ kind: 'withdrawn_with_money', student_id: helene, guardian_id: null, detail: '{"futurePaid":1,"unpaidFees":1}' }])

    // The same page twice (a retry) changes nothing.
    applyPage(raw(), school, page([studentChange(helene, 2, { status: 'withdrawn' })]), T0)
    expect(alerts()).toHaveLength(1)
  })

  it('a class change while on a delivery list from today on raises an alert; one with only past lists does not', () => {
    const helene = t.board.student(school, 'Hélène', 'Bélanger', '3', classA)
    const emile = t.board.student(school, 'Émile', 'Roy', '3', classA)
    const mother = t.board.guardian('Isabelle', 'Côté', [helene])
    const father = t.board.guardian('Jean', 'Roy', [emile])
    paidLunch(helene, mother, '2026-11-20')
    paidLunch(emile, father, '2026-11-19', 2)
    applyPage(raw(), school, page([studentChange(helene, 2, { classId: classB }), { ...studentChange(emile, 2, { classId: classB }), data: { ...studentChange(emile, 2, { classId: classB }).data!, id: emile } as never }]), T0)
    expect(alerts()).toEqual([{ kind: 'class_changed', student_id: helene, guardian_id: null, detail: JSON.stringify({ fromClassId: classA, toClassId: classB }) }])
  })

  it('a bounce raises an alert once, shown on the dashboard with the family to open, until someone says "Vu" (audited)', async () => {
    const helene = t.board.student(school, 'Hélène', 'Bélanger', '3', classA)
    const mother = t.board.guardian('Isabelle', 'Côté', [helene])
    const guardian = (bouncedAt: string | null, version: number) =>
      ({
        entity: 'guardian',
        id: mother,
        version,
        data: { id: mother, firstName: 'Isabelle', lastName: 'Côté', email: 'isabelle@example.org', phone: null, phoneAlt: null, preferredLanguage: 'fr', emailBouncedAt: bouncedAt },
      }) as Omit<Change, 'seq' | 'op'>
    applyPage(raw(), school, page([guardian('2026-11-20T14:00:00.000Z', 2)]), T0)
    applyPage(raw(), school, page([guardian('2026-11-20T14:00:00.000Z', 3)]), T0)
    expect(alerts()).toEqual([{ kind: 'email_bounced', student_id: null, guardian_id: mother, detail: '{"bouncedAt":"2026-11-20T14:00:00.000Z"}' }])

    const summary = await ok(t.core, 'dashboard.summary', { schoolId: school }, secretary)
    expect(summary.rosterAlerts).toEqual([expect.objectContaining({ kind: 'email_bounced', studentId: helene, studentName: 'Hélène Bélanger', guardianName: 'Isabelle Côté', schoolName: 'École Saint-Guillaume' })])
    const other = t.board.school('Autre école')
    expect((await ok(t.core, 'dashboard.summary', { schoolId: other }, secretary)).rosterAlerts).toEqual([])

    const alertId = summary.rosterAlerts[0]!.id
    expect(await ok(t.core, 'dashboard.acknowledgeRosterAlert', { alertId }, secretary)).toEqual({ acknowledged: true })
    expect(await ok(t.core, 'dashboard.acknowledgeRosterAlert', { alertId }, principal)).toEqual({ acknowledged: false })
    expect((await ok(t.core, 'dashboard.summary', {}, secretary)).rosterAlerts).toEqual([])
    expect(raw().prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'roster_alert' AND entity_id = ?").get(String(alertId))).toEqual({ n: 1 })
    expect(() => raw().prepare('DELETE FROM roster_alert_acks').run()).toThrow(/append-only/)
    expect(() => raw().prepare('UPDATE roster_alerts SET kind = kind').run()).toThrow(/append-only/)
    const missing = await t.core.dispatch({ method: 'dashboard.acknowledgeRosterAlert', input: { alertId: 999 }, session: secretary })
    expect(missing.ok).toBe(false)
  })
})

describe('through the OneRoster import', () => {
  const MANIFEST = ['propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.1', 'file.classes,bulk', 'file.enrollments,bulk', 'file.orgs,bulk', 'file.users,bulk'].join('\n')
  const bundle = (students: Array<{ id: string; cls: string; status?: string }>) => ({
    'manifest.csv': MANIFEST,
    'orgs.csv': ['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'org-sgu,,2026-09-01,École Saint-Guillaume,school,SGU,'].join('\n'),
    'users.csv': [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
      ...students.map((s) => `${s.id},${s.status ?? ''},2026-09-01,true,org-sgu,student,${s.id},,Prénom,${s.id},,,,,,,03,`),
    ].join('\n'),
    'classes.csv': [
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
      'c-a,,2026-09-01,3e année A,03,hr,SGU-3A,homeroom,,org-sgu,t1,,,',
      'c-b,,2026-09-01,3e année B,03,hr,SGU-3B,homeroom,,org-sgu,t1,,,',
    ].join('\n'),
    'enrollments.csv': ['sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate', ...students.map((s, i) => `e-${i},,2026-09-01,${s.cls},org-sgu,${s.id},student,true,,`)].join('\n'),
  })
  const zip = (files: Record<string, string>) => ({ kind: 'zip' as const, base64: Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))).toString('base64') })

  it('a student left out of a bulk bundle with a paid lunch to come, and one moved to another class, raise alerts; a preview raises none', async () => {
    await ok(t.core, 'roster.import', { source: zip(bundle([{ id: 's-1', cls: 'c-a' }, { id: 's-2', cls: 'c-a' }, { id: 's-3', cls: 'c-a' }])) }, principal)
    expect(count(raw(), 'students')).toBe(3)
    const [s1, s2] = ['s-1', 's-2'].map((src) => raw().prepare('SELECT id FROM students WHERE source_id = ?').pluck().get(src) as string)
    const mother = t.board.guardian('Isabelle', 'Côté', [s1!, s2!])
    const sgu = raw().prepare("SELECT school_id FROM students WHERE source_id = 's-1'").pluck().get() as string
    school = sgu
    paidLunch(s1!, mother, '2026-11-27')
    paidLunch(s2!, mother, '2026-11-23', 2)

    const next = zip(bundle([{ id: 's-2', cls: 'c-b' }, { id: 's-3', cls: 'c-b' }]))
    await ok(t.core, 'roster.previewImport', { source: next }, principal)
    expect(alerts()).toEqual([])
    await ok(t.core, 'roster.import', { source: next }, principal)
    expect(alerts().map((a) => [a.kind, a.student_id])).toEqual([
      ['class_changed', s2],
      ['withdrawn_with_money', s1],
    ])
    const summary = await ok(t.core, 'dashboard.summary', {}, secretary)
    expect(summary.rosterAlerts.map((a) => [a.kind, a.studentId, a.fromClass, a.toClass, a.futurePaid])).toEqual([
      ['withdrawn_with_money', s1, null, null, 1],
      ['class_changed', s2, '3e année A', '3e année B', 0],
    ])
  })
})
