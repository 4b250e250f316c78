import { parse } from 'csv-parse/sync'
import type { Grade } from '../../db/schema'
import { isGrade } from '../grades'

/**
 * OneRoster 1.1 CSV bundles (IMS Global): manifest, orgs, users, classes, enrollments.
 * This reads the files' text into the roster Guichet keeps: schools, homeroom classes,
 * students, guardians and their links. It never throws on a bad row: a bad row is reported
 * (file, line, code) and left out; a bundle that cannot be read at all (a file or a column
 * missing) is fatal, and then nothing may be applied.
 */

export const ONEROSTER_FILES = ['manifest.csv', 'orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv'] as const
export type OneRosterFile = (typeof ONEROSTER_FILES)[number]

const REQUIRED_COLUMNS: Record<Exclude<OneRosterFile, 'manifest.csv'>, readonly string[]> = {
  'orgs.csv': ['sourcedId', 'name', 'type'],
  // A student without a grade cannot be placed: a missing grades column is one message, not one per row.
  'users.csv': ['sourcedId', 'role', 'givenName', 'familyName', 'orgSourcedIds', 'grades'],
  'classes.csv': ['sourcedId', 'title', 'schoolSourcedId'],
  'enrollments.csv': ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
}

export type RosterIssueCode =
  | 'oneroster.missingFile' // {file}
  | 'oneroster.unreadable' // {file, reason}: the CSV parser's error, by kind; the issue's line is the parser's
  | 'oneroster.missingColumn' // {file, column}
  | 'oneroster.unsupportedVersion' // {version}
  | 'oneroster.duplicateId' // {file, id}
  | 'oneroster.missingValue' // {file, column}
  | 'oneroster.badDate' // {file, column, value}
  | 'oneroster.badGrade' // {value}
  | 'oneroster.badRole' // {value}
  | 'oneroster.unknownSchool' // {id}
  | 'oneroster.notASchool' // {id, type}: an org of orgs.csv whose type is not school
  | 'oneroster.unknownClass' // {id}
  | 'oneroster.unknownUser' // {id}
  | 'oneroster.noSchool' // {id}: a student in no school of the bundle

export interface RosterIssue {
  file: OneRosterFile | 'bundle'
  /** 1-based line in the file, header included; 0 for the bundle as a whole. */
  line: number
  code: RosterIssueCode
  fatal: boolean
  values: Record<string, string | number>
}

export interface RosterSchool {
  sourceId: string
  name: string
  code: string
}
export interface RosterClass {
  sourceId: string
  schoolSourceId: string
  code: string
  name: string
  teacher: string | null
}
export interface RosterStudent {
  sourceId: string
  schoolSourceId: string
  classSourceId: string | null
  firstName: string
  lastName: string
  grade: Grade
  active: boolean
  birthDate: string | null
}
export interface RosterGuardian {
  sourceId: string
  firstName: string
  lastName: string
  email: string | null
  phone: string | null
  phoneAlt: string | null
  relationship: 'guardian' | 'other'
}
export interface RosterLink {
  studentSourceId: string
  guardianSourceId: string
  relationship: 'guardian' | 'other'
}

export interface RosterBundle {
  /** 'bulk': the bundle is the whole roster of its schools; 'delta': only what changed. */
  mode: 'bulk' | 'delta'
  schools: RosterSchool[]
  classes: RosterClass[]
  students: RosterStudent[]
  guardians: RosterGuardian[]
  links: RosterLink[]
}

export interface RosterReadResult {
  ok: boolean
  bundle: RosterBundle
  issues: RosterIssue[]
}

type Row = Record<string, string>

/** OneRoster grades are CEDS codes; Ontario's JK and SK are CEDS's PK and KG. */
export function gradeFromCeds(value: string): Grade | null {
  const v = value.trim().toUpperCase()
  if (v === 'PK' || v === 'JK') return 'JK'
  if (v === 'KG' || v === 'SK' || v === 'K') return 'SK'
  const n = String(Number(v))
  return /^\d{1,2}$/.test(v) && isGrade(n) ? n : null
}

