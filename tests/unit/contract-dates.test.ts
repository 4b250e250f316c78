import { describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/contract'
import { IsoDate } from '../../src/shared/contract/schemas'
import { leaves, sample, setAt } from '../support/zod-walk'

/** Every date field of every method's input, found by walking the contract. */
const DATE_NAME = /^(date|from|to|startsOn|endsOn|expiresOn|policeCheckExpiresOn|arrivalDate|[a-z]+(Date|On))$/
const fields = Object.entries(contract).flatMap(([name, spec]) => {
  const valid = sample(spec.input)
  return leaves(spec.input, valid)
    .filter((l) => l.type === 'string' && DATE_NAME.test(String(l.path.at(-1))))
    .map((l) => ({ name, path: l.path, input: valid, schema: l.schema, spec }))
})

describe('every date of the contract', () => {
  it('is found (the walk reaches the date fields)', () => {
    expect(fields.map((f) => `${f.name} ${f.path.join('.')}`)).toEqual(
      expect.arrayContaining(['orders.list from', 'reports.money to', 'reports.programDates from', 'reports.ordersXlsx from', 'calendar.removeDay date']),
    )
  })

  it.each(fields.map((f) => [`${f.name} ${f.path.join('.')}`, f] as const))('%s is the one date schema and refuses impossible dates, on its field', (_label, f) => {
    expect(f.schema).toBe(IsoDate)
    const at = f.path.join('.')
    // Other rules of the input (a range in order…) may refuse too: the date's own field is what counts.
    const issuesAt = (date: string) => (f.spec.input.safeParse(setAt(f.input, f.path, date)).error?.issues ?? []).filter((i) => i.path.join('.') === at).map((i) => i.message)
    for (const bad of ['2025-02-30', '2099-13-45', '2025-02-29', '2026-00-10', '20261120']) expect(issuesAt(bad), bad).toContain('validation.badDate')
    expect(issuesAt('2028-02-29')).not.toContain('validation.badDate')
    expect(issuesAt('2026-11-20')).not.toContain('validation.badDate')
  })
})
