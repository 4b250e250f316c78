/** The session locks after this long without a call that counts as activity. */
export const DEFAULT_LOCK_AFTER_SECONDS = 10 * 60
export const MIN_LOCK_AFTER_SECONDS = 60
export const MAX_LOCK_AFTER_SECONDS = 60 * 60

export function isIdleExpired(lastActivityMs: number, nowMs: number, lockAfterSeconds: number): boolean {
  return nowMs - lastActivityMs >= lockAfterSeconds * 1000
}

/** Where the delay is kept in the settings table. */
export const LOCK_AFTER_SETTING = 'session.lockAfterSeconds'
