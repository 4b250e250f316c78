import { GuichetError } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import { ProcessorRefusal, TransientProcessorError, type CardProcessor } from '../adapters/processors/types'
import { reconciliationXlsx } from '../adapters/documents/reconciliation-xlsx'
import { translate, translateCode } from '../i18n'
import { canListPayouts, payoutFetchesOf, type PayoutFetch } from '../services/reports/payout-fetches'
import { reconcile } from '../services/reports/reconciliation'
import type { HandlerContext, Handlers } from './types'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * The processor whose payouts reach the school's account: Stripe when a key is configured, the
 * demo processor otherwise (the kiosk takes its payments the same way).
 */
function accountProcessor(ctx: HandlerContext): CardProcessor | null {
  const processors = ctx.core.refunds.processors
  return processors.forPayment('stripe') ?? processors.forPayment('demo')
}

export const reconciliationHandlers: Handlers<'reports.reconciliation' | 'reports.reconciliationFile'> = {
  /**
   * Without `fetchId`: asks the processor for the period's payouts once this call has committed,
   * and answers `fetching`. With it: `fetching` still, `failed` (why, in the caller's language),
   * or `ready` with the reconciliation, made now from those payouts and the ledger as it is.
   */
  async 'reports.reconciliation'({ schoolId, from, to, fetchId }, ctx) {
    const fetches = payoutFetchesOf(ctx.core)
    if (!fetchId) {
      const processor = accountProcessor(ctx)
      if (!canListPayouts(processor)) throw new GuichetError('BAD_REQUEST', { reason: 'noPayouts' })
      const fetch = fetches.create(processor, from, to)
      ctx.afterCommit(() => fetches.start(fetch, processor, () => ctx.core.nowMs()))
      return { state: 'fetching', fetchId: fetch.id }
    }
    const fetch = fetches.get(fetchId)
    if (!fetch || fetch.from !== from || fetch.to !== to) return { state: 'failed', fetchId, message: translate(ctx.locale, 'reconciliation.fetchExpired') }
    if (fetch.state === 'fetching') return { state: 'fetching', fetchId }
    if (fetch.state === 'failed') return { state: 'failed', fetchId, message: failureMessage(ctx.locale, fetch.error) }
    return { state: 'ready', fetchId, report: await reconcileFetch(ctx, fetch, schoolId) }
  },

  async 'reports.reconciliationFile'({ schoolId, fetchId }, ctx) {
    const fetch = payoutFetchesOf(ctx.core).get(fetchId)
    if (!fetch || fetch.state !== 'ready') throw new GuichetError('BAD_REQUEST', { reason: 'fetchExpired' })
    const report = await reconcileFetch(ctx, fetch, schoolId)
    return { fileName: `rapprochement-${fetch.from}-au-${fetch.to}.xlsx`, mimeType: XLSX, base64: (await reconciliationXlsx(report)).toString('base64') }
  },
}

function reconcileFetch(ctx: HandlerContext, fetch: PayoutFetch, schoolId: string | undefined) {
  return reconcile(ctx.db, {
    schoolId,
    from: fetch.from,
    to: fetch.to,
    now: ctx.now,
    processor: fetch.processor,
    demo: fetch.demo,
    fetchedAt: fetch.fetchedAt ?? ctx.now,
    payouts: fetch.payouts,
  })
}

function failureMessage(locale: Locale, error: unknown): string {
  if (error instanceof ProcessorRefusal) return translateCode(locale, error.code)
  if (error instanceof TransientProcessorError) return translate(locale, 'reconciliation.fetchUnavailable')
  return translate(locale, 'error.INTERNAL')
}
