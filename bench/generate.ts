import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src/core/db/connection'
import { seedDemoBoard } from '../src/core/demo/seed'
import type { BenchResult } from './types'

/**
 * The demo generator at benchmark size: a 1,500-student school (and a 100-student one) with a
 * whole school year of activity, written into a fresh file with the app's own pragmas
 * (WAL, synchronous=FULL). `ms` covers everything: building the board in memory, the three
 * staff passwords at full scrypt cost, every insert, the foreign-key check and the commit.
 */
export async function benchGenerate(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-generate-'))
  const connection = openDatabase({ file: join(dir, 'generate.sqlite') })
  try {
    const summary = seedDemoBoard(connection.raw, {
      anchor: new Date('2027-06-18T16:00:00Z'),
      studentsPerSchool: [1500, 100],
      fullYear: true,
    })
    return {
      name: 'Demo generator: 1,600 students, a whole year (one transaction)',
      figures: {
        students: summary.students,
        'order lines': summary.orderLines,
        payments: summary.payments,
        consents: summary.consents,
        ms: summary.ms,
        'order lines per second': Math.round(summary.orderLines / (summary.ms / 1000)),
      },
    }
  } finally {
    await connection.close()
    if (connection.raw.open) connection.raw.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
