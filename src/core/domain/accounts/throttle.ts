/**
 * Failed sign-ins and unlocks, per username (issue 14): the first tries are free, the next ones
 * wait a little longer each time, and then the account is locked for a while. The same rule
 * whether the username exists or not, so the answer does not tell which names are real.
 */
export const FREE_FAILURES = 3
export const LOCK_AFTER_FAILURES = 6
const FIRST_WAIT_MS = 5_000
export const LOCKED_FOR_MS = 15 * 60_000

export interface Attempts {
  failures: number
  lastFailureMs: number | null
}

export const NO_ATTEMPTS: Attempts = { failures: 0, lastFailureMs: null }

export type Verdict = { kind: 'allowed' } | { kind: 'wait'; ms: number } | { kind: 'locked'; ms: number }

/**
 * Whether a try may happen at `nowMs`. After 3 failures the next waits 5 s, then 10 s, 20 s; after
 * 6 the account is locked for 15 minutes from the last failure. Once the lock has run out, the
 * count starts again (a forgetful person is not locked for good).
 */
export function attemptVerdict(attempts: Attempts, nowMs: number): Verdict {
  if (attempts.lastFailureMs === null || attempts.failures < FREE_FAILURES) return { kind: 'allowed' }
  if (attempts.failures >= LOCK_AFTER_FAILURES) {
    const ms = attempts.lastFailureMs + LOCKED_FOR_MS - nowMs
    return ms > 0 ? { kind: 'locked', ms } : { kind: 'allowed' }
  }
  const ms = attempts.lastFailureMs + FIRST_WAIT_MS * 2 ** (attempts.failures - FREE_FAILURES) - nowMs
  return ms > 0 ? { kind: 'wait', ms } : { kind: 'allowed' }
}

/** The count after a failure at `nowMs`; a failure after a lock ran out counts from one again. */
export function afterFailure(attempts: Attempts, nowMs: number): Attempts {
  const expired = attempts.failures >= LOCK_AFTER_FAILURES && attemptVerdict(attempts, nowMs).kind === 'allowed'
  return { failures: expired ? 1 : attempts.failures + 1, lastFailureMs: nowMs }
}
