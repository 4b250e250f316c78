import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebServer, type WebServer } from '../../src/web/server'
import { contract, type MethodName } from '../../src/shared/contract'
import { leaves, sample, setAt } from '../support/zod-walk'
import { ok, tempDir, testCore } from './fixtures'

/**
 * Hostile calls to every method of the contract, through browser mode's HTTP bridge, as each
 * staff role and as a kiosk: never a 5xx or INTERNAL, never a placeholder left or the input
 * echoed in a message, and a refused call changes no table. Seeded (FUZZ_SEED), bounded in runs.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261120)
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 400)

// Methods that end the caller's own session or reach the network: their refusals are tested elsewhere.
const SKIPPED = new Set<string>(['auth.signOut', 'auth.lock', 'kiosk.end', 'sync.enroll', 'sync.now'])
const METHODS = (Object.keys(contract) as MethodName[]).filter((m) => !SKIPPED.has(m))

const HOSTILE_STRINGS = [
  "'; DROP TABLE students;--",
  '<img src=x onerror=alert(1)>',
  'nul\u0000byte',
  'lone\ud800surrogate',
  '\udfffalone',
  '2025-02-30',
  '2099-13-45',
  '0000-00-00',
  '9999-12-31T99:99:99Z',
  '{what}',
  '${detail}',
  '../../etc/passwd',
  ' ',
  '',
  'x'.repeat(5000),
  '\u202e\u0301',
]
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS),
  fc.constantFrom<unknown>(null, true, false, [], {}, [[]], { __proto__: { polluted: 1 } }, -0, NaN, Infinity),
  fc.constantFrom<unknown>(0, -1, 1.5, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, 100_000_001),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
)

type Call = { method: MethodName; as: number; input: unknown; hostile: unknown }
const calls: fc.Arbitrary<Call> = fc
  .record({ method: fc.constantFrom(...METHODS), as: fc.nat(3), mode: fc.nat(9), leaf: fc.nat(), value: hostileValue, key: fc.constantFrom('__proto__', 'constructor', '<b>x</b>', 'extra') })
  .map(({ method, as, mode, leaf, value, key }) => {
    const schema = contract[method].input
    const valid = sample(schema) ?? {}
    const spots = leaves(schema, valid)
    let input: unknown
    if (mode === 0 || spots.length === 0) input = value
    else if (mode === 1) input = { ...(valid as object), [key]: value }
    else if (mode === 2) input = valid
    else input = setAt(valid, spots[leaf % spots.length]!.path, value)
    return { method, as, input, hostile: mode === 2 ? undefined : mode === 1 ? [key, value] : value }
  })

let t: Awaited<ReturnType<typeof testCore>>
let server: WebServer
let dir: ReturnType<typeof tempDir>
const sessions: string[] = []

function post(body: unknown): Promise<{ status: number; body: string }> {
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path: '/rpc', method: 'POST', headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'x-guichet-key': server.key } },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(data)
  })
}

/** Every table's rows, hashed, but the audit log's (a refused sign-in is audited) and the sessions'. */
function checksum(): string {
  const raw = t.core.connection.raw
  const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string }>
  const hash = createHash('sha256')
  for (const { name } of tables) {
    if (name === 'audit_log' || name.includes('session')) continue
    for (const row of raw.prepare(`SELECT * FROM "${name}"`).raw().all()) hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
    hash.update(`|${name}|`)
  }
  return hash.digest('hex')
}

/** The hostile strings a message could echo (long enough to mean something). */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 6) into.push(value)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      stringsOf(k, into)
      stringsOf(v, into)
    }
  }
  return into
}

beforeAll(async () => {
  t = await testCore()
  const school = t.board.school('École Fuzz')
  t.board.year(school)
  const klass = t.board.klass(school, '3A')
  const child = t.board.student(school, 'Zoé', 'Test', '3', klass)
  const guardian = t.board.guardian('Marie', 'Test', [child])
  for (const [name, role] of [['sec', 'secretary'], ['dir', 'principal'], ['adm', 'admin']] as const) {
    t.board.staff(name, role)
    sessions.push((await ok(t.core, 'auth.signIn', { username: name, password: 'secret-pass' })).token)
  }
  sessions.push((await ok(t.core, 'kiosk.start', { guardianId: guardian, pin: '2468', idleSeconds: 900 }, sessions[0])).token)
  dir = tempDir()
  mkdirSync(join(dir.dir, 'static'), { recursive: true })
  writeFileSync(join(dir.dir, 'static', 'index.html'), '<!doctype html><title>Guichet</title>')
  server = await startWebServer({ core: t.core, staticDir: join(dir.dir, 'static') })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await t?.cleanup()
  dir?.cleanup()
})

describe('hostile calls through the bridge', () => {
  it('never answer 5xx or INTERNAL, never leave a placeholder or echo the input, and change nothing when refused', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async ({ method, as, input, hostile }) => {
        const before = checksum()
        const res = await post({ method, input, session: sessions[as] })
        expect(res.status, res.body).toBeLessThan(500)
        const result = JSON.parse(res.body) as { ok: boolean; error?: { code: string; message: string; issues?: Array<{ path: string; message: string }> } }
        if (result.ok) return
        const error = result.error!
        expect(error.code, error.message).not.toBe('INTERNAL')
        const messages = [error.message, ...(error.issues ?? []).map((i) => i.message)]
        for (const message of messages) {
          expect(message).not.toMatch(/[{}]/)
          for (const s of stringsOf(hostile)) expect(message, `echoes ${JSON.stringify(s)}`).not.toContain(s)
        }
        expect(checksum(), `${method} refused but changed a table`).toBe(before)
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false, verbose: 1 },
    )
  }, 90_000)
})
