/**
 * The process that tests/core/refund-crash.test.ts kills: opens the database, starts the bulk
 * refund of a cancelled program date as the principal, and lets the core's runner work until it
 * is killed (SIGKILL). It never exits by itself.
 *
 * Environment: CRASH_DB (the SQLite file), CRASH_TARGET (the program date), CRASH_MODE ('stripe'
 * or 'demo'), CRASH_STRIPE_PORT and CRASH_STRIPE_KEY (the parent's fake Stripe).
 */
import { createDemoProcessor, createStripeProcessor, type CardProcessor, type DemoStore } from '../../src/core/adapters/processors'
import { createCore, type Core } from '../../src/core'
import { sqliteDemoStore } from '../../src/core/services/refunds'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is missing`)
  return value
}

async function main(): Promise<void> {
  const file = env('CRASH_DB')
  const mode = env('CRASH_MODE')
  let stripe: CardProcessor | null = null
  let demo: CardProcessor | undefined
  let opened: Core | undefined
  if (mode === 'stripe') {
    stripe = createStripeProcessor({ apiKey: env('CRASH_STRIPE_KEY'), host: '127.0.0.1', port: Number(env('CRASH_STRIPE_PORT')), protocol: 'http', maxNetworkRetries: 0, timeoutMs: 60_000 })
  } else {
    // The demo processor keeps its memory in the same file (through the core's connection, once
    // it is open), a little slowly, as a network would.
    const store: DemoStore = {
      get: (key) => sqliteDemoStore(opened!.connection.db).get(key),
      set: (key, value) => sqliteDemoStore(opened!.connection.db).set(key, value),
    }
    const inner = createDemoProcessor({ store })
    const slow = <T>(op: () => Promise<T>) => new Promise<void>((r) => setTimeout(r, 2)).then(op)
    demo = {
      kind: 'demo',
      isDemo: true,
      charge: (r) => slow(() => inner.charge(r)),
      refund: (r) => slow(() => inner.refund(r)),
      refundStatus: (ref) => slow(() => inner.refundStatus(ref)),
      findRefund: (id, ref) => slow(() => inner.findRefund(id, ref)),
    }
  }
  const core = (opened = await createCore({
    file,
    appVersion: 'crash-child',
    ...(stripe ? { stripe: () => stripe } : {}),
    ...(demo ? { demoProcessor: demo } : {}),
    refundRunner: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, repassMs: 50 },
    logError: (e) => process.stderr.write(`${String(e)}\n`),
  }))
  const signIn = await core.dispatch({ method: 'auth.signIn', input: { username: 'dir', password: 'secret-pass' } })
  if (!signIn.ok) throw new Error(signIn.error.message)
  const token = (signIn.value as { token: string }).token
  const started = await core.dispatch({ method: 'refunds.startBulk', input: { target: { kind: 'programDate', programDateId: env('CRASH_TARGET') }, reason: 'Tempête de neige' }, session: token })
  if (!started.ok) throw new Error(started.error.message)
  process.stdout.write(`started ${JSON.stringify(started.value)}\n`)
  // Work until killed.
  setInterval(() => core.refunds.kick(), 20)
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
