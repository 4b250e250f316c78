import {
  findTestCard,
  ProcessorRefusal,
  TransientProcessorError,
  DEMO_CARDS,
  type CardProcessor,
  type ChargeRequest,
  type ChargeResult,
  type RefusalCode,
} from '../../adapters/processors'
import type { CoreState } from '../../api/types'
import type { KioskChargesTable } from '../../db/schema'

/**
 * The card charges of the kiosk, asked of the processor OUTSIDE any transaction.
 *
 * `kiosk.pay` writes the order, its lines and the charge row (with its idempotency key) and
 * commits; then, after the commit, the charge is started here and runs on its own. The
 * processor's answer is kept in memory until a call records it in the ledger, in a transaction of
 * its own (`kiosk.payment`, polled by the kiosk; `kiosk.checkPending` from the office). The
 * processor is never called inside a transaction: the core has one SQLite connection, which a
 * card reader's thirty seconds would hold, and the demo processor keeps its own memory in the
 * same database.
 *
 * A charge asked again (a replayed request, the answer lost to a restart) is asked with the same
 * key and the same parameters: the processor answers what it answered the first time and never
 * charges twice.
 */

export type ChargeRun =
  | { state: 'running'; tries: number }
  | { state: 'answered'; result: ChargeResult; tries: number }
  | { state: 'refused'; code: RefusalCode; tries: number }
  | { state: 'transient'; tries: number }

/** After this many transient failures in a row, the kiosk tells the parent to see the office. */
export const MAX_TRANSIENT_TRIES = 4

export class KioskCharges {
  readonly #runs = new Map<string, ChargeRun>()

  constructor(private readonly logError?: (error: unknown) => void) {}

  get(chargeId: string): ChargeRun | undefined {
    return this.#runs.get(chargeId)
  }

  /** Forgets a charge whose answer is in the ledger now. */
  forget(chargeId: string): void {
    this.#runs.delete(chargeId)
  }

  /** Starts (or starts again, same key) the charge of this row; a running one is left alone. */
  start(row: KioskChargesTable, processor: CardProcessor | null): void {
    const previous = this.#runs.get(row.id)
    if (previous?.state === 'running' || previous?.state === 'answered' || previous?.state === 'refused') return
    const tries = (previous?.tries ?? 0) + 1
    this.#runs.set(row.id, { state: 'running', tries })
    const run = (async (): Promise<ChargeRun> => {
      if (!processor) return { state: 'refused', code: 'processor.notAuthorized', tries }
      try {
        return { state: 'answered', result: await processor.charge(chargeRequest(row)), tries }
      } catch (error) {
        if (error instanceof ProcessorRefusal) return { state: 'refused', code: error.code, tries }
        if (!(error instanceof TransientProcessorError)) this.logError?.(error)
        return { state: 'transient', tries }
      }
    })()
    void run.then((outcome) => void this.#runs.set(row.id, outcome))
  }
}

const registries = new WeakMap<CoreState, KioskCharges>()

/** One registry per core (keyed by its state: two cores in one process never mix their charges). */
export function kioskCharges(core: CoreState): KioskCharges {
  let charges = registries.get(core)
  if (!charges) {
    charges = new KioskCharges()
    registries.set(core, charges)
  }
  return charges
}

/**
 * The processor's request for a charge row: always the same for the same row (the idempotency
 * key's parameters). A demo card is stored by its last four digits only; the number is the demo
 * card's, public and the same for everyone.
 */
export function chargeRequest(row: KioskChargesTable): ChargeRequest {
  return {
    amountCents: row.amount_cents,
    currency: 'cad',
    idempotencyKey: row.idempotency_key,
    description: `Guichet kiosque — commande ${row.order_id}`,
    metadata: { orderId: row.order_id, chargeId: row.id, schoolId: row.school_id, channel: 'kiosk' },
    method: row.method === 'terminal' ? { kind: 'terminal', readerId: row.method_ref } : { kind: 'test_card', card: testCardOf(row.method_ref) },
  }
}

function testCardOf(last4: string): string {
  return DEMO_CARDS.find((c) => c.last4 === last4)?.number ?? last4
}

/** The demo card typed at the kiosk, or null: only demo cards are typed (a real card goes through the reader). */
export function demoCardLast4(number: string): string | null {
  return findTestCard(number)?.last4 ?? null
}
