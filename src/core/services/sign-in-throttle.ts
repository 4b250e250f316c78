import { GuichetError } from '../../shared/errors'
import { afterFailure, attemptVerdict, NO_ATTEMPTS, type Attempts } from '../domain/accounts/throttle'

/**
 * Failed sign-ins and unlocks per username, in the core's memory as sessions are (the rule:
 * domain/accounts/throttle.ts). Sign-in and unlock share the count: the lock screen is not a way
 * around a locked account. Every failure is also in the audit log, which outlives a restart.
 */
export class SignInThrottle {
  readonly #attempts = new Map<string, Attempts>()

  constructor(private readonly nowMs: () => number) {}

  static keyOf(username: string): string {
    return username.normalize('NFC').toLowerCase()
  }

  /** Throws SIGN_IN_WAIT or SIGN_IN_LOCKED when this username may not try now. */
  check(username: string): void {
    const verdict = attemptVerdict(this.#attempts.get(SignInThrottle.keyOf(username)) ?? NO_ATTEMPTS, this.nowMs())
    if (verdict.kind === 'wait') throw new GuichetError('SIGN_IN_WAIT', { seconds: Math.ceil(verdict.ms / 1000) })
    if (verdict.kind === 'locked') throw new GuichetError('SIGN_IN_LOCKED', { minutes: Math.ceil(verdict.ms / 60_000) })
  }

  failed(username: string): number {
    const key = SignInThrottle.keyOf(username)
    const next = afterFailure(this.#attempts.get(key) ?? NO_ATTEMPTS, this.nowMs())
    this.#attempts.set(key, next)
    return next.failures
  }

  succeeded(username: string): void {
    this.#attempts.delete(SignInThrottle.keyOf(username))
  }
}
