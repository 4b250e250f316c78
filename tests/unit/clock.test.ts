import { describe, expect, it } from 'vitest'
import { clockFromOption, clockStartingAt, systemClock } from '../../src/core/clock'

describe('the one clock', () => {
  it('starts where it is told and moves as the real clock moves', () => {
    let real = 1_000
    const clock = clockStartingAt(Date.parse('2027-02-12T14:00:00Z'), () => real)
    expect(new Date(clock()).toISOString()).toBe('2027-02-12T14:00:00.000Z')
    real += 90_000
    expect(new Date(clock()).toISOString()).toBe('2027-02-12T14:01:30.000Z')
  })

  it('is the real time without an option, and refuses an option that is not an ISO instant', () => {
    expect(clockFromOption(undefined)).toBe(systemClock)
    expect(new Date(clockFromOption('2027-07-15T12:00:00Z')()).toISOString().slice(0, 13)).toBe('2027-07-15T12')
    for (const bad of ['tomorrow', '2027-07-15', '2027-02-30T12:00:00Z', '2027-13-01T00:00:00Z']) expect(() => clockFromOption(bad), bad).toThrow(/ISO-8601/)
  })
})
