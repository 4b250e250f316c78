import type { CardProcessor, Payout } from '../../adapters/processors/types'
import { newId } from '../ids'
import { payoutRangeFor, type ReconciledProcessor } from './reconciliation'

/**
 * The processor's payouts, asked OUTSIDE any transaction and kept in memory for the calls that
 * reconcile them. The core has one SQLite connection: a handler that waited on Stripe would hold
 * it (and every other call) for as long as Stripe takes, and the demo processor, whose memory is
 * in the database, would wait for the very connection its caller holds. So a call creates the
 * fetch, starts it once it has committed (`afterCommit`), and later calls read it by id.
 *
 * Only the last few fetches are kept (a restart forgets them all: the screen asks again).
 */
export type PayoutFetchState = 'fetching' | 'ready' | 'failed'

export interface PayoutFetch {
  readonly id: string
  readonly processor: ReconciledProcessor
  readonly demo: boolean
  readonly from: string
  readonly to: string
  state: PayoutFetchState
  payouts: Payout[]
  /** When the processor answered. */
  fetchedAt: string | null
  error: unknown
  /** Settles when the fetch is over, whatever its outcome (tests wait on it). */
  done: Promise<void>
}

export type PayoutSource = CardProcessor & Required<Pick<CardProcessor, 'payouts'>>

export function canListPayouts(processor: CardProcessor | null): processor is PayoutSource {
  return processor !== null && typeof processor.payouts === 'function'
}

export class PayoutFetches {
  private readonly fetches = new Map<string, PayoutFetch>()

  constructor(private readonly keep = 8) {}

  /** A new fetch, not started: `start` it once the call that made it has committed. */
  create(processor: PayoutSource, from: string, to: string): PayoutFetch {
    const fetch: PayoutFetch = { id: newId(), processor: processor.kind, demo: processor.isDemo, from, to, state: 'fetching', payouts: [], fetchedAt: null, error: null, done: Promise.resolve() }
    this.fetches.set(fetch.id, fetch)
    while (this.fetches.size > this.keep) this.fetches.delete(this.fetches.keys().next().value!)
    return fetch
  }

  start(fetch: PayoutFetch, processor: PayoutSource, nowMs: () => number): void {
    fetch.done = processor.payouts(payoutRangeFor(fetch.from, fetch.to)).then(
      (payouts) => {
        fetch.payouts = payouts
        fetch.fetchedAt = new Date(nowMs()).toISOString()
        fetch.state = 'ready'
      },
      (error: unknown) => {
        fetch.error = error
        fetch.state = 'failed'
      },
    )
  }

  get(id: string): PayoutFetch | undefined {
    return this.fetches.get(id)
  }
}

const registries = new WeakMap<object, PayoutFetches>()

/** The fetches of one core (keyed by its state object, so that two cores in one process never share). */
export function payoutFetchesOf(owner: object): PayoutFetches {
  let fetches = registries.get(owner)
  if (!fetches) {
    fetches = new PayoutFetches()
    registries.set(owner, fetches)
  }
  return fetches
}
