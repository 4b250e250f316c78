import { describe, expect, it } from 'vitest'
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../src/core/domain/accounts/password-rules'
import { afterFailure, attemptVerdict, LOCKED_FOR_MS, NO_ATTEMPTS, type Attempts } from '../../src/core/domain/accounts/throttle'

const sophie = { username: 'slavoie', displayName: 'Sophie Lavoie-Côté' }

describe('password rules', () => {
  it.each([
    ['court', 'tooShort'],
    ['a'.repeat(MIN_PASSWORD_LENGTH - 1), 'tooShort'],
    ['x'.repeat(201), 'tooLong'],
    ['aaaaaaaaaaaaaa', 'repetitive'],
    ['abababababab', 'repetitive'],
    ['abcdefghijklmn', 'repetitive'],
    ['123456789012', 'repetitive'],
    ['Motdepasse2026!', 'common'],
    ['mot-de-passe-123', 'common'],
    ['P@ssword12345', 'common'],
    ['Guichet2026!!', 'common'],
    ['soleilsoleil', 'common'],
    ['Bienvenue!!2026', 'common'],
    ['12345678901234567', 'repetitive'],
    ['2026-11-20!!', 'common'],
    ['Sophie2026!!!', 'personal'],
    ['slavoie123456', 'personal'],
    ['LAVOIE-2026-xyz', 'personal'],
    ['Côté#20262026', 'personal'],
  ])('refuses « %s » (%s)', (password, problem) => {
    expect(passwordProblem(password, sophie)).toBe(problem)
  })

  it.each(['trois chats sur le toit', 'Érable-vélo-Kanata-42', 'correct horse battery staple', 'Lavoie aime les pommes vertes', 'k7mq-4xtp-9cwr-hn2e'])(
    'accepts « %s »',
    (password) => {
      expect(passwordProblem(password, sophie)).toBeNull()
    },
  )

  it('counts characters, not bytes: twelve accented letters are long enough', () => {
    expect(passwordProblem('éèàçùâêîôûëï', sophie)).toBeNull()
  })
})

describe('sign-in throttle', () => {
  const t0 = Date.parse('2026-11-20T15:00:00Z')
  const failures = (n: number, at = t0): Attempts => ({ failures: n, lastFailureMs: at })

  it('lets the first three failures through at once', () => {
    expect(attemptVerdict(NO_ATTEMPTS, t0)).toEqual({ kind: 'allowed' })
    for (const n of [1, 2]) expect(attemptVerdict(failures(n), t0)).toEqual({ kind: 'allowed' })
  })

  it('then slows down: 5 s, 10 s, 20 s after the last failure', () => {
    expect(attemptVerdict(failures(3), t0)).toEqual({ kind: 'wait', ms: 5_000 })
    expect(attemptVerdict(failures(4), t0 + 1_000)).toEqual({ kind: 'wait', ms: 9_000 })
    expect(attemptVerdict(failures(5), t0)).toEqual({ kind: 'wait', ms: 20_000 })
    expect(attemptVerdict(failures(3), t0 + 5_000)).toEqual({ kind: 'allowed' })
  })

  it('locks for 15 minutes after the sixth, then lets one try again and counts from one', () => {
    expect(attemptVerdict(failures(6), t0)).toEqual({ kind: 'locked', ms: LOCKED_FOR_MS })
    expect(attemptVerdict(failures(9), t0 + LOCKED_FOR_MS - 1)).toEqual({ kind: 'locked', ms: 1 })
    expect(attemptVerdict(failures(6), t0 + LOCKED_FOR_MS)).toEqual({ kind: 'allowed' })
    expect(afterFailure(failures(6), t0 + LOCKED_FOR_MS)).toEqual({ failures: 1, lastFailureMs: t0 + LOCKED_FOR_MS })
    expect(afterFailure(failures(6), t0 + 1)).toEqual({ failures: 7, lastFailureMs: t0 + 1 })
    expect(afterFailure(NO_ATTEMPTS, t0)).toEqual({ failures: 1, lastFailureMs: t0 })
  })
})
