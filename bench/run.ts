import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchGenerate } from './generate'
import { benchReportsYear } from './reports-year'
import { benchStudentsGrid } from './students-grid'
import { benchSyncFirst } from './sync-first'
import type { BenchResult } from './types'

/**
 * `npm run bench`: performance targets are met here, on this machine, never in a timed test.
 * Prints each benchmark's figures; the README quotes them.
 */
async function main(): Promise<void> {
  const only = process.argv[2]
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-'))
  const benches: Array<[string, () => Promise<BenchResult>]> = [
    ['generate', () => benchGenerate()],
    ['grid', () => benchStudentsGrid(dir)],
    ['reports', () => benchReportsYear(dir)],
    ['sync', () => benchSyncFirst(dir)],
  ]
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`)
  try {
    for (const [key, run] of benches) {
      if (only && only !== key) continue
      const result = await run()
      console.log(`\n${result.name}`)
      for (const [k, v] of Object.entries(result.figures)) console.log(`  ${k.padEnd(28)} ${v.toLocaleString('en-CA')}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
