import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from '../core'
import { clockFromOption } from '../core/clock'
import { localKeyBox } from '../core/adapters/secrets/local-key-box'
import { startWebServer } from './server'
import { version } from '../../package.json'

/**
 * `npm run web`: the renderer built for the browser, the core on a local SQLite file.
 * With no --db the embedded default is used: .data/guichet.sqlite, generated as a demo
 * board the first time.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: process.env.GUICHET_DB ?? '.data/guichet.sqlite' },
      port: { type: 'string', default: process.env.GUICHET_PORT ?? '5180' },
      static: { type: 'string', default: 'dist-web' },
      // Test-only: the instant the app's clock starts at (the real time without it).
      now: { type: 'string' },
    },
  })
  const file = resolve(values.db)
  mkdirSync(dirname(file), { recursive: true })
  const started = Date.now()
  const nowMs = clockFromOption(values.now ?? process.env.GUICHET_NOW)
  const core = await createCore({
    file,
    appVersion: version,
    nowMs,
    demoIfNew: true,
    // Browser mode has no OS keychain: secrets are sealed with a local key file (README, "Secrets").
    secretBox: () => localKeyBox(`${file}.key`),
    logError: (error) => console.error(error instanceof Error ? error.stack : error),
  })
  const server = await startWebServer({ core, staticDir: values.static, port: Number(values.port) })
  const stopScheduler = core.startScheduler()
  console.log(`Guichet (browser mode) — database ${file} — ready in ${Date.now() - started} ms`)
  console.log(`Open: ${server.url}`)
  const stop = async () => {
    stopScheduler()
    await server.close()
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
