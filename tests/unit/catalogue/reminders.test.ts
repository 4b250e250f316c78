import { describe, expect, it } from 'vitest'
import { DEFAULT_REMINDER_DAYS, familiesToRemind, programReminderPeriods, reminderAt, reminderFate } from '../../../src/core/domain/catalogue'
import { CAL } from './fixtures'

describe('reminderAt', () => {
  it.each([
    ['2026-12-04T04:59:00.000Z', 3, '2026-11-30T14:00:00.000Z', 'deadline Thursday 3 December 23:59: Monday 30 November at 9:00 EST'],
    ['2026-11-05T04:59:00.000Z', 3, '2026-11-01T14:00:00.000Z', 'Sunday 1 November, the fall-back day: 9:00 is already EST'],
    ['2026-11-03T04:59:00.000Z', 3, '2026-10-30T13:00:00.000Z', 'Friday 30 October, still EDT'],
    ['2027-03-18T03:59:00.000Z', 3, '2027-03-14T13:00:00.000Z', 'Sunday 14 March, the spring-forward day: 9:00 is EDT'],
    ['2027-03-17T03:59:00.000Z', 3, '2027-03-13T14:00:00.000Z', 'Saturday 13 March, still EST'],
    ['2026-12-04T04:59:00.000Z', 0, '2026-12-03T14:00:00.000Z', 'the deadline day itself'],
    ['2026-12-04T04:59:00.000Z', 10, '2026-11-23T14:00:00.000Z', 'ten days before'],
  ])('deadline %s, %i days before → %s (%s)', (deadline, days, expected) => {
    expect(reminderAt(deadline, days, CAL)).toBe(expected)
  })

  it('defaults to 3 days', () => {
    expect(DEFAULT_REMINDER_DAYS).toBe(3)
  })

  it('goes at the opening when the reminder day comes before it', () => {
    expect(reminderAt('2026-12-04T04:59:00.000Z', 10, CAL, '2026-11-25T13:00:00.000Z')).toBe('2026-11-25T13:00:00.000Z')
    expect(reminderAt('2026-12-04T04:59:00.000Z', 3, CAL, '2026-11-25T13:00:00.000Z')).toBe('2026-11-30T14:00:00.000Z')
  })

  it('does not go when it would come at or after the deadline', () => {
    expect(reminderAt('2026-12-03T13:00:00.000Z', 0, CAL)).toBeNull() // deadline at 8:00
    expect(reminderAt('2026-12-03T14:00:00.000Z', 0, CAL)).toBeNull() // deadline at 9:00 itself
    expect(reminderAt('2026-12-03T14:00:00.001Z', 0, CAL)).toBe('2026-12-03T14:00:00.000Z')
    expect(reminderAt('2026-12-04T04:59:00.000Z', 3, CAL, '2026-12-04T04:00:00.000Z')).toBe('2026-12-04T04:00:00.000Z')
  })

  it('refuses a negative or fractional number of days', () => {
    expect(() => reminderAt('2026-12-04T04:59:00.000Z', -1, CAL)).toThrow(RangeError)
    expect(() => reminderAt('2026-12-04T04:59:00.000Z', 1.5, CAL)).toThrow(RangeError)
  })
})

describe('familiesToRemind', () => {
  const guardians = new Map([
    ['ana', ['mère-ana', 'père-ana']],
    ['ben', ['mère-ana', 'père-ana']], // Ana's brother
    ['chloé', ['tutrice-chloé']],
    ['david', ['père-david']],
  ])

  it('reminds the guardians of students without an answer, each once', () => {
    expect(familiesToRemind(['ana', 'ben', 'chloé', 'david'], new Set(['chloé']), guardians)).toEqual(['mère-ana', 'père-ana', 'père-david'])
  })

  it('still reminds a family when one child answered and another did not', () => {
    expect(familiesToRemind(['ana', 'ben'], ['ana'], guardians)).toEqual(['mère-ana', 'père-ana'])
  })

  it('reminds nobody once everyone answered, and skips students without a guardian on file', () => {
    expect(familiesToRemind(['ana', 'ben'], ['ana', 'ben'], guardians)).toEqual([])
    expect(familiesToRemind([{ id: 'émile' }, { id: 'david' }], [], guardians)).toEqual(['père-david'])
  })

  it('ignores answers from students no longer eligible', () => {
    expect(familiesToRemind(['david'], ['ana'], guardians)).toEqual(['père-david'])
  })
})

describe('programReminderPeriods', () => {
  // A year of Friday pizza, cutoffs two days before each date at 12:00 (17:00Z in winter).
  const fridays = (month: string, days: number[]) => days.map((d) => ({ date: `${month}-${String(d).padStart(2, '0')}`, cutoffAt: `${month}-${String(d - 2).padStart(2, '0')}T17:00:00.000Z` }))
  const year = [...fridays('2026-12', [4, 11, 18]), ...fridays('2027-01', [8, 15, 22, 29]), ...fridays('2027-06', [4, 11, 18])]

  it('reminds once per month, a few days before the month’s first cutoff, not once in June', () => {
    expect(programReminderPeriods(year, 3, CAL, '2026-11-20T16:00:00.000Z')).toEqual([
      { period: '2026-12', deadlineAt: '2026-12-02T17:00:00.000Z', at: '2026-11-29T14:00:00.000Z' },
      { period: '2027-01', deadlineAt: '2027-01-06T17:00:00.000Z', at: '2027-01-03T14:00:00.000Z' },
      { period: '2027-06', deadlineAt: '2027-06-02T17:00:00.000Z', at: '2027-05-30T13:00:00.000Z' },
    ])
  })

  it('has no reminder for a month already closing when the program opened, and leaves out cancelled dates', () => {
    const periods = programReminderPeriods(year, 3, CAL, '2026-12-03T00:00:00.000Z')
    expect(periods[0]).toEqual({ period: '2026-12', deadlineAt: '2026-12-02T17:00:00.000Z', at: null })
    const cancelled = programReminderPeriods([{ ...year[0]!, status: 'cancelled' }, ...year.slice(1, 3)], 3, CAL, '2026-11-20T16:00:00.000Z')
    expect(cancelled[0]).toEqual({ period: '2026-12', deadlineAt: '2026-12-09T17:00:00.000Z', at: '2026-12-06T14:00:00.000Z' })
  })
})

describe('reminderFate', () => {
  const p = { at: '2026-11-29T14:00:00.000Z', deadlineAt: '2026-12-02T17:00:00.000Z' }
  it.each([
    ['2026-11-29T13:59:59.999Z', '2026-11-29T13:59:00.000Z', 'wait'],
    ['2026-11-29T14:00:00.000Z', '2026-11-29T13:59:00.000Z', 'send'],
    ['2026-12-01T08:00:00.000Z', '2026-11-25T08:00:00.000Z', 'send'], // late: the PC was off, the deadline is ahead
    ['2026-12-05T08:00:00.000Z', '2026-11-25T08:00:00.000Z', 'missed'], // off past the deadline
    ['2026-12-05T08:00:00.000Z', '2026-12-03T08:00:00.000Z', 'none'], // settled by an earlier run
    ['2026-12-05T08:00:00.000Z', null, 'none'], // before this PC ever ran its scheduled work
  ] as const)('at %s, last run %s: %s', (now, lastRunAt, fate) => {
    expect(reminderFate(p, now, lastRunAt)).toBe(fate)
  })

  it('never goes when it has no time', () => {
    expect(reminderFate({ at: null, deadlineAt: p.deadlineAt }, '2026-12-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z')).toBe('none')
  })
})
