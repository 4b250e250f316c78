import type { Kysely } from 'kysely'
import { createStripeProcessor } from '../adapters/processors/stripe'
import type { CardProcessor } from '../adapters/processors/types'
import type { DB } from '../db/schema'
import { readSecret, STRIPE_KEY, type SecretBox } from './secrets'

/**
 * The Stripe key in memory, opened once from its sealed copy at start and replaced when an
 * admin sets a new one: the processor is made from it on demand, and no key means the demo.
 */
export interface ProcessorState {
  readonly box: SecretBox | undefined
  readonly keyHint: string | null
  stripe(): CardProcessor | null
  setKey(key: string | null, hint: string | null): void
}

export function createProcessorState(box: SecretBox | undefined, make: (key: string) => CardProcessor = (apiKey) => createStripeProcessor({ apiKey })): ProcessorState {
  let key: string | null = null
  let hint: string | null = null
  let processor: CardProcessor | null = null
  return {
    box,
    get keyHint() {
      return hint
    },
    stripe() {
      if (key && !processor) processor = make(key)
      return processor
    },
    setKey(next, nextHint) {
      key = next
      hint = nextHint
      processor = null
    },
  }
}

export async function loadStripeKey(db: Kysely<DB>, state: ProcessorState, hintOf: (key: string) => string): Promise<void> {
  if (!state.box) return
  const secret = await readSecret(db, state.box, STRIPE_KEY)
  if (secret) state.setKey(secret.value, hintOf(secret.value))
}
