import { searchKey } from '../search-key'

/**
 * Wrong PINs typed at the kiosk: after `MAX_PIN_FAILURES` in a row, the next try waits, twice as
 * long after each further failure (30 s, 60 s, … up to 15 min). A 4-digit PIN cannot be guessed
 * from the parent's side of the desk.
 */
export const MAX_PIN_FAILURES = 5
const FIRST_WAIT_MS = 30_000
const LONGEST_WAIT_MS = 15 * 60_000

export interface PinAttempts {
  failures: number
  lastFailureMs: number | null
}

/** Milliseconds to wait before the next try; 0 when a try is allowed now. */
export function pinWaitMs(attempts: PinAttempts, nowMs: number): number {
  if (attempts.failures < MAX_PIN_FAILURES || attempts.lastFailureMs === null) return 0
  const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (attempts.failures - MAX_PIN_FAILURES))
  return Math.max(0, attempts.lastFailureMs + wait - nowMs)
}

export function afterPinFailure(attempts: PinAttempts, nowMs: number): PinAttempts {
  return { failures: attempts.failures + 1, lastFailureMs: nowMs }
}

/**
 * A consent is signed by typing one's full name (DOMAIN.md, "Consent"): the guardian's first and
 * last names as the school has them, in either order, case, accents and hyphens aside.
 */
export function signedNameMatches(typed: string, firstName: string, lastName: string): boolean {
  const key = searchKey(typed)
  if (key === '') return false
  return key === searchKey(firstName, lastName) || key === searchKey(lastName, firstName)
}
