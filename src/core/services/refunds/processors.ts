import { sql, type Kysely } from 'kysely'
import { createDemoProcessor, findTestCard, type CardProcessor, type DemoPaymentRecord, type DemoRefundRecord, type DemoStore } from '../../adapters/processors'
import type { DB, PaymentsTable } from '../../db/schema'

/** The processors a card payment goes through ('credit' payments have none: 0013). */
export type PaymentProcessor = Exclude<PaymentsTable['processor'], 'credit'>

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
 * is read from the ledger the first time a refund asks for it: its amount, its time, whose
 * account took it (the board's for an online payment), and the demo card with the same last four
 * digits when there is one (4000 0000 0000 5126: refunds fail later), 4242 otherwise.
 *
 * Listing (`entries`, for the demo's payouts): what it holds, plus the demo board's generated
 * kiosk history, which the demo processor took before the app ever ran: the ledger's payments of
 * processor 'demo' made up to the board's anchor (settings 'demo.board') and their refunds, as
 * the ledger has them. Anything the app records after the anchor is the processor's only if it
 * really went through it.
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
        .select(['processor', 'processor_ref', 'amount_cents', 'credit_cents', 'card_last4', 'created_at'])
        .where('processor_ref', '=', ref)
        .where('processor', 'in', ['demo', 'board'])
        .executeTakeFirst()
      if (!payment) return undefined
      return JSON.stringify(paymentRecordOf(payment))
    },
    async entries(prefix) {
      const stored = await db
        .selectFrom('demo_processor_state')
        .select(['key', 'value'])
        .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
        .execute()
      const out: Array<[string, string]> = stored.map((r) => [r.key, r.value])
      const anchor = await demoBoardAnchor(db)
      if (!anchor || (prefix !== 'payment:' && prefix !== 'refund:')) return out
      const held = new Set(stored.map((r) => r.key))
      if (prefix === 'payment:') {
        const payments = await db
          .selectFrom('payments')
          .select(['processor', 'processor_ref', 'amount_cents', 'credit_cents', 'card_last4', 'created_at'])
          .where('processor', '=', 'demo')
          .where('created_at', '<=', anchor)
          .execute()
        for (const p of payments) if (!held.has(`payment:${p.processor_ref}`)) out.push([`payment:${p.processor_ref}`, JSON.stringify(paymentRecordOf(p))])
        return out
      }
      const refunds = await db
        .selectFrom('refund_states as r')
        .innerJoin('payments as p', 'p.id', 'r.payment_id')
        .select(['r.id', 'r.processor_ref', 'r.amount_cents', 'r.status', 'r.requested_at', 'r.settled_at', 'r.failure_code', 'p.processor_ref as payment_ref'])
        .where('p.processor', '=', 'demo')
        .where('p.created_at', '<=', anchor)
        .where('r.requested_at', '<=', anchor)
        .where('r.processor_ref', 'is not', null)
        .execute()
      for (const r of refunds) {
        if (held.has(`refund:${r.processor_ref}`)) continue
        const record: DemoRefundRecord = {
          ref: r.processor_ref!,
          paymentRef: r.payment_ref,
          refundId: r.id,
          amountCents: r.amount_cents,
          status: r.status as DemoRefundRecord['status'],
          createdAt: r.requested_at,
          ...(r.settled_at ? { settledAt: r.settled_at } : {}),
          ...(r.status === 'failed' ? { failureCode: r.failure_code ?? 'unknown' } : {}),
        }
        out.push([`refund:${record.ref}`, JSON.stringify(record)])
      }
      return out
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

/** The card took the payment's amount less the part paid with credit. */
function paymentRecordOf(p: { processor: string; processor_ref: string; amount_cents: number; credit_cents: number; card_last4: string | null; created_at: string }): DemoPaymentRecord {
  const card = findTestCard(`400000000000${p.card_last4 ?? '4242'}`) ?? findTestCard('4242424242424242')!
  return { ref: p.processor_ref, amountCents: p.amount_cents - p.credit_cents, card: card.number, refunds: [], createdAt: p.created_at, account: p.processor === 'board' ? 'board' : 'school' }
}

/** The instant the demo board was generated around, or null when this is not a demo board. */
async function demoBoardAnchor(db: Kysely<DB>): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'demo.board').executeTakeFirst()
  if (!row) return null
  try {
    const anchor = (JSON.parse(row.value) as { anchor?: unknown }).anchor
    return typeof anchor === 'string' ? anchor : null
  } catch {
    return null
  }
}
