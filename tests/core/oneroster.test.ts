import { zipSync, strToU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { gradeFromCeds, readOneRosterBundle } from '../../src/core/domain/roster/oneroster'
import { count, ok, testCore } from './fixtures'

/** A bundle written as the OneRoster 1.1 CSV specification lays it out. */
function bundle(over: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    'manifest.csv': [
      'propertyName,value',
      'manifest.version,1.0',
      'oneroster.version,1.1',
      'file.academicSessions,absent',
      'file.categories,absent',
      'file.classes,bulk',
      'file.classResources,absent',
      'file.courses,absent',
      'file.courseResources,absent',
      'file.demographics,absent',
      'file.enrollments,bulk',
      'file.lineItems,absent',
      'file.orgs,bulk',
      'file.resources,absent',
      'file.results,absent',
      'file.users,bulk',
      'source.systemName,Aspen',
      'source.systemCode,CECCE',
    ].join('\n'),
    'orgs.csv': [
      'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
      'org-cecce,,2026-09-01,Conseil des écoles catholiques du Centre-Est,district,CECCE,',
      'org-sgu,,2026-09-01,École élémentaire catholique Saint-Guillaume,school,SGU,org-cecce',
      'org-sma,,2026-09-01,École élémentaire catholique Sainte-Marie,school,SMA,org-cecce',
    ].join('\n'),
    'users.csv': [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
      't-1,,2026-09-01,true,org-sgu,teacher,mtremblay,,Marie,Tremblay,,T1,mtremblay@example.org,,,,,',
      's-1,,2026-09-01,true,org-sgu,student,hbelanger,,Hélène,Bélanger,,100001,,,,"g-1,g-2",03,',
      's-2,,2026-09-01,true,org-sgu,student,lbelanger,,Louis,Bélanger,,100002,,,,g-1,PK,',
      's-3,,2026-09-01,true,org-sma,student,eroy,,Émile,Roy,,100003,,,,,KG,',
      'g-1,,2026-09-01,true,org-sgu,parent,,,Isabelle,Côté,,,isabelle@example.org,613-555-0101,613-555-0100,,,',
      'g-2,,2026-09-01,true,org-sgu,guardian,,,Marc,Bélanger,,,,,613-555-0102,,,',
      'g-3,,2026-09-01,true,org-sma,relative,,,Jean,Roy,,,,,613-555-0103,s-3,,',
    ].join('\n'),
    'classes.csv': [
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
      'c-3a,,2026-09-01,3e année A,03,course-hr,SGU-3A,homeroom,Local 12,org-sgu,term-1,,,',
      'c-mat,,2026-09-01,Maternelle A,PK,course-hr,SGU-MA,homeroom,Local 2,org-sgu,term-1,,,',
      'c-music,,2026-09-01,Musique 3,03,course-mus,SGU-MUS3,scheduled,Local 30,org-sgu,term-1,,,',
      'c-jb,,2026-09-01,Jardin B,KG,course-hr,SMA-JB,homeroom,Local 4,org-sma,term-1,,,',
    ].join('\n'),
    'enrollments.csv': [
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
      'e-1,,2026-09-01,c-3a,org-sgu,t-1,teacher,true,2026-09-02,2027-06-25',
      'e-2,,2026-09-01,c-music,org-sgu,s-1,student,false,2026-09-02,2027-06-25',
      'e-3,,2026-09-01,c-3a,org-sgu,s-1,student,true,2026-09-02,2027-06-25',
      'e-4,,2026-09-01,c-mat,org-sgu,s-2,student,true,2026-09-02,2027-06-25',
      'e-5,,2026-09-01,c-jb,org-sma,s-3,student,true,2026-09-02,2027-06-25',
    ].join('\n'),
    ...over,
  } as Record<string, string>
}

