import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Faults, FAULT_KINDS, type FaultKind } from './faults'
import { demoOptionsOf, seedCentral, type CentralSeedOptions } from './seed'
import { startCentralServer } from './server'
import { ParentSimulator } from './simulator'
import { CentralStore, VirtualClock } from './store'

/**
 * `npm run central`: the reference central server on 127.0.0.1, on the demo board.
 *
 * By default it makes the same board as Guichet's browser-mode database (.data/guichet.sqlite,
 * read for its demo seed and anchor), so that the two agree from the start; without that file,
 * a board anchored now. Options:
 *   --port 5190  --host 127.0.0.1  --db :memory: (or PGlite's data directory, seeded when empty;
 *   DATABASE_URL in the environment: the board's PostgreSQL instead)
 *   --like path/to/guichet.sqlite   --seed N --anchor ISO --students 230,170 --full-year
 *   --faults drop=0.05,drop_response=0.1,delay=0.05,error_500=0.05,rate_limit=0.05,page_twice=0.05
 *   --fault-seed N   --simulate (parents play along in real time)   --sim-seed N
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.CENTRAL_PORT ?? '5190' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: ':memory:' },
      like: { type: 'string' },
      seed: { type: 'string' },
      anchor: { type: 'string' },
      students: { type: 'string' },
      'full-year': { type: 'boolean', default: false },
      faults: { type: 'string' },
      'fault-seed': { type: 'string', default: '1' },
      simulate: { type: 'boolean', default: false },
      'sim-seed': { type: 'string', default: '1' },
    },
  })

  const like = values.like ?? (existsSync('.data/guichet.sqlite') ? '.data/guichet.sqlite' : undefined)
  const fromGuichet = like && !values.seed && !values.anchor ? demoOptionsOf(resolve(like)) : undefined
  const board: CentralSeedOptions = fromGuichet ?? {
    anchor: values.anchor ? new Date(values.anchor) : new Date(),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.students ? { studentsPerSchool: values.students.split(',').map(Number) as [number, number] } : {}),
    fullYear: values['full-year'],
  }

  const clock = new VirtualClock(Date.now())
  // DATABASE_URL: the board's PostgreSQL; else PGlite in this process (memory, or --db a directory).
  const url = process.env.DATABASE_URL
  const store = await CentralStore.open(url ? { url, clock } : values.db === ':memory:' ? { clock } : { dataDir: resolve(values.db), clock })
  const seeded = (await store.schools()).length === 0 ? await seedCentral(store, board) : null

  const faults = new Faults()
  if (values.faults) faults.configure({ seed: Number(values['fault-seed']), rates: parseRates(values.faults) })
  const simulator = new ParentSimulator({ store, clock, seed: Number(values['sim-seed']) })
  const server = await startCentralServer({ store, faults, simulator, host: values.host, port: Number(values.port), logError: (e) => console.error(e) })
  const code = await store.createEnrollmentCode()

  const out = (line: string) => process.stdout.write(`${line}\n`)
  out(`Central — reference server of the board's API (protocol v1) — ${url ? 'PostgreSQL (DATABASE_URL)' : `PGlite ${values.db}`}`)
  if (seeded) {
    const source = fromGuichet ? `the demo board of ${like}` : 'a demo board'
    out(`Seeded from ${source}: seed ${board.seed ?? 2026}, anchor ${board.anchor.toISOString()}; ${seeded.students} students, ${seeded.offerings} items, ${seeded.changes} changes (${seeded.ms} ms)`)
  }
  out(`URL: ${server.url}`)
  out(`Enrolment code: ${code.code} (all schools, single use)`)
  out(`Admin key: ${server.adminKey} (Authorization: Bearer … on /admin/*)`)
  if (values.faults) out(`Faults: ${values.faults} (seed ${values['fault-seed']})`)

  // The store's clock follows real time; with --simulate the parents play along.
  let playing = false
  const timer = setInterval(() => {
    const now = Date.now()
    if (!values.simulate) {
      if (clock.now() < now) clock.set(now)
    } else if (!playing) {
      playing = true
      simulator
        .advanceTo(now)
        .catch((e: unknown) => console.error(e))
        .finally(() => (playing = false))
    }
  }, 2000)

  const stop = async () => {
    clearInterval(timer)
    await server.close()
    await store.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function parseRates(text: string): Partial<Record<FaultKind, number>> {
  const rates: Partial<Record<FaultKind, number>> = {}
  for (const part of text.split(',')) {
    const [name, value] = part.split('=') as [string, string | undefined]
    if (!(FAULT_KINDS as readonly string[]).includes(name) || value === undefined || !Number.isFinite(Number(value))) throw new Error(`--faults: "${part}" is not kind=probability (kinds: ${FAULT_KINDS.join(', ')})`)
    rates[name as FaultKind] = Number(value)
  }
  return rates
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
