import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  closesAt,
  countSchoolDays,
  createSchoolCalendar,
  cutoffDay,
  cutoffFor,
  isPastCutoff,
  isSchoolDay,
  localDateOf,
  localTimeOf,
  schoolDaysBetween,
  startOfLocalDay,
} from '../../../src/core/domain/catalogue'
import { CAL, DAYS_OFF, TZ, YEAR } from './fixtures'

const noon = (schoolDaysBefore: number) => ({ schoolDaysBefore, time: '12:00' })

describe('cutoffFor', () => {
  it.each([
    // date, days before, cutoff instant, why
    ['2026-10-30', 0, '2026-10-30T16:00:00.000Z', 'same day, still summer time (EDT): noon is 16:00Z'],
    ['2026-11-02', 0, '2026-11-02T17:00:00.000Z', 'same day, winter time (EST) since 1 November: noon is 17:00Z'],
    ['2026-11-02', 1, '2026-10-30T16:00:00.000Z', 'Monday after the fall-back weekend: the Friday before, in EDT'],
    ['2026-11-03', 2, '2026-10-30T16:00:00.000Z', 'two back from Tuesday, over the weekend and the clock change'],
    ['2026-11-16', 2, '2026-11-11T17:00:00.000Z', 'Monday after a PD Friday: Thursday is one, Wednesday is two'],
    ['2026-11-16', 1, '2026-11-12T17:00:00.000Z', 'the PD Friday does not count'],
    ['2026-10-13', 1, '2026-10-08T16:00:00.000Z', 'Tuesday after Thanksgiving and a PD Friday: Thursday'],
    ['2027-01-04', 2, '2026-12-17T17:00:00.000Z', 'first Monday after the winter break: two weeks back'],
    ['2027-03-22', 1, '2027-03-12T17:00:00.000Z', 'Monday after the March break: Friday 12 March, before spring-forward (EST)'],
    ['2027-03-22', 0, '2027-03-22T16:00:00.000Z', 'same day after spring-forward (EDT): noon is 16:00Z again'],
    ['2027-03-16', 0, '2027-03-16T16:00:00.000Z', 'a day off keeps its own day with 0 days before'],
    ['2027-03-30', 1, '2027-03-25T16:00:00.000Z', 'Tuesday after Easter Monday and Good Friday: Thursday, in EDT'],
    ['2027-03-15', 1, '2027-03-12T17:00:00.000Z', 'a Monday on the break still counts back to Friday'],
    ['2026-12-07', 5, '2026-11-30T17:00:00.000Z', 'a week of notice'],
    ['2027-01-08', 20, '2026-11-27T17:00:00.000Z', 'twenty school days, over the winter break'],
  ])('%s, %i school days before → %s (%s)', (date, n, expected) => {
    expect(cutoffFor(CAL, date, noon(n))).toBe(expected)
  })

  it('keeps the local time whatever the offset', () => {
    for (const date of ['2026-10-30', '2026-11-02', '2027-03-12', '2027-03-22']) {
      const at = cutoffFor(CAL, date, { schoolDaysBefore: 0, time: '07:30' })
      expect(localDateOf(at, TZ)).toBe(date)
      expect(localTimeOf(at, TZ)).toBe('07:30')
    }
  })

  it('continues on working days before the first day of school', () => {
    expect(cutoffDay(CAL, '2026-09-09', noon(2))).toBe('2026-09-07')
    expect(cutoffFor(CAL, '2026-09-09', noon(2))).toBe('2026-09-07T16:00:00.000Z')
    const withLabourDay = createSchoolCalendar(TZ, YEAR, [...DAYS_OFF, { date: '2026-09-07', kind: 'holiday', labelFr: 'Fête du Travail' }])
    expect(cutoffFor(withLabourDay, '2026-09-09', noon(2))).toBe('2026-09-04T16:00:00.000Z')
  })

  it('refuses a rule out of bounds', () => {
    expect(() => cutoffFor(CAL, '2026-11-20', noon(21))).toThrow(RangeError)
    expect(() => cutoffFor(CAL, '2026-11-20', noon(-1))).toThrow(RangeError)
    expect(() => cutoffFor(CAL, '2026-11-20', { schoolDaysBefore: 1, time: '12h00' })).toThrow(RangeError)
    expect(() => cutoffFor(CAL, '2026-11-20', { schoolDaysBefore: 1, time: '24:00' })).toThrow(RangeError)
  })

  it('puts every cutoff N school days before the date, on a school day, before the day starts', () => {
    // From November on, 20 school days back stay inside the school year (it starts on
    // 8 September); counting back past its first day is the office-days case tested above.
    const schoolDays = schoolDaysBetween(CAL, '2026-11-02', YEAR.endsOn)
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
    fc.assert(
      fc.property(fc.constantFrom(...schoolDays), fc.integer({ min: 1, max: 20 }), time, (date, n, hhmm) => {
        const at = cutoffFor(CAL, date, { schoolDaysBefore: n, time: hhmm })
        const day = localDateOf(at, TZ)
        expect(isSchoolDay(CAL, day)).toBe(true)
        expect(Date.parse(at)).toBeLessThan(Date.parse(startOfLocalDay(date, TZ)))
        expect(countSchoolDays(CAL, day, date)).toBe(n + 1)
        // Clocks change on Sundays, so every wall-clock time exists on a school day.
        expect(localTimeOf(at, TZ)).toBe(hhmm)
      }),
    )
  })

  it('keeps a 0-day cutoff on the date itself', () => {
    const schoolDays = schoolDaysBetween(CAL, YEAR.startsOn, YEAR.endsOn)
    fc.assert(fc.property(fc.constantFrom(...schoolDays), (date) => localDateOf(cutoffFor(CAL, date, noon(0)), TZ) === date))
  })
})

describe('closesAt', () => {
  it.each([
    ['2026-12-04', '23:59', '2026-12-05T04:59:00.000Z'],
    ['2026-09-30', '23:59', '2026-10-01T03:59:00.000Z'],
    ['2026-11-01', '12:00', '2026-11-01T17:00:00.000Z'], // the fall-back day itself, after 2:00
    ['2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'], // 01:30 happens twice: the first (EDT)
    ['2027-03-14', '12:00', '2027-03-14T16:00:00.000Z'], // the spring-forward day, after 2:00
    ['2027-03-14', '02:30', '2027-03-14T07:30:00.000Z'], // 02:30 does not exist: 03:30 EDT
    ['2027-03-13', '23:59', '2027-03-14T04:59:00.000Z'],
  ])('%s at %s in Toronto is %s', (date, time, expected) => {
    expect(closesAt(date, time, TZ)).toBe(expected)
  })

  it('works in another zone', () => {
    expect(closesAt('2026-12-04', '12:00', 'America/Winnipeg')).toBe('2026-12-04T18:00:00.000Z')
  })
})

describe('isPastCutoff', () => {
  const cutoff = '2026-12-02T17:00:00.000Z'
  it('is over at the cutoff instant itself', () => {
    expect(isPastCutoff('2026-12-02T16:59:59.999Z', cutoff)).toBe(false)
    expect(isPastCutoff('2026-12-02T17:00:00.000Z', cutoff)).toBe(true)
    expect(isPastCutoff('2026-12-02T17:00:00.001Z', cutoff)).toBe(true)
  })

  it('takes a Date or a string with an offset', () => {
    expect(isPastCutoff(new Date('2026-12-02T16:59:59.999Z'), cutoff)).toBe(false)
    expect(isPastCutoff('2026-12-02T12:00:00-05:00', cutoff)).toBe(true)
  })
})
