import type { Grade } from '../db/schema'
import { gradeRank } from '../domain/grades'
import { DAY_MS, ymd, type SchoolYear } from './calendar'
import {
  BOYS_EN,
  BOYS_FR,
  EMAIL_DOMAINS,
  GIRLS_EN,
  GIRLS_FR,
  GRANDMOTHERS,
  GRANDMOTHERS_EN,
  LAST_EN,
  LAST_FR,
  MEDICAL_ALERTS,
  MEN_EN,
  MEN_FR,
  NEWCOMER_FAMILIES,
  TEACHERS,
  WOMEN_EN,
  WOMEN_FR,
} from './names'
import type { IdMaker, Rng } from './random'

export const ELEMENTARY: readonly Grade[] = ['JK', 'SK', '1', '2', '3', '4', '5', '6']

export interface SchoolPlan {
  id: string
  code: string
  name: string
  phone: string
  address: string
  classes: ClassPlan[]
  students: StudentPlan[]
}

export interface ClassPlan {
  id: string
  code: string
  name: string
  teacher: string
}

export interface StudentPlan {
  id: string
  school: SchoolPlan
  classId: string
  firstName: string
  lastName: string
  grade: Grade
  birthDate: string
  medicalAlert: string | null
  /** When the student left; null while enrolled. */
  withdrawnMs: number | null
  updatedMs: number
  family: FamilyPlan
}

export interface Card {
  brand: 'visa' | 'mastercard' | 'visa_debit'
  last4: string
}

export interface GuardianPlan {
  id: string
  firstName: string
  lastName: string
  email: string | null
  phone: string
  phoneAlt: string | null
  language: 'fr' | 'en'
  bouncedMs: number | null
  updatedMs: number
  cards: Card[]
}

export interface LinkPlan {
  student: StudentPlan
  guardian: GuardianPlan
  relationship: 'mother' | 'father' | 'guardian'
  primary: boolean
  emergency: boolean
}

export interface FamilyPlan {
  guardians: GuardianPlan[]
  kids: StudentPlan[]
  links: LinkPlan[]
  /** No computer at home: this family answers and pays at the office kiosk. */
  kiosk: boolean
}

export interface Roster {
  schools: SchoolPlan[]
  families: FamilyPlan[]
  guardians: GuardianPlan[]
}

export interface RosterInput {
  rng: Rng
  ids: IdMaker
  year: SchoolYear
  studentsPerSchool: readonly [number, number]
  /** When the roster was first loaded from the board. */
  rosterMs: number
  anchorMs: number
}

const SCHOOLS = [
  {
    code: 'SGU',
    name: 'École élémentaire catholique Saint-Guillaume',
    phone: '613-555-0142',
    address: '1420, chemin Ogilvie, Ottawa (Ontario)  K1J 7P5',
  },
  {
    code: 'SMA',
    name: 'École élémentaire catholique Sainte-Marie',
    phone: '613-555-0187',
    address: '2870, boulevard Saint-Joseph, Orléans (Ontario)  K1C 1G1',
  },
] as const

type Origin = 'fr' | 'en' | 'mixed' | 'newcomer'

interface DraftKid {
  grade: Grade
  girl: boolean
  school: 0 | 1
}