describe('reading a bundle', () => {
  it('maps CEDS grades to Ontario’s', () => {
    expect(['PK', 'KG', '01', '06', '12', 'JK', 'SK', '13', 'IT', ''].map(gradeFromCeds)).toEqual(['JK', 'SK', '1', '6', '12', 'JK', 'SK', null, null, null])
  })

  it('reads schools, homerooms with their teacher, students and guardians linked from either side', () => {
    const { ok, bundle: b, issues } = readOneRosterBundle(bundle())
    expect(ok).toBe(true)
    expect(issues).toEqual([])
    expect(b.schools.map((s) => s.code)).toEqual(['SGU', 'SMA'])
    expect(b.classes.find((c) => c.sourceId === 'c-3a')).toMatchObject({ name: '3e année A', teacher: 'Marie Tremblay' })
    expect(b.students.map((s) => [s.firstName, s.grade, s.classSourceId])).toEqual([
      ['Hélène', '3', 'c-3a'],
      ['Louis', 'JK', 'c-mat'],
      ['Émile', 'SK', 'c-jb'],
    ])
    expect(b.links.map((l) => `${l.studentSourceId}>${l.guardianSourceId}:${l.relationship}`).sort()).toEqual(['s-1>g-1:guardian', 's-1>g-2:guardian', 's-2>g-1:guardian', 's-3>g-3:other'])
    expect(b.guardians.find((g) => g.sourceId === 'g-1')).toMatchObject({ email: 'isabelle@example.org', phone: '613-555-0100', phoneAlt: '613-555-0101' })
  })

  it('reports bad rows by file and line and leaves them out', () => {
    const users = bundle()['users.csv']!.split('\n')
    users.push('s-1,,2026-09-01,true,org-sgu,student,dup,,Dup,Licate,,,,,,,03,')
    users.push('s-9,,2026-13-45,true,org-sgu,student,bad,,Bad,Date,,,,,,,03,')
    users.push('s-8,,2026-09-01,true,org-sgu,student,x,,Xavier,Grade,,,,,,,13,')
    users.push('s-7,,2026-09-01,true,org-zzz,student,y,,Yves,Nowhere,,,,,,,02,')
    const enrollments = bundle()['enrollments.csv'] + '\ne-9,,2026-09-01,c-nope,org-sgu,s-1,student,true,2026-09-02,2027-06-25'
    const { ok, bundle: b, issues } = readOneRosterBundle(bundle({ 'users.csv': users.join('\n'), 'enrollments.csv': enrollments }))
    expect(ok).toBe(true)
    expect(issues.map((i) => [i.file, i.line, i.code, i.fatal])).toEqual([
      ['users.csv', 9, 'oneroster.duplicateId', false],
      ['users.csv', 10, 'oneroster.badDate', false],
      ['enrollments.csv', 7, 'oneroster.unknownClass', false],
      ['users.csv', 11, 'oneroster.badGrade', false],
      ['users.csv', 12, 'oneroster.noSchool', false],
    ])
    expect(b.students).toHaveLength(3)
  })

  it('is fatal when a file or a column is missing, or the version is not 1.1', () => {
    const { ['classes.csv']: _c, ...noClasses } = bundle()
    expect(readOneRosterBundle(noClasses)).toMatchObject({ ok: false, issues: [{ code: 'oneroster.missingFile', fatal: true, values: { file: 'classes.csv' } }] })
    const noColumn = readOneRosterBundle(bundle({ 'enrollments.csv': 'sourcedId,classSourcedId,schoolSourcedId,role\ne-1,c-3a,org-sgu,student' }))
    expect(noColumn.issues).toEqual([expect.objectContaining({ code: 'oneroster.missingColumn', values: { file: 'enrollments.csv', column: 'userSourcedId' } })])
    const v12 = readOneRosterBundle(bundle({ 'manifest.csv': 'propertyName,value\noneroster.version,1.2' }))
    expect(v12).toMatchObject({ ok: false, issues: [{ code: 'oneroster.unsupportedVersion' }] })
  })

  it('names a missing grades column once, rather than an empty grade on every student', () => {
    const users = bundle()['users.csv']!.split('\n').map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter((_, i) => i !== 16).join(','))
    const { ok, issues } = readOneRosterBundle(bundle({ 'users.csv': users.join('\n') }))
    expect(ok).toBe(false)
    expect(issues).toEqual([{ file: 'users.csv', line: 1, code: 'oneroster.missingColumn', fatal: true, values: { file: 'users.csv', column: 'grades' } }])
  })

  it('says a class’s org is not a school when orgs.csv has it with another type', () => {
    const orgs = `${bundle()['orgs.csv']!}\norg-sch-222-456,,2026-09-01,Services pédagogiques,department,DEP,org-cecce`
    const classes = `${bundle()['classes.csv']!}\nc-dep,,2026-09-01,Atelier,03,course-x,DEP-1,homeroom,Local 1,org-sch-222-456,term-1,,,\nc-ghost,,2026-09-01,Fantôme,03,course-x,X-1,homeroom,Local 1,org-nowhere,term-1,,,`
    const { issues } = readOneRosterBundle(bundle({ 'orgs.csv': orgs, 'classes.csv': classes }))
    expect(issues).toEqual([
      { file: 'classes.csv', line: 6, code: 'oneroster.notASchool', fatal: false, values: { id: 'org-sch-222-456', type: 'department' } },
      { file: 'classes.csv', line: 7, code: 'oneroster.unknownSchool', fatal: false, values: { id: 'org-nowhere' } },
    ])
  })

  it('reports a file the CSV parser cannot read by kind and at the line the parser names, with no English inside', () => {
    const users = bundle()['users.csv']!.split('\n')
    users[2] = `${users[2]},extra`
    const { ok, issues } = readOneRosterBundle(bundle({ 'users.csv': users.join('\n') }))
    expect(ok).toBe(false)
    expect(issues).toEqual([{ file: 'users.csv', line: 3, code: 'oneroster.unreadable', fatal: true, values: { file: 'users.csv', reason: 'columns' } }])
    const quoted = readOneRosterBundle(bundle({ 'classes.csv': 'sourcedId,title,schoolSourcedId\nc-1,"Ouvert,org-sgu' }))
    expect(quoted.issues[0]).toMatchObject({ code: 'oneroster.unreadable', values: { reason: 'quotes' } })
  })
})

