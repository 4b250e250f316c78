import type { ProcessorSettings } from '../../shared/contract/processor'
import { GuichetError } from '../../shared/errors'
import { deleteSecret, keyHint, putSecret, STRIPE_KEY } from '../services/secrets'
import type { HandlerContext, Handlers } from './types'

async function settings(ctx: HandlerContext, hint = ctx.core.processor.keyHint): Promise<ProcessorSettings> {
  const box = ctx.core.processor.box
  const row = await ctx.db.selectFrom('secrets').select('updated_at').where('name', '=', STRIPE_KEY).executeTakeFirst()
  return {
    mode: hint ? 'stripe' : 'demo',
    keyHint: hint,
    storage: box ? (box.scheme === 'electron-safe-storage' ? 'os-keychain' : 'local-key') : null,
    updatedAt: hint ? (row?.updated_at ?? null) : null,
  }
}

export const processorHandlers: Handlers<'processor.settings' | 'processor.setStripeKey' | 'processor.clearStripeKey'> = {
  async 'processor.settings'(_input, ctx) {
    return settings(ctx)
  },

  async 'processor.setStripeKey'({ secretKey }, ctx) {
    const box = ctx.core.processor.box
    if (!box) throw new GuichetError('SECRETS_UNAVAILABLE')
    const before = ctx.core.processor.keyHint
    const hint = keyHint(secretKey)
    await putSecret(ctx.db, box, STRIPE_KEY, secretKey, ctx.now)
    // Only the hint is written: the input itself never reaches the audit log.
    ctx.audit({ entity: 'secret', entityId: STRIPE_KEY, before: before ? { hint: before } : null, after: { hint } })
    ctx.afterCommit(() => ctx.core.processor.setKey(secretKey, hint))
    return settings(ctx, hint)
  },

  async 'processor.clearStripeKey'(_input, ctx) {
    const before = ctx.core.processor.keyHint
    await deleteSecret(ctx.db, STRIPE_KEY)
    ctx.audit({ entity: 'secret', entityId: STRIPE_KEY, before: before ? { hint: before } : null, after: null })
    ctx.afterCommit(() => ctx.core.processor.setKey(null, null))
    return settings(ctx, null)
  },
}
