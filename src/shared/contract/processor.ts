import { z } from 'zod'
import { method } from './method'
import { Instant } from './schemas'

export const ProcessorSettings = z.object({
  mode: z.enum(['demo', 'stripe']),
  /** "sk_live_…4242" when a key is stored; never the key. */
  keyHint: z.string().nullable(),
  /** How this PC seals secrets; null when it cannot, and then no key can be stored. */
  storage: z.enum(['os-keychain', 'local-key']).nullable(),
  updatedAt: Instant.nullable(),
})
export type ProcessorSettings = z.infer<typeof ProcessorSettings>

export const processorMethods = {
  'processor.settings': method({
    kind: 'query',
    access: ['principal', 'admin'],
    input: z.object({}).strict(),
    output: ProcessorSettings,
  }),
  /** Stores the Stripe secret key sealed; the audit log records that it changed, never the key. */
  'processor.setStripeKey': method({
    kind: 'command',
    access: ['admin'],
    input: z.object({ secretKey: z.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{16,200}$/, { error: 'processor.keyInvalid' }) }).strict(),
    output: ProcessorSettings,
  }),
  'processor.clearStripeKey': method({
    kind: 'command',
    access: ['admin'],
    input: z.object({}).strict(),
    output: ProcessorSettings,
  }),
}
