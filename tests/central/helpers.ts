import { randomUUID } from 'node:crypto'
import { seedCentral, type CentralSeedOptions } from '../../central/seed'
import { startCentralServer, type CentralServer } from '../../central/server'
import { Faults } from '../../central/faults'
import { ParentSimulator, type SimulatorRates } from '../../central/simulator'
import { scratchSchema } from '../../central/db/connection'
import { CentralStore, VirtualClock, type CentralStoreOptions } from '../../central/store'
import type { EnrollResponse, MutationEnvelope, MutationType } from '../../src/shared/sync/protocol'
import type { z } from 'zod'

/**
 * Where a test's store lives: on the PostgreSQL server of DATABASE_URL when there is one (.ci/run
 * starts one), in a schema of its own dropped on close; else in this process's PGlite.
 */
export function testDatabase(): CentralStoreOptions {
  const url = process.env.DATABASE_URL
  return url ? { url, schema: scratchSchema('test'), temporary: true, maxConnections: 4 } : {}
}

/** A store of its own for one test. */
export function openTestStore(clock?: VirtualClock): Promise<CentralStore> {
  return CentralStore.open({ ...testDatabase(), ...(clock ? { clock } : {}) })
}

export const ANCHOR = '2026-11-20T15:00:00.000Z'
/** A small board: quick to make, big enough for every kind of item and family. */
export const SMALL: [number, number] = [40, 30]

export interface TestCentral {
  server: CentralServer
  store: CentralStore
  clock: VirtualClock
  faults: Faults
  simulator: ParentSimulator
  url: string
  /** The school with the most students (Saint-Guillaume). */
  schoolId: string
  otherSchoolId: string
  close(): Promise<void>
}

export async function startCentral(options: { board?: Partial<CentralSeedOptions>; simulatorSeed?: number; rates?: Partial<SimulatorRates> } = {}): Promise<TestCentral> {
  const clock = new VirtualClock(Date.parse(ANCHOR))
  const store = await CentralStore.open({ clock, ...testDatabase() })
  await seedCentral(store, { anchor: new Date(ANCHOR), studentsPerSchool: SMALL, ...options.board })
  const faults = new Faults()
  const simulator = new ParentSimulator({ store, clock, seed: options.simulatorSeed ?? 7, ...(options.rates ? { rates: options.rates } : {}) })
  const server = await startCentralServer({ store, faults, simulator, logError: (e) => console.error(e) })
  const [first, second] = await store.schools()
  return {
    server,
    store,
    clock,
    faults,
    simulator,
    url: server.url,
    schoolId: first!.id,
    otherSchoolId: second!.id,
    async close() {
      await server.close()
      await store.close()
    },
  }
}

export interface Reply<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export async function call<T = unknown>(
  central: { url: string },
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Reply<T>> {
  const res = await fetch(`${central.url}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.headers ?? {}),
    },
    ...(options.raw !== undefined ? { body: options.raw } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers }
}

export async function enroll(central: TestCentral, schoolIds?: string[], deviceName = 'Poste du secrétariat'): Promise<z.infer<typeof EnrollResponse>> {
  const { code } = await central.store.createEnrollmentCode(schoolIds ? { schoolIds } : {})
  const reply = await call<z.infer<typeof EnrollResponse>>(central, 'POST', '/v1/devices', { body: { enrollmentCode: code, deviceName } })
  if (reply.status !== 201) throw new Error(`enrolment failed: ${reply.status} ${JSON.stringify(reply.body)}`)
  return reply.body
}

export function mutation(type: MutationType | string, entityId: string, data: unknown, baseVersion?: number | null): MutationEnvelope {
  return { id: randomUUID(), type, entityId, ...(baseVersion === undefined ? {} : { baseVersion }), data, createdAt: new Date(Date.parse(ANCHOR)).toISOString() }
}