/** Builds the two schools, their classes, and the families (students, guardians, links). */
export function buildRoster(input: RosterInput): Roster {
  const { rng, ids, year, rosterMs, anchorMs } = input
  const schools: SchoolPlan[] = SCHOOLS.map((s) => ({ id: ids.next(rosterMs), ...s, classes: [], students: [] }))

  const remaining = [Math.max(0, input.studentsPerSchool[0]), Math.max(0, input.studentsPerSchool[1])]
  const total = remaining[0]! + remaining[1]!
  const crossTarget = remaining[0]! > 0 && remaining[1]! > 0 ? Math.max(4, Math.round(total / 80)) : 0
  let crossMade = 0

  const families: FamilyPlan[] = []
  const guardians: GuardianPlan[] = []
  const emails = new Set<string>()

  while (remaining[0]! + remaining[1]! > 0) {
    let size = rng.weighted<number>([[1, 45], [2, 38], [3, 17]])
    const cross = crossMade < crossTarget && remaining[0]! > 0 && remaining[1]! > 0
    if (cross) size = Math.max(2, size)
    const grades = siblingGrades(rng, size)
    const kids: DraftKid[] = []
    for (const [i, grade] of grades.entries()) {
      let school: 0 | 1
      if (cross && i < 2) school = (i === 0 ? 0 : 1) as 0 | 1
      else if (cross) school = rng.chance(0.5) ? 0 : 1
      else if (kids.length > 0) school = kids[0]!.school
      else school = rng.next() * (remaining[0]! + remaining[1]!) < remaining[0]! ? 0 : 1
      if (remaining[school]! <= 0) continue
      remaining[school]! -= 1
      kids.push({ grade, girl: rng.chance(0.5), school })
    }
    if (kids.length === 0) continue
    if (new Set(kids.map((k) => k.school)).size === 2) crossMade += 1
    families.push(makeFamily(rng, ids, kids, schools, year, rosterMs, anchorMs, emails, guardians))
  }

  const students = families.flatMap((f) => f.kids)
  // A handful have left the school since September.
  const firstDayMs = Date.parse(`${year.startsOn}T12:00:00Z`)
  if (anchorMs - firstDayMs > 20 * DAY_MS) {
    const leaving = Math.max(2, Math.round(students.length * 0.01))
    for (const s of rng.shuffle(students).slice(0, leaving)) {
      s.withdrawnMs = Math.round(rng.float(firstDayMs + 10 * DAY_MS, anchorMs - 2 * DAY_MS))
      s.updatedMs = s.withdrawnMs
    }
  }
  // A couple of addresses that bounce.
  for (const g of rng.shuffle(guardians.filter((x) => x.email)).slice(0, 2)) {
    g.bouncedMs = Math.max(rosterMs + DAY_MS, Math.round(anchorMs - rng.float(2, 40) * DAY_MS))
  }

  for (const school of schools) placeInClasses(rng, ids, school, rosterMs)
  return { schools, families, guardians }
}

/** Grades of brothers and sisters: one to four years apart, twins now and then. */
function siblingGrades(rng: Rng, size: number): Grade[] {
  const first = rng.int(0, ELEMENTARY.length - 1)
  const taken = [first]
  for (let n = 1; n < size; n++) {
    if (rng.chance(0.04)) {
      taken.push(taken[taken.length - 1]!)
      continue
    }
    const options: number[] = []
    for (let g = 0; g < ELEMENTARY.length; g++) {
      if (!taken.includes(g) && taken.some((t) => Math.abs(t - g) <= 4)) options.push(g)
    }
    if (options.length === 0) break
    taken.push(rng.pick(options))
  }
  return taken.map((i) => ELEMENTARY[i]!)
}

