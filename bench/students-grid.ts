import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createCore } from '../src/core'
import { seedDemoBoard } from '../src/core/demo/seed'
import { startWebServer } from '../src/web/server'
import type { BenchResult } from './types'

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/**
 * A keystroke in the students grid of a 1,500-student school: each prefix of a real name is
 * one students.search (a page of 50, filtered, sorted and counted in SQL), timed through the
 * whole core (validation, session, transaction, output check) and through the HTTP bridge.
 */
export async function benchStudentsGrid(dir: string): Promise<BenchResult> {
  const file = join(dir, 'grid.sqlite')
  const anchor = new Date('2027-06-18T16:00:00Z')
  const core = await createCore({ file, appVersion: 'bench' })
  const seeded = seedDemoBoard(core.connection.raw, { anchor, studentsPerSchool: [1500, 100], fullYear: true })
  const signIn = await core.dispatch({ method: 'auth.signIn', input: { username: 'secretaire', password: 'guichet' } })
  if (!signIn.ok) throw new Error(signIn.error.message)
  const session = (signIn.value as { token: string }).token
  const school = core.connection.raw.prepare(`SELECT id FROM schools ORDER BY code LIMIT 1`).get() as { id: string }
  const names = core.connection.raw
    .prepare(`SELECT last_name || ' ' || first_name AS n FROM students WHERE school_id = ? ORDER BY id LIMIT 40`)
    .all(school.id) as Array<{ n: string }>

  const server = await startWebServer({ core, staticDir: dir })
  const viaCore: number[] = []
  const viaHttp: number[] = []
  for (const { n } of names) {
    for (let i = 1; i <= Math.min(n.length, 12); i++) {
      const input = { query: n.slice(0, i), schoolId: school.id, limit: 50 }
      let t = performance.now()
      const r = await core.dispatch({ method: 'students.search', input, session })
      viaCore.push(performance.now() - t)
      if (!r.ok) throw new Error(r.error.message)
      t = performance.now()
      const res = await fetch(`http://127.0.0.1:${server.port}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-guichet-key': server.key },
        body: JSON.stringify({ method: 'students.search', input, session }),
      })
      await res.json()
      viaHttp.push(performance.now() - t)
    }
  }
  await server.close()
  await core.close()
  viaCore.sort((a, b) => a - b)
  viaHttp.sort((a, b) => a - b)
  const round = (x: number) => Math.round(x * 100) / 100
  return {
    name: 'students grid, one keystroke (1,500-student school)',
    figures: {
      students: seeded.students,
      keystrokes: viaCore.length,
      'core p50 ms': round(percentile(viaCore, 50)),
      'core p95 ms': round(percentile(viaCore, 95)),
      'core max ms': round(viaCore.at(-1)!),
      'http p50 ms': round(percentile(viaHttp, 50)),
      'http p95 ms': round(percentile(viaHttp, 95)),
    },
  }
}