const GUARDIAN_ROLES = new Map<string, 'guardian' | 'other'>([
  ['guardian', 'guardian'],
  ['parent', 'guardian'],
  ['relative', 'other'],
])
const STAFF_ROLES = new Set(['teacher', 'administrator', 'aide'])

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** What a CSV parser's error code means for a person fixing the file. */
function csvErrorReason(code: string | undefined): 'columns' | 'quotes' | 'other' {
  if (code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') return 'columns'
  if (code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') return 'quotes'
  return 'other'
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

export function readOneRosterBundle(files: Readonly<Record<string, string>>): RosterReadResult {
  const issues: RosterIssue[] = []
  const empty: RosterBundle = { mode: 'bulk', schools: [], classes: [], students: [], guardians: [], links: [] }
  const fatal = (file: RosterIssue['file'], code: RosterIssueCode, values: RosterIssue['values'], line = 0) =>
    issues.push({ file, line, code, fatal: true, values })
  const rowIssue = (file: OneRosterFile, line: number, code: RosterIssueCode, values: RosterIssue['values']) =>
    issues.push({ file, line, code, fatal: false, values })

  const tables = new Map<OneRosterFile, Row[]>()
  for (const file of ONEROSTER_FILES) {
    const text = files[file]
    if (text === undefined) {
      fatal('bundle', 'oneroster.missingFile', { file })
      continue
    }
    try {
      const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as Row[]
      tables.set(file, rows)
      if (file !== 'manifest.csv') {
        const header = rows[0] ? Object.keys(rows[0]) : parseHeader(text)
        for (const column of REQUIRED_COLUMNS[file]) if (!header.includes(column)) fatal(file, 'oneroster.missingColumn', { file, column }, 1)
      }
    } catch (error) {
      // csv-parse's messages are English: the issue gives the kind and the line it names.
      const { code, lines } = error as { code?: string; lines?: number }
      fatal(file, 'oneroster.unreadable', { file, reason: csvErrorReason(code) }, typeof lines === 'number' && lines > 0 ? lines : 0)
    }
  }
  if (issues.some((i) => i.fatal)) return { ok: false, bundle: empty, issues }

  const manifest = new Map((tables.get('manifest.csv') ?? []).map((r) => [r.propertyName ?? '', r.value ?? '']))
  const version = manifest.get('oneroster.version')
  if (version && !version.startsWith('1.1')) {
    fatal('manifest.csv', 'oneroster.unsupportedVersion', { version })
    return { ok: false, bundle: empty, issues }
  }
  const mode = manifest.get('file.users') === 'delta' ? 'delta' : 'bulk'

  /** Rows of a file with a unique sourcedId, each with its line; duplicates reported. */
  function unique(file: OneRosterFile): Array<{ row: Row; line: number }> {
    const seen = new Set<string>()
    const out: Array<{ row: Row; line: number }> = []
    ;(tables.get(file) ?? []).forEach((row, i) => {
      const line = i + 2
      const id = row.sourcedId ?? ''
      if (!id) return rowIssue(file, line, 'oneroster.missingValue', { file, column: 'sourcedId' })
      if (seen.has(id)) return rowIssue(file, line, 'oneroster.duplicateId', { file, id })
      seen.add(id)
      for (const column of ['dateLastModified', 'beginDate', 'endDate', 'birthDate']) {
        const value = row[column]
        if (value && !isIsoDate(value.slice(0, 10))) return rowIssue(file, line, 'oneroster.badDate', { file, column, value })
      }
      out.push({ row, line })
    })
    return out
  }

  const orgs = unique('orgs.csv')
  const orgType = new Map(orgs.map(({ row }) => [row.sourcedId!, row.type ?? '']))
  const schools: RosterSchool[] = orgs
    .filter(({ row }) => row.type === 'school')
    .map(({ row }) => ({ sourceId: row.sourcedId!, name: row.name!, code: row.identifier || row.sourcedId! }))
  const schoolIds = new Set(schools.map((s) => s.sourceId))

  const users = unique('users.csv')
  const userById = new Map(users.map((u) => [u.row.sourcedId!, u]))
  const teacherName = new Map<string, string>()
  for (const { row } of users) if (STAFF_ROLES.has(row.role ?? '')) teacherName.set(row.sourcedId!, `${row.givenName} ${row.familyName}`.trim())

  const classes: RosterClass[] = []
  const classIds = new Set<string>()
  const homerooms = new Set<string>()
  for (const { row, line } of unique('classes.csv')) {
    if (!schoolIds.has(row.schoolSourcedId ?? '')) {
      const type = orgType.get(row.schoolSourcedId ?? '')
      if (type !== undefined) rowIssue('classes.csv', line, 'oneroster.notASchool', { id: row.schoolSourcedId!, type: type || '—' })
      else rowIssue('classes.csv', line, 'oneroster.unknownSchool', { id: row.schoolSourcedId ?? '' })
      continue
    }
    classIds.add(row.sourcedId!)
    // A bundle may list every course section: a student's homeroom is the class of type
    // homeroom, or any class when the bundle gives no types.
    if (!row.classType || row.classType === 'homeroom') homerooms.add(row.sourcedId!)
    classes.push({ sourceId: row.sourcedId!, schoolSourceId: row.schoolSourcedId!, code: row.classCode || row.sourcedId!, name: row.title!, teacher: null })
  }

  const homeroomOf = new Map<string, { classId: string; primary: boolean }>()
  for (const { row, line } of unique('enrollments.csv')) {
    const classId = row.classSourcedId ?? ''
    const userId = row.userSourcedId ?? ''
    if (!classIds.has(classId)) {
      rowIssue('enrollments.csv', line, 'oneroster.unknownClass', { id: classId })
      continue
    }
    if (!userById.has(userId)) {
      rowIssue('enrollments.csv', line, 'oneroster.unknownUser', { id: userId })
      continue
    }
    if (row.status === 'tobedeleted') continue
    if (row.role === 'teacher' && row.primary !== 'false') {
      const cls = classes.find((c) => c.sourceId === classId)
      if (cls && !cls.teacher) cls.teacher = teacherName.get(userId) ?? null
    }
    if (row.role === 'student' && homerooms.has(classId)) {
      const current = homeroomOf.get(userId)
      const primary = row.primary === 'true'
      if (!current || (primary && !current.primary)) homeroomOf.set(userId, { classId, primary })
    }
  }

  const students: RosterStudent[] = []
  const guardians: RosterGuardian[] = []
  const links = new Map<string, RosterLink>()
  const addLink = (studentId: string, guardianId: string, relationship: 'guardian' | 'other') =>
    links.set(`${studentId}|${guardianId}`, { studentSourceId: studentId, guardianSourceId: guardianId, relationship })

  for (const { row, line } of users) {
    const role = row.role ?? ''
    if (role === 'student') {
      const grade = gradeFromCeds(list(row.grades)[0] ?? '')
      if (!grade) {
        rowIssue('users.csv', line, 'oneroster.badGrade', { value: row.grades ?? '' })
        continue
      }
      const school = list(row.orgSourcedIds).find((id) => schoolIds.has(id))
      if (!school) {
        rowIssue('users.csv', line, 'oneroster.noSchool', { id: row.sourcedId! })
        continue
      }
      if (!row.givenName || !row.familyName) {
        rowIssue('users.csv', line, 'oneroster.missingValue', { file: 'users.csv', column: !row.givenName ? 'givenName' : 'familyName' })
        continue
      }
      students.push({
        sourceId: row.sourcedId!,
        schoolSourceId: school,
        classSourceId: homeroomOf.get(row.sourcedId!)?.classId ?? null,
        firstName: row.givenName,
        lastName: row.familyName,
        grade,
        active: row.status !== 'tobedeleted' && row.enabledUser !== 'false',
        birthDate: row.birthDate || null,
      })
      for (const agent of list(row.agentSourcedIds)) {
        const guardian = userById.get(agent)
        const relationship = GUARDIAN_ROLES.get(guardian?.row.role ?? '')
        if (!guardian || !relationship) rowIssue('users.csv', line, 'oneroster.unknownUser', { id: agent })
        else addLink(row.sourcedId!, agent, relationship)
      }
    } else if (GUARDIAN_ROLES.has(role)) {
      const relationship = GUARDIAN_ROLES.get(role)!
      if (!row.givenName || !row.familyName) {
        rowIssue('users.csv', line, 'oneroster.missingValue', { file: 'users.csv', column: !row.givenName ? 'givenName' : 'familyName' })
        continue
      }
      guardians.push({
        sourceId: row.sourcedId!,
        firstName: row.givenName,
        lastName: row.familyName,
        email: row.email || null,
        phone: row.phone || row.sms || null,
        phoneAlt: row.phone && row.sms && row.sms !== row.phone ? row.sms : null,
        relationship,
      })
      // A guardian's agents are their children: the link may be given from either side.
      for (const agent of list(row.agentSourcedIds)) {
        if (userById.get(agent)?.row.role === 'student') addLink(agent, row.sourcedId!, relationship)
      }
    } else if (!STAFF_ROLES.has(role) && role !== 'proctor') {
      rowIssue('users.csv', line, 'oneroster.badRole', { value: role })
    }
  }

  const studentIds = new Set(students.map((s) => s.sourceId))
  const guardianIds = new Set(guardians.map((g) => g.sourceId))
  const keptLinks = [...links.values()].filter((l) => studentIds.has(l.studentSourceId) && guardianIds.has(l.guardianSourceId))

  return { ok: true, bundle: { mode, schools, classes, students, guardians, links: keptLinks }, issues }
}

function parseHeader(text: string): string[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  return first.split(',').map((c) => c.trim().replace(/^"|"$/g, ''))
}