function makeFamily(
  rng: Rng,
  ids: IdMaker,
  drafts: DraftKid[],
  schools: SchoolPlan[],
  year: SchoolYear,
  rosterMs: number,
  anchorMs: number,
  emails: Set<string>,
  all: GuardianPlan[],
): FamilyPlan {
  const origin = rng.weighted<Origin>([['fr', 73], ['en', 10], ['mixed', 7], ['newcomer', 10]])
  const newcomer = rng.pick(NEWCOMER_FAMILIES)
  const shape = rng.weighted<'two' | 'mother' | 'father' | 'grandmother'>([['two', 76], ['mother', 16], ['father', 5], ['grandmother', 3]])

  const womanName = (english: boolean): [string, string] =>
    origin === 'newcomer' ? [rng.pick(newcomer.women), rng.pick(newcomer.last)] : english ? [rng.pick(WOMEN_EN), rng.pick(LAST_EN)] : [rng.pick(WOMEN_FR), rng.pick(LAST_FR)]
  const manName = (english: boolean): [string, string] =>
    origin === 'newcomer' ? [rng.pick(newcomer.men), rng.pick(newcomer.last)] : english ? [rng.pick(MEN_EN), rng.pick(LAST_EN)] : [rng.pick(MEN_FR), rng.pick(LAST_FR)]

  // Who is anglophone in a mixed couple.
  const englishMother = origin === 'en' || (origin === 'mixed' && rng.chance(0.5))
  const englishFather = origin === 'en' || (origin === 'mixed' && !englishMother)

  type Adult = { first: string; last: string; relationship: LinkPlan['relationship']; english: boolean }
  const adults: Adult[] = []
  let kidsLast: string
  const mother = womanName(englishMother)
  const father = manName(englishFather)
  switch (shape) {
    case 'two': {
      adults.push({ first: mother[0], last: mother[1], relationship: 'mother', english: englishMother })
      adults.push({ first: father[0], last: father[1], relationship: 'father', english: englishFather })
      if (origin === 'en' && rng.chance(0.6)) adults[0]!.last = father[1]
      const r = rng.next()
      kidsLast = r < 0.72 ? father[1] : r < 0.84 && mother[1] !== father[1] && origin === 'fr' ? `${father[1]}-${mother[1]}` : mother[1]
      if (rng.chance(0.3)) adults.reverse()
      break
    }
    case 'mother':
      adults.push({ first: mother[0], last: mother[1], relationship: 'mother', english: englishMother })
      kidsLast = rng.chance(0.5) ? mother[1] : father[1]
      break
    case 'father':
      adults.push({ first: father[0], last: father[1], relationship: 'father', english: englishFather })
      kidsLast = father[1]
      break
    case 'grandmother': {
      kidsLast = father[1]
      adults.push({ first: englishMother ? rng.pick(GRANDMOTHERS_EN) : rng.pick(GRANDMOTHERS), last: rng.chance(0.5) ? father[1] : mother[1], relationship: 'guardian', english: englishMother })
      break
    }
  }
  if (origin === 'newcomer' && shape === 'grandmother') adults[0]!.first = rng.pick(newcomer.women)

  const guardians: GuardianPlan[] = adults.map((a) => {
    const hasEmail = rng.chance(0.92)
    return {
      id: ids.next(rosterMs),
      firstName: a.first,
      lastName: a.last,
      email: hasEmail ? email(rng, a.first, a.last, emails) : null,
      phone: `${rng.chance(0.85) ? '613' : '343'}-555-${rng.digits(4)}`,
      phoneAlt: rng.chance(0.35) ? `613-555-${rng.digits(4)}` : null,
      language: a.english ? 'en' : 'fr',
      bouncedMs: null,
      updatedMs: Math.max(rosterMs, Math.round(anchorMs - rng.float(0.05, 30) * DAY_MS)),
      cards: cards(rng),
    }
  })
  all.push(...guardians)

  const family: FamilyPlan = { guardians, kids: [], links: [], kiosk: false }
  family.kiosk = guardians.every((g) => g.email === null) || rng.chance(0.025)

  const used = new Set<string>()
  for (const d of drafts) {
    const english = origin === 'en' && rng.chance(0.5)
    const list = origin === 'newcomer' ? (d.girl ? newcomer.girls : newcomer.boys) : english ? (d.girl ? GIRLS_EN : BOYS_EN) : d.girl ? GIRLS_FR : BOYS_FR
    let first = rng.pick(list)
    for (let tries = 0; used.has(first) && tries < 10; tries++) first = rng.pick(list)
    if (used.has(first)) first = rng.pick(d.girl ? GIRLS_FR : BOYS_FR)
    used.add(first)
    const school = schools[d.school]!
    const rank = gradeRank(d.grade)
    const birthYear = year.startYear - 5 - rank
    const birth = ymd(birthYear, 1, 1)
    const birthDate = new Date(Date.parse(`${birth}T00:00:00Z`) + rng.int(0, 364) * DAY_MS).toISOString().slice(0, 10)
    const student: StudentPlan = {
      id: '',
      school,
      classId: '',
      firstName: first,
      lastName: kidsLast,
      grade: d.grade,
      birthDate,
      medicalAlert: rng.chance(0.04) ? rng.weighted(MEDICAL_ALERTS) : null,
      withdrawnMs: null,
      updatedMs: Math.max(rosterMs, Math.round(anchorMs - rng.float(0.05, 25) * DAY_MS)),
      family,
    }
    school.students.push(student)
    family.kids.push(student)
    const primaryIndex = 0
    guardians.forEach((g, i) => {
      family.links.push({
        student,
        guardian: g,
        relationship: adults[i]!.relationship,
        primary: i === primaryIndex,
        emergency: i === primaryIndex || rng.chance(0.9),
      })
    })
  }
  return family
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '')
}

