import { randomBytes } from 'node:crypto'
import type { Role } from '../../shared/contract/method'
import { isIdleExpired } from '../domain/session-lock'
import type { KioskState } from './kiosk/session'

export interface Session {
  token: string
  staffId: string
  username: string
  displayName: string
  role: Role
  language: 'fr' | 'en'
  lastActivityMs: number
  locked: boolean
  /** Signed in with a one-time password: only `beforePasswordChange` methods until it is changed. */
  mustChangePassword?: boolean
  /**
   * Set on a kiosk session (issue 7): opened by this staff member for one family. Only the
   * kiosk's methods accept it; idle for `kiosk.idleSeconds`, it expires (locked) and forgets the
   * family and the cart.
   */
  kiosk?: KioskState
}

/**
 * Sessions live in the core's memory only: a restart signs everyone out, and no token is ever
 * written to disk. The lock is evaluated on every call, so no timer is needed.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>()

  constructor(
    private readonly nowMs: () => number,
    public lockAfterSeconds: number,
  ) {}

  static newToken(): string {
    return randomBytes(32).toString('base64url')
  }

  add(session: Omit<Session, 'lastActivityMs' | 'locked'>): Session {
    const s: Session = { ...session, lastActivityMs: this.nowMs(), locked: false }
    this.#sessions.set(s.token, s)
    return s
  }

  /** The session for a token, locked first if it has been idle too long. */
  get(token: string | undefined): Session | undefined {
    if (!token) return undefined
    const s = this.#sessions.get(token)
    if (s && !s.locked && isIdleExpired(s.lastActivityMs, this.nowMs(), s.kiosk?.idleSeconds ?? this.lockAfterSeconds)) {
      s.locked = true
      s.kiosk?.expire()
    }
    return s
  }

  touch(s: Session): void {
    s.lastActivityMs = this.nowMs()
  }

  unlock(s: Session): void {
    s.locked = false
    s.lastActivityMs = this.nowMs()
  }

  remove(token: string): void {
    this.#sessions.delete(token)
  }

  /** Applies a change of a staff member (language, role, disabled) to their open sessions. */
  updateStaff(staffId: string, change: Partial<Pick<Session, 'language' | 'role' | 'displayName' | 'mustChangePassword'>>): void {
    for (const s of this.#sessions.values()) if (s.staffId === staffId && !s.kiosk) Object.assign(s, change)
  }

  /** Ends every session of a staff member, kiosks they opened included (an account disabled). */
  endStaff(staffId: string): number {
    let ended = 0
    for (const [token, s] of this.#sessions) {
      if (s.staffId !== staffId) continue
      s.kiosk?.expire()
      this.#sessions.delete(token)
      ended++
    }
    return ended
  }
}
