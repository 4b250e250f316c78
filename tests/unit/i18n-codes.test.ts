import { readdirSync, readFileSync } from 'node:fs'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { describe, expect, it } from 'vitest'
import { DEMO_NOTICE } from '../../src/core/adapters/processors/types'
import { OFFERING_STATUSES } from '../../src/core/domain/catalogue/lifecycle'
import { translate, translateCode } from '../../src/core/i18n'
import { catalogs } from '../../src/shared/i18n'
import { codesEnCA } from '../../src/shared/i18n/codes.en-CA'
import { codesFrCA } from '../../src/shared/i18n/codes.fr-CA'

/**
 * The codes the core's rules give, found in their sources: every one must read as a sentence in
 * both languages, never as the generic "Valeur invalide" that translateCode falls back to.
 */
const read = (file: string) => readFileSync(file, 'utf8')
const inDir = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`)

/** Files whose every quoted 'namespace.code' is a code (the catalogue rules, the schemas, money, processors). */
const RULE_FILES = [
  ...inDir('src/core/domain/catalogue'),
  'src/shared/contract/catalogue-schemas.ts',
  'src/shared/contract/schemas.ts',
  'src/core/domain/money/rules.ts',
  ...inDir('src/core/adapters/processors'),
]
/** Files that also hold method names ('calendar.get'): only the keys they throw or translate count. */
const KEYED_FILES = ['src/core/services/offerings.ts', 'src/core/api/catalogue.ts', 'src/core/api/calendar.ts']

const NAMESPACES = ['check', 'change', 'lifecycle', 'program', 'calendar', 'validation', 'refund', 'waiver', 'charge', 'processor', 'terminal']
const CODE = new RegExp(`'((?:${NAMESPACES.join('|')})\\.[A-Za-z]+)'`, 'g')
const KEYED = /(?:key: |translateCode\([^,()]+, )'([a-z]+\.[A-Za-z]+)'/g

const unique = (values: Iterable<string>) => [...new Set(values)].sort()

function extractCodes(): string[] {
  const fromRules = RULE_FILES.flatMap((f) => [...read(f).matchAll(CODE)].map((m) => m[1]!))
  const fromKeyed = KEYED_FILES.flatMap((f) => [...read(f).matchAll(KEYED)].map((m) => m[1]!))
  return unique([...fromRules, ...fromKeyed])
}

/** What changes.ts offers instead of a blocked change: each shown as change.remedy.<remedy>. */
function extractRemedies(): string[] {
  const union = /export type ChangeRemedy = ([^\n]+)/.exec(read('src/core/domain/catalogue/changes.ts'))?.[1] ?? ''
  return unique([...union.matchAll(/'(\w+)'/g)].map((m) => `change.remedy.${m[1]!}`))
}

/** Codes translated with no values at all: the zod schemas' codes and the form's locks. */
function extractValueless(codes: readonly string[]): string[] {
  const changes = read('src/core/domain/catalogue/changes.ts')
  const locks = changes.slice(changes.indexOf('export function editLocks'))
  return unique([...codes.filter((c) => c.startsWith('validation.')), ...[...locks.matchAll(/code: '(change\.[A-Za-z]+)'/g)].map((m) => m[1]!)])
}

type Kind = 'text' | 'number' | 'select'
function placeholders(elements: MessageFormatElement[], into = new Map<string, Kind>()): Map<string, Kind> {
  for (const el of elements) {
    if (el.type === TYPE.argument) into.set(el.value, into.get(el.value) ?? 'text')
    if (el.type === TYPE.number || el.type === TYPE.plural) into.set(el.value, 'number')
    if (el.type === TYPE.date || el.type === TYPE.time) into.set(el.value, 'text')
    if (el.type === TYPE.select) into.set(el.value, 'select')
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) placeholders(option.value, into)
    if (el.type === TYPE.tag) placeholders(el.children, into)
  }
  return into
}

const codes = extractCodes()
const remedies = extractRemedies()
const valueless = extractValueless(codes)
const fr = catalogs['fr-CA'] as Record<string, string>
const en = catalogs['en-CA'] as Record<string, string>

describe('the rules’ codes', () => {
  it('are found in the sources', () => {
    expect(codes.length).toBeGreaterThan(150)
    // Each source still gives codes: a regex broken for one of them would drop a namespace.
    for (const ns of NAMESPACES) expect(codes.filter((c) => c.startsWith(`${ns}.`)).length, ns).toBeGreaterThanOrEqual(2)
    expect(codes).toEqual(expect.arrayContaining(['check.titleFrMissing', 'change.paidDateRemoved', 'validation.priceNegative', 'calendar.weekend']))
    expect(codes).toEqual(expect.arrayContaining(['refund.exceedsRemaining', 'charge.declined', 'processor.demoNotice', 'terminal.readerBusy']))
    // Method names are not codes.
    expect(codes).not.toContain('calendar.get')
    expect(remedies).toEqual(['change.remedy.cancelDate', 'change.remedy.deactivateVariant', 'change.remedy.newItem', 'change.remedy.revert'])
    expect(valueless).toEqual(expect.arrayContaining(['validation.invalid', 'change.itemFinal', 'change.paidDateMoved']))
  })

  it('each have a message in both languages', () => {
    const missing = [...codes, ...remedies].filter((c) => !Object.hasOwn(fr, c) || !Object.hasOwn(en, c))
    expect(missing).toEqual([])
  })

  it('are all the codes file holds: no message for a code that is gone', () => {
    const known = new Set([...codes, ...remedies])
    expect(Object.keys(codesFrCA).filter((k) => !known.has(k))).toEqual([])
  })

  it('clash with no key of the other catalogue files', () => {
    const others = readdirSync('src/shared/i18n')
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('codes.'))
      .flatMap((f) => [...read(`src/shared/i18n/${f}`).matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]!))
    expect(others.length).toBeGreaterThan(100)
    const mine = new Set(Object.keys(codesFrCA))
    expect(others.filter((k) => mine.has(k))).toEqual([])
    expect(Object.keys(codesEnCA).sort()).toEqual(Object.keys(codesFrCA).sort())
  })

  it.each([...codes, ...remedies])('%s parses in both languages, with the same placeholders, and formats', (code) => {
    const frPlaceholders = placeholders(parse(fr[code]!))
    const enPlaceholders = placeholders(parse(en[code]!))
    expect([...enPlaceholders.keys()].sort()).toEqual([...frPlaceholders.keys()].sort())
    // An ASCII apostrophe quotes text in ICU: the catalogues use ’.
    expect(fr[code]).not.toContain("'")
    expect(en[code]).not.toContain("'")
    if (valueless.includes(code)) expect([...frPlaceholders.keys()], 'translated without values').toEqual([])

    const values = Object.fromEntries([...frPlaceholders].map(([name, kind]) => [name, kind === 'number' ? 3 : kind === 'select' ? 'something' : '2027-02-12']))
    for (const locale of ['fr-CA', 'en-CA'] as const) {
      const message = translateCode(locale, code, values)
      expect(message).not.toBe(translate(locale, 'issue.invalid'))
      expect(message).not.toMatch(/[{}]/)
    }
  })

  it('say why a date is not a school day, for every reason the calendar gives', () => {
    const reasons = ['weekend', 'holiday', 'pd_day', 'closure', 'outside_year']
    for (const code of ['check.programDateOnDayOff', 'check.outingOnDayOff']) {
      for (const locale of ['fr-CA', 'en-CA'] as const) {
        const said = reasons.map((reason) => translateCode(locale, code, { date: '2027-02-12', reason }))
        expect(new Set(said).size, `${code} ${locale}`).toBe(reasons.length)
      }
    }
    expect(translateCode('fr-CA', 'check.programDateOnDayOff', { date: '2027-02-12', reason: 'pd_day' })).toBe(
      'Le vendredi 12 février 2027 est une journée pédagogique : aucune livraison ce jour-là. Retirez cette date.',
    )
  })

  it('name every status of the lifecycle', () => {
    for (const locale of ['fr-CA', 'en-CA'] as const) {
      const said = OFFERING_STATUSES.map((status) => translateCode(locale, 'lifecycle.sameStatus', { status }))
      expect(new Set(said).size).toBe(OFFERING_STATUSES.length)
      expect(translateCode(locale, 'lifecycle.notAllowed', { from: 'archived', to: 'draft' })).toMatch(locale === 'fr-CA' ? /Archivé.*Brouillon/ : /Archived.*Draft/)
    }
  })

  it('format amounts in cents as dollars', () => {
    expect(translateCode('fr-CA', 'waiver.exceedsBudget', { remainingBudgetCents: 123_456 })).toContain('1\u00a0234,56\u00a0$')
    expect(translateCode('en-CA', 'waiver.exceedsBudget', { remainingBudgetCents: 123_456 })).toContain('$1,234.56')
    expect(translateCode('en-CA', 'charge.amountTooSmall', { minimumCents: 50 })).toContain('$0.50')
  })

  it('show the demo notice the processors show', () => {
    expect(fr['processor.demoNotice']).toBe(DEMO_NOTICE.fr)
    expect(en['processor.demoNotice']).toBe(DEMO_NOTICE.en)
  })
})