function email(rng: Rng, first: string, last: string, taken: Set<string>): string {
  const f = ascii(first)
  const l = ascii(last)
  const shape = rng.weighted<number>([[0, 40], [1, 20], [2, 20], [3, 20]])
  let local = shape === 0 ? `${f}.${l}` : shape === 1 ? `${f}${l}` : shape === 2 ? `${f[0] ?? ''}${l}` : `${f}.${l}${rng.int(70, 99)}`
  const domain = rng.pick(EMAIL_DOMAINS)
  let address = `${local}@${domain}`
  while (taken.has(address)) {
    local = `${f}.${l}${rng.int(1, 999)}`
    address = `${local}@${domain}`
  }
  taken.add(address)
  return address
}

function cards(rng: Rng): Card[] {
  const one = (): Card => ({ brand: rng.weighted<Card['brand']>([['visa', 50], ['mastercard', 30], ['visa_debit', 20]]), last4: rng.digits(4) })
  return rng.chance(0.2) ? [one(), one()] : [one()]
}

// ---- classes --------------------------------------------------------------------------------

/** Groups a school places together, and the class size it aims for. */
const GROUPS: ReadonlyArray<{ grades: readonly Grade[]; size: number }> = [
  { grades: ['JK'], size: 26 },
  { grades: ['SK'], size: 26 },
  { grades: ['1'], size: 22 },
  { grades: ['2', '3'], size: 22 },
  { grades: ['4', '5'], size: 26 },
  { grades: ['6'], size: 27 },
]

function gradeLabel(grade: Grade): string {
  if (grade === 'JK') return 'Maternelle'
  if (grade === 'SK') return 'Jardin'
  if (grade === '1') return '1re année'
  return `${grade}e année`
}

/**
 * Cuts each group, ordered by grade, into classes of near-equal size: where a cut falls
 * inside a grade boundary the class is a split class ('4e-5e année').
 */
function placeInClasses(rng: Rng, ids: IdMaker, school: SchoolPlan, rosterMs: number): void {
  const teachers = rng.shuffle(TEACHERS)
  const fallback = rng.shuffle(LAST_FR)
  let t = 0
  const teacher = (): string => {
    const entry = teachers[t]
    const name = entry ? `${entry[0]} ${entry[1]}` : `${rng.chance(0.8) ? 'Mme' : 'M.'} ${fallback[(t - teachers.length) % fallback.length]}`
    t += 1
    return name
  }
  const letters = new Map<string, number>()
  const letter = (key: string): string => {
    const n = letters.get(key) ?? 0
    letters.set(key, n + 1)
    return String.fromCharCode(65 + (n % 26)) + (n >= 26 ? String(Math.floor(n / 26) + 1) : '')
  }

  for (const group of GROUPS) {
    const members = group.grades.flatMap((g) => rng.shuffle(school.students.filter((s) => s.grade === g)))
    if (members.length === 0) continue
    const count = Math.max(1, Math.ceil(members.length / group.size))
    let start = 0
    for (let c = 0; c < count; c++) {
      const end = Math.round(((c + 1) * members.length) / count)
      const chunk = members.slice(start, end)
      start = end
      const grades = [...new Set(chunk.map((s) => s.grade))]
      let code: string
      let name: string
      if (grades.length === 1) {
        const g = grades[0]!
        const l = letter(g)
        code = `${school.code}-${g}${l}`
        name = `${gradeLabel(g)} ${l}`
      } else {
        const key = grades.join('')
        const l = letter(key)
        code = `${school.code}-${key}${l}`
        name = `${grades.join('e-')}e année ${l}`
      }
      const klass: ClassPlan = { id: ids.next(rosterMs), code, name, teacher: teacher() }
      school.classes.push(klass)
      for (const s of chunk) s.classId = klass.id
    }
  }
  for (const s of school.students) s.id = ids.next(rosterMs)
}
