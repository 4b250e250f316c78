import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { adminSchemaName, OPENAPI_FILE, renderOpenApi } from '../../central/openapi'
import { ADMIN_ENDPOINTS } from '../../central/server'
import * as protocol from '../../src/shared/sync/protocol'
import { ENDPOINTS, protocolRegistry } from '../../src/shared/sync/protocol'
import { call, startCentral, type TestCentral } from './helpers'

interface Doc {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, unknown> }>>
  components: { schemas: Record<string, unknown> }
}

const text = readFileSync(OPENAPI_FILE, 'utf8')
const doc = YAML.parse(text) as Doc
const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))

let central: TestCentral
beforeAll(async () => {
  central = await startCentral()
})
afterAll(async () => {
  await central.close()
})

describe('docs/sync-openapi.yaml', () => {
  it('is the document the protocol schemas and the endpoint tables make today', () => {
    expect(text).toBe(renderOpenApi())
  })

  it('has every operation of the server, and the server answers every operation it lists', async () => {
    const served = [...Object.values(ENDPOINTS), ...Object.values(ADMIN_ENDPOINTS)].map((e) => `${e.method} ${e.path}`).sort()
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(served)
    for (const { path, method } of operations) {
      // Without credentials and without a body: refused by the route (400, 401), never "no such route".
      const reply = await call<{ error: { code: string } }>(central, method, path.replace(/\{\w+\}/g, 'x'))
      expect([400, 401], `${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`).toContain(reply.status)
      expect(reply.body.error.code).not.toBe('not_found')
    }
  })

  it('names the same schemas as the zod registry, and every reference resolves', () => {
    const names = Object.keys(doc.components.schemas).sort()
    const zodNames = registryIds()
    const adminNames = Object.entries(ADMIN_ENDPOINTS)
      .filter(([, e]) => 'request' in e)
      .map(([name]) => adminSchemaName(name))
    expect(names).toEqual([...zodNames, ...adminNames].sort())
    for (const e of Object.values(ENDPOINTS)) {
      expect(names).toContain(e.response)
      if ('request' in e) expect(names).toContain(e.request)
    }
    const refs = [...text.matchAll(/\$ref: "#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(50)
    for (const r of refs) expect(names).toContain(r)
  })
})

/** The ids of every schema registered in the protocol's registry. */
function registryIds(): string[] {
  const ids: string[] = []
  // The registry has no iterator: walk the module's exports and keep those it knows.
  for (const value of Object.values(protocol as Record<string, unknown>)) {
    const meta = value && typeof value === 'object' && protocolRegistry.has(value as never) ? protocolRegistry.get(value as never) : undefined
    if (meta) ids.push(meta.id)
  }
  return [...new Set(ids)].sort()
}
