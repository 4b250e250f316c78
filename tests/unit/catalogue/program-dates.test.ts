import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createSchoolCalendar,
  cutoffFor,
  isSchoolDay,
  MAX_PROGRAM_DATES,
  proposeProgramDates,
  startOfLocalDay,
  type ProgramDatesRequest,
  type ProposeProgramDatesResult,
} from '../../../src/core/domain/catalogue'
import { CAL, TZ, YEAR } from './fixtures'

const FRIDAYS: ProgramDatesRequest = { from: '2026-12-01', to: '2027-06-25', weekdays: [5], cutoff: { schoolDaysBefore: 2, time: '12:00' }, supplier: ' Pizza Nova ' }

function ok(result: ProposeProgramDatesResult) {
  if (!result.ok) throw new Error(`expected dates, got ${result.code}`)
  return result
}

describe('proposeProgramDates', () => {
  it('proposes the Fridays from December to June, skipping PD days and holidays', () => {
    const { dates, skipped } = ok(proposeProgramDates(CAL, FRIDAYS))
    // 30 Fridays from 4 December to 25 June, 7 of them days off.
    expect(dates).toHaveLength(23)
    expect(dates[0]).toEqual({ date: '2026-12-04', cutoffAt: '2026-12-02T17:00:00.000Z', supplier: 'Pizza Nova' })
    expect(dates.at(-1)).toEqual({ date: '2027-06-25', cutoffAt: '2027-06-23T16:00:00.000Z', supplier: 'Pizza Nova' })
    expect(skipped.map((s) => [s.date, s.reason])).toEqual([
      ['2026-12-25', 'holiday'],
      ['2027-01-01', 'holiday'],
      ['2027-01-15', 'pd_day'],
      ['2027-02-12', 'pd_day'],
      ['2027-03-19', 'holiday'],
      ['2027-03-26', 'holiday'],
      ['2027-06-04', 'pd_day'],
    ])
    expect(skipped[2]).toEqual({ date: '2027-01-15', reason: 'pd_day', labelFr: 'Journée pédagogique', labelEn: 'PD day' })
  })

  it('gives each date the cutoff of the rule, across the clock change', () => {
    const { dates } = ok(proposeProgramDates(CAL, FRIDAYS))
    const cutoffOf = (date: string) => dates.find((d) => d.date === date)?.cutoffAt
    expect(cutoffOf('2027-03-12')).toBe('2027-03-10T17:00:00.000Z') // noon EST
    expect(cutoffOf('2027-04-02')).toBe('2027-03-31T16:00:00.000Z') // noon EDT, after Easter Monday
    expect(cutoffOf('2027-01-08')).toBe('2027-01-06T17:00:00.000Z')
    expect(cutoffOf('2026-12-18')).toBe('2026-12-16T17:00:00.000Z')
  })

  it('adds single dates and takes some out, removal winning', () => {
    const { dates, skipped } = ok(
      proposeProgramDates(CAL, {
        ...FRIDAYS,
        from: '2027-01-01',
        to: '2027-01-31',
        add: ['2027-01-14', '2027-01-14', '2027-01-16', '2027-01-20', '2027-07-02', '2027-01-22'],
        remove: ['2027-01-22', '2027-01-29', '2027-01-15', '2027-02-05'],
      }),
    )
    expect(dates.map((d) => d.date)).toEqual(['2027-01-08', '2027-01-14', '2027-01-20'])
    expect(skipped.map((s) => [s.date, s.reason])).toEqual([
      ['2027-01-01', 'holiday'],
      ['2027-01-15', 'pd_day'], // a removed day off keeps its real reason
      ['2027-01-16', 'weekend'],
      ['2027-01-22', 'removed'],
      ['2027-01-29', 'removed'],
      ['2027-07-02', 'outside_year'],
    ])
  })

  it('gives no supplier when none is named', () => {
    const { dates } = ok(proposeProgramDates(CAL, { ...FRIDAYS, supplier: undefined, to: '2026-12-10' }))
    expect(dates).toEqual([{ date: '2026-12-04', cutoffAt: '2026-12-02T17:00:00.000Z', supplier: null }])
  })

  it('works from added dates alone', () => {
    const { dates, skipped } = ok(proposeProgramDates(CAL, { ...FRIDAYS, weekdays: [], add: ['2026-12-09'] }))
    expect(dates.map((d) => d.date)).toEqual(['2026-12-09'])
    expect(skipped).toEqual([])
  })

  it('refuses more than MAX_PROGRAM_DATES dates', () => {
    const noDaysOff = createSchoolCalendar(TZ, YEAR, [])
    const everyDay = proposeProgramDates(noDaysOff, { ...FRIDAYS, from: YEAR.startsOn, to: YEAR.endsOn, weekdays: [1, 2, 3, 4, 5] })
    expect(everyDay).toEqual({ ok: false, code: 'program.tooManyDates', values: { count: 209, max: MAX_PROGRAM_DATES } })
    const tenThousand = Array.from({ length: 10_000 }, () => '2026-12-09')
    expect(proposeProgramDates(CAL, { ...FRIDAYS, add: tenThousand })).toMatchObject({ ok: false, code: 'program.tooManyDates' })
    // The real calendar keeps the same request under the cap.
    expect(ok(proposeProgramDates(CAL, { ...FRIDAYS, from: YEAR.startsOn, to: YEAR.endsOn, weekdays: [1, 2, 3, 4, 5] })).dates.length).toBeLessThanOrEqual(MAX_PROGRAM_DATES)
  })

  it.each([
    [{ from: '2026-02-30' }, 'program.badDate', { value: '2026-02-30' }],
    [{ add: ['demain'] }, 'program.badDate', { value: 'demain' }],
    [{ weekdays: [8] }, 'program.badWeekday', { value: 8 }],
    [{ from: '2027-01-10', to: '2027-01-01' }, 'program.rangeReversed', { from: '2027-01-10', to: '2027-01-01' }],
    [{ from: '2026-09-01', to: '2028-06-30' }, 'program.rangeTooLong', { max: 400 }],
    [{ cutoff: { schoolDaysBefore: 30, time: '12:00' } }, 'program.badCutoff', {}],
    [{ cutoff: { schoolDaysBefore: 2, time: 'midi' } }, 'program.badCutoff', {}],
  ] as const)('refuses %j with %s', (change, code, values) => {
    expect(proposeProgramDates(CAL, { ...FRIDAYS, ...change })).toEqual({ ok: false, code, values })
  })

  it('proposes only school days, sorted and unique, each cut off before it starts', () => {
    const date = fc.integer({ min: 0, max: 330 }).map((n) => new Date(Date.UTC(2026, 7, 25 + n)).toISOString().slice(0, 10))
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 120 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { maxLength: 7 }),
        fc.array(date, { maxLength: 10 }),
        fc.array(date, { maxLength: 10 }),
        fc.integer({ min: 1, max: 20 }),
        (from, span, weekdays, add, remove, n) => {
          const to = new Date(Date.parse(`${from}T00:00:00Z`) + span * 86_400_000).toISOString().slice(0, 10)
          const result = ok(proposeProgramDates(CAL, { from, to, weekdays, add, remove, cutoff: { schoolDaysBefore: n, time: '12:00' } }))
          const days = result.dates.map((d) => d.date)
          expect(days).toEqual([...new Set(days)].sort())
          for (const d of result.dates) {
            expect(isSchoolDay(CAL, d.date)).toBe(true)
            expect(Date.parse(d.cutoffAt)).toBeLessThan(Date.parse(startOfLocalDay(d.date, TZ)))
            expect(d.cutoffAt).toBe(cutoffFor(CAL, d.date, { schoolDaysBefore: n, time: '12:00' }))
            expect(remove).not.toContain(d.date)
          }
          const skippedDays = result.skipped.map((s) => s.date)
          expect(skippedDays).toEqual([...new Set(skippedDays)].sort())
          expect(skippedDays.filter((d) => days.includes(d))).toEqual([])
        },
      ),
    )
  })
})
