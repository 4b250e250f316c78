import { GuichetError } from '../../../shared/errors'
import type { HandlerContext } from '../../api/types'
import type { CartLine } from '../../domain/kiosk'
import { afterPinFailure, pinWaitMs, type PinAttempts } from '../../domain/kiosk'
import { verifyPassword } from '../passwords'
import type { Session } from '../sessions'

/**
 * What the core keeps of one kiosk session, in memory only (as every session): the family it is
 * for, the cart, the orders already written for the cart (a declined card is paid again on the
 * same order) and the payments made, whose receipts it may print.
 *
 * Expiring forgets the family and the cart. The session then answers only `kiosk.state` and
 * `kiosk.end` (the staff PIN), so the screen stays locked until the office takes it back.
 */
export class KioskState {
  guardianId: string | null
  readonly cart = new Map<string, CartLine>()
  /** Per school: the order written for the cart's content (its signature), not paid yet. */
  readonly orders = new Map<string, { orderId: string; signature: string }>()
  readonly payments = new Set<string>()
  readonly charges = new Set<string>()
  pin: PinAttempts = { failures: 0, lastFailureMs: null }
  expired = false
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    guardianId: string,
    readonly idleSeconds: number,
    /** The staff PIN's scrypt hash; null when only the staff member's own password ends it. */
    readonly pinHash: string | null,
    readonly openedBy: { staffId: string; displayName: string },
  ) {
    this.guardianId = guardianId
  }

  /** Forgets the family, the cart and the receipts: idle too long, or ended. */
  expire(): void {
    this.expired = true
    this.guardianId = null
    this.cart.clear()
    this.orders.clear()
    this.payments.clear()
    this.charges.clear()
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /**
   * Also forgets the family after `idleSeconds` of wall-clock time without a kiosk call, even if
   * no call ever comes again (the parent walked away): the family is not left in memory. The
   * session itself expires by the core's clock on its next call (SessionStore.get).
   */
  armIdleTimer(): void {
    if (this.expired) return
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.expire(), this.idleSeconds * 1000 + 1000)
    this.#timer.unref?.()
  }
}

export interface KioskSession extends Session {
  kiosk: KioskState
}

/** The kiosk session of a kiosk method, with its family still there (never after expiry). */
export function requireKiosk(ctx: HandlerContext): { session: KioskSession; kiosk: KioskState; guardianId: string } {
  const session = ctx.session
  if (!session?.kiosk) throw new Error('kiosk handler called without a kiosk session')
  const kiosk = session.kiosk
  if (kiosk.expired || session.locked || kiosk.guardianId === null) throw new GuichetError('KIOSK_EXPIRED')
  kiosk.armIdleTimer()
  return { session: session as KioskSession, kiosk, guardianId: kiosk.guardianId }
}

/**
 * The staff PIN, or the password of the staff member who opened the kiosk. Wrong ones are
 * counted; after five the next try waits (domain/kiosk/session.ts).
 */
export async function checkStaffPin(ctx: HandlerContext, kiosk: KioskState, pin: string): Promise<void> {
  const nowMs = ctx.core.nowMs()
  const wait = pinWaitMs(kiosk.pin, nowMs)
  if (wait > 0) throw new GuichetError('KIOSK_PIN_LOCKED', { seconds: Math.ceil(wait / 1000) })
  let ok = kiosk.pinHash !== null && (await verifyPassword(pin, kiosk.pinHash))
  if (!ok) {
    const staff = await ctx.db.selectFrom('staff').select(['password_hash', 'active']).where('id', '=', kiosk.openedBy.staffId).executeTakeFirst()
    ok = Boolean(staff?.active) && (await verifyPassword(pin, staff!.password_hash))
  }
  if (!ok) {
    kiosk.pin = afterPinFailure(kiosk.pin, nowMs)
    ctx.auditOnFailure({ entity: 'kiosk', detail: { outcome: 'pin_wrong', failures: kiosk.pin.failures } })
    throw new GuichetError('KIOSK_PIN_WRONG')
  }
  kiosk.pin = { failures: 0, lastFailureMs: null }
}