describe('importing a bundle', () => {
  let t: Awaited<ReturnType<typeof testCore>>
  let principal: string
  beforeEach(async () => {
    t = await testCore()
    t.board.staff('marc', 'principal')
    t.board.staff('sophie', 'secretary')
    principal = (await ok(t.core, 'auth.signIn', { username: 'marc', password: 'secret-pass' })).token
  })
  afterEach(() => t.cleanup())

  const zip = (files: Record<string, string>) => ({ kind: 'zip' as const, base64: Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`export/${k}`, strToU8(v)])))).toString('base64') })

  it('previews without writing, then applies, then finds nothing left to do', async () => {
    const preview = await ok(t.core, 'roster.previewImport', { source: zip(bundle()) }, principal)
    expect(preview).toMatchObject({ ok: true, mode: 'bulk', issues: [] })
    expect(preview.summary).toMatchObject({ schools: { added: 2 }, classes: { added: 4 }, students: { added: 3, withdrawn: 0 }, guardians: { added: 3 }, links: { added: 4 } })
    expect(count(t.core.connection.raw, 'students')).toBe(0)

    const applied = await ok(t.core, 'roster.import', { source: zip(bundle()) }, principal)
    expect(applied.summary).toEqual(preview.summary)
    expect(count(t.core.connection.raw, 'students')).toBe(3)
    const again = await ok(t.core, 'roster.previewImport', { source: { kind: 'files', files: bundle() } }, principal)
    expect(again.summary).toMatchObject({ students: { added: 0, updated: 0, unchanged: 3 }, links: { added: 0, removed: 0 } })

    const found = await ok(t.core, 'students.search', { query: 'helene' }, principal)
    expect(found.rows).toEqual([expect.objectContaining({ firstName: 'Hélène', grade: '3', className: '3e année A', schoolName: 'École élémentaire catholique Saint-Guillaume' })])
  })

  it('withdraws, never deletes, a student missing from a bulk bundle; follows a class change', async () => {
    await ok(t.core, 'roster.import', { source: zip(bundle()) }, principal)
    const users = bundle()['users.csv']!.split('\n').filter((l) => !l.startsWith('s-2,'))
    const enrollments = bundle()['enrollments.csv']!.replace('e-3,,2026-09-01,c-3a', 'e-3,,2026-09-01,c-mat')
    const summary = (await ok(t.core, 'roster.import', { source: { kind: 'files', files: bundle({ 'users.csv': users.join('\n'), 'enrollments.csv': enrollments }) } }, principal)).summary
    expect(summary.students).toMatchObject({ withdrawn: 1, updated: 1, unchanged: 1 })
    expect(t.core.connection.raw.prepare(`SELECT s.first_name, s.status, c.name AS class FROM students s LEFT JOIN classes c ON c.id = s.class_id ORDER BY fold(s.first_name)`).all()).toEqual([
      { first_name: 'Émile', status: 'active', class: 'Jardin B' },
      { first_name: 'Hélène', status: 'active', class: 'Maternelle A' },
      { first_name: 'Louis', status: 'withdrawn', class: 'Maternelle A' },
    ])
  })

  it('applies nothing on a fatal error, and only the principal or an admin may import', async () => {
    const { ['users.csv']: _u, ...broken } = bundle()
    const result = await t.core.dispatch({ method: 'roster.import', input: { source: { kind: 'files', files: broken } }, session: principal })
    expect(result).toMatchObject({ ok: false, error: { code: 'IMPORT_FAILED', issues: [{ message: 'Le fichier users.csv manque dans l’ensemble OneRoster.' }] } })
    expect(count(t.core.connection.raw, 'schools')).toBe(0)
    const bad = await t.core.dispatch({ method: 'roster.previewImport', input: { source: { kind: 'zip', base64: Buffer.from('not a zip').toString('base64') } }, session: principal })
    expect(bad).toMatchObject({ ok: false, error: { code: 'IMPORT_FAILED', issues: [{ path: 'file' }] } })
    const secretary = (await ok(t.core, 'auth.signIn', { username: 'sophie', password: 'secret-pass' })).token
    expect((await t.core.dispatch({ method: 'roster.import', input: { source: { kind: 'files', files: bundle() } }, session: secretary })).ok).toBe(false)
  })
})
