/**
 * The process that tests/core/backup-crash.test.ts kills: opens the database and starts a
 * backup into the folder, slowed down between steps of the copy (a few pages each), printing
 * "step" each time, until it is killed (SIGKILL). It never finishes by itself in time.
 *
 * Environment: CRASH_DB (the SQLite file), CRASH_FOLDER (the backup folder), CRASH_AT (the instant).
 */
import { createCore } from '../../src/core'
import { runBackup } from '../../src/core/services/backups'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is missing`)
  return value
}

async function main(): Promise<void> {
  const core = await createCore({ file: env('CRASH_DB'), appVersion: 'test' })
  const pause = new Int32Array(new SharedArrayBuffer(4))
  await runBackup(core.connection.raw, {
    folder: env('CRASH_FOLDER'),
    at: env('CRASH_AT'),
    reason: 'daily',
    progress: () => {
      process.stdout.write('step\n')
      Atomics.wait(pause, 0, 0, 20)
      return 4
    },
  })
  process.stdout.write('finished\n')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
