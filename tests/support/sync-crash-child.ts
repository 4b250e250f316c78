/**
 * The process that tests/core/sync/crash.test.ts kills: opens an enrolled Guichet database and
 * syncs with the board (the parent's reference server) until it is killed (SIGKILL). It never
 * exits by itself.
 *
 * Environment: SYNC_DB (the SQLite file), SYNC_NOW (the clock, ISO), SYNC_PAGE_SIZE (changes per
 * page), SYNC_APPLY_BATCH (changes applied in one transaction), SYNC_BACKOFF_MS (first wait after a failed call: long, so the kill lands in it).
 */
import { createCore } from '../../src/core'
import type { SecretBox } from '../../src/core/services/secrets'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is missing`)
  return value
}

/** The same box as tests/core/sync/helpers.ts (reversed base64), so the parent opens the token again. */
const testBox: SecretBox = {
  scheme: 'test-box',
  seal: (plain) => Buffer.from(Buffer.from(plain, 'utf8').toString('base64').split('').reverse().join(''), 'utf8'),
  open: (sealed) => Buffer.from(sealed.toString('utf8').split('').reverse().join(''), 'base64').toString('utf8'),
}

async function main(): Promise<void> {
  const nowMs = Date.parse(env('SYNC_NOW'))
  const backoff = Number(env('SYNC_BACKOFF_MS'))
  const core = await createCore({
    file: env('SYNC_DB'),
    appVersion: 'sync-crash-child',
    nowMs: () => nowMs,
    secretBox: () => testBox,
    logError: (e) => process.stderr.write(`${String(e)}\n`),
    sync: { backoff: { baseMs: backoff, maxMs: backoff * 4, attempts: 50 }, timeoutMs: 30_000, pageSize: Number(env('SYNC_PAGE_SIZE')), applyBatch: Number(env('SYNC_APPLY_BATCH')) },
  })
  process.stdout.write('started\n')
  // Sync until killed.
  for (;;) {
    const run = await core.sync.kick()
    process.stdout.write(`run ${JSON.stringify(run)}\n`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
