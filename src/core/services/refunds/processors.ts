import type { Kysely } from 'kysely'
import { createDemoProcessor, findTestCard, type CardProcessor, type DemoStore } from '../../adapters/processors'
import type { DB, PaymentsTable } from '../../db/schema'

export type PaymentProcessor = PaymentsTable['processor']

/**
 * Which processor refunds a payment: "back to the card that paid, through the processor that
 * took it" (DOMAIN.md).
 *
 * - `demo`: the demo processor (kiosk payments of the demo board).
 * - `stripe`: Stripe, which must be configured; when it is not, the refund is refused up front.
 * - `board`: paid online through the board's portal, on the board's Stripe account. With a Stripe
 *   key configured, Stripe; without one (the demo board, development), the demo processor. The UI
 *   labels the demo processor "Démo — aucun paiement réel" wherever it shows (`isDemo`).
 */
export interface ProcessorProvider {
  forPayment(taken: PaymentProcessor): CardProcessor | null
}

export interface ProcessorProviderOptions {
  /** Stripe when a key is configured (read each time: the key may be entered while running). */
  stripe?: () => CardProcessor | null
  /** The demo processor; by default one that keeps its memory in this database. */
  demo?: CardProcessor
  now?: () => number
}

export function createProcessorProvider(db: Kysely<DB>, options: ProcessorProviderOptions = {}): ProcessorProvider {
  const demo = options.demo ?? createDemoProcessor({ store: sqliteDemoStore(db), ...(options.now ? { now: options.now } : {}) })
  return {
    forPayment(taken) {
      const stripe = options.stripe?.() ?? null
      if (taken === 'demo') return demo
      if (taken === 'stripe') return stripe
      return stripe ?? demo
    },
  }
}

/**
 * The demo processor's memory in SQLite (`demo_processor_state`), so that it survives a restart
 * or a crash as a real processor would. Written outside the ledger's transactions: the processor
 * and the ledger commit separately, which is what the crash test exercises.
 *
 * A payment the demo processor never saw (the demo board's generated payments, taken "online")
 * is read from the ledger the first time a refund asks for it: its amount, and the demo card with
 * the same last four digits when there is one (4000 0000 0000 5126: refunds fail later), 4242
 * otherwise.
 */
export function sqliteDemoStore(db: Kysely<DB>): DemoStore {
  return {
    async get(key) {
      const row = await db.selectFrom('demo_processor_state').select('value').where('key', '=', key).executeTakeFirst()
      if (row) return row.value
      if (!key.startsWith('payment:')) return undefined
      const ref = key.slice('payment:'.length)
      const payment = await db
        .selectFrom('payments')
        .select(['processor_ref', 'amount_cents', 'card_last4'])
        .where('processor_ref', '=', ref)
        .where('processor', 'in', ['demo', 'board'])
        .executeTakeFirst()
      if (!payment) return undefined
      const card = findTestCard(`400000000000${payment.card_last4}`) ?? findTestCard('4242424242424242')!
      return JSON.stringify({ ref: payment.processor_ref, amountCents: payment.amount_cents, card: card.number, refunds: [] })
    },
    async set(key, value) {
      await db
        .insertInto('demo_processor_state')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute()
    },
  }
}
