import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import YAML from 'yaml'
import { z } from 'zod'
import { DEFAULT_PAGE_SIZE, ENDPOINTS, MAX_PAGE_SIZE, OPT_IN_ENTITIES, PROTOCOL_VERSION, protocolRegistry, type Endpoint } from '../src/shared/sync/protocol'
import { FAULT_HEADER } from './faults'
import { ADMIN_ENDPOINTS, type AdminEndpoint } from './server'

/**
 * docs/sync-openapi.yaml, made from the protocol's zod schemas and the two endpoint tables, so
 * that the document and the code cannot drift (a test compares them).
 *   npx tsx central/openapi.ts --write    writes the file
 *   npx tsx central/openapi.ts --check    exits 1 when the file is not up to date
 */

export const OPENAPI_FILE = resolve(__dirname, '../docs/sync-openapi.yaml')

type Json = Record<string, unknown>

/** Readable JSON Schema: no $schema/$id per component, no regexes behind formats, objects open (readers ignore unknown fields). */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy)
  if (!node || typeof node !== 'object') return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === '$schema' || key === '$id') continue
    if (key === 'additionalProperties' && value === false) continue
    if (key === 'pattern' && ['date-time', 'date', 'uuid'].includes(String((node as Json).format))) continue
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue
    out[key] = tidy(value)
  }
  return out
}

const adminRegistry = z.registry<{ id: string }>()

function schemas(): Record<string, unknown> {
  const uri = (id: string) => `#/components/schemas/${id}`
  // What a reader accepts (io: 'input'): a field with a default (creditCents, tender) may be left
  // out by an older peer, so the document must not list it as required.
  const protocol = z.toJSONSchema(protocolRegistry, { uri, unrepresentable: 'any', metadata: protocolRegistry, io: 'input' }).schemas
  for (const [name, e] of Object.entries(ADMIN_ENDPOINTS) as Array<[string, AdminEndpoint]>) {
    if (e.request && !adminRegistry.has(e.request)) adminRegistry.add(e.request, { id: adminSchemaName(name) })
  }
  const admin = z.toJSONSchema(adminRegistry, { uri, unrepresentable: 'any' }).schemas
  return tidy({ ...protocol, ...admin }) as Record<string, unknown>
}

export function adminSchemaName(endpoint: string): string {
  return `Admin${endpoint[0]!.toUpperCase()}${endpoint.slice(1)}Request`
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const error = (description: string, headers?: Json) => ({ description, content: json(ref('ErrorBody')), ...(headers ? { headers } : {}) })

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }))
}

function protocolOperation(name: string, e: Endpoint): Json {
  const parameters: Json[] = [...pathParameters(e.path)]
  if (name === 'changes') {
    parameters.push(
      { name: 'after', in: 'query', required: false, description: 'The stored cursor (lastSeq of the last page applied); 0 bootstraps.', schema: { type: 'integer', minimum: 0, default: 0 } },
      { name: 'limit', in: 'query', required: false, description: 'Changes per page.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
      {
        name: 'with',
        in: 'query',
        required: false,
        description: `Comma-separated entities added after protocol v1's first list that the client reads (${OPT_IN_ENTITIES.join(', ')}); the others are left out of its pages (an older client's parser refuses an entity it does not know). lastSeq still moves past them.`,
        schema: { type: 'string', default: '' },
      },
    )
  }
  parameters.push({ $ref: '#/components/parameters/FaultHeader' })
  const responses: Json = { [String(e.status)]: { description: 'OK', content: json(ref(e.response)) } }
  responses['400'] = error('bad_request: the request does not follow the schema')
  if (e.auth === 'device') responses['401'] = error('unauthorized: missing, unknown or revoked token — stop and ask staff to enrol again')
  if (name === 'enroll') responses['403'] = error('enrollment_code_invalid: unknown, used or expired code')
  if (e.path.includes('{schoolId}')) responses['403'] = error('forbidden_school: the device is not enrolled for that school')
  responses['429'] = error('rate_limited: retry after the Retry-After header (seconds)', { 'Retry-After': { schema: { type: 'integer', minimum: 0 } } })
  responses['500'] = error('internal: retry with exponential backoff and jitter')
  return {
    operationId: name,
    summary: e.summary,
    tags: ['protocol'],
    security: e.auth === 'device' ? [{ device: [] }] : [],
    parameters,
    ...(e.request ? { requestBody: { required: true, content: json(ref(e.request)) } } : {}),
    responses,
  }
}

function adminOperation(name: string, e: AdminEndpoint): Json {
  return {
    operationId: `admin_${name}`,
    summary: e.summary,
    tags: ['reference-server'],
    security: [{ admin: [] }],
    parameters: pathParameters(e.path),
    ...(e.request ? { requestBody: { required: true, content: json(ref(adminSchemaName(name))) } } : {}),
    responses: { [String(e.status)]: { description: 'OK', content: json({ type: 'object' }) }, '401': error('unauthorized: admin key required') },
  }
}

export function buildOpenApi(): Json {
  const paths: Record<string, Json> = {}
  const add = (path: string, method: string, op: Json) => {
    paths[path] = { ...(paths[path] ?? {}), [method.toLowerCase()]: op }
  }
  for (const [name, e] of Object.entries(ENDPOINTS) as Array<[string, Endpoint]>) add(e.path, e.method, protocolOperation(name, e))
  for (const [name, e] of Object.entries(ADMIN_ENDPOINTS) as Array<[string, AdminEndpoint]>) add(e.path, e.method, adminOperation(name, e))
  return {
    openapi: '3.1.0',
    info: {
      title: "The board's central API (Guichet sync)",
      version: String(PROTOCOL_VERSION),
      description: [
        'Protocol v1 between Guichet (the school office PC) and the board\'s central API. The contract in prose is SYNC.md; this document is generated from',
        'src/shared/sync/protocol.ts (npx tsx central/openapi.ts --write). Pull: the change feed per school, a page applied and its lastSeq stored in one',
        'transaction. Push: outbox mutations, each id applied once forever. Operations tagged reference-server exist only on the reference server',
        '(npm run central): they drive tests and demos.',
      ].join(' '),
    },
    servers: [{ url: 'http://127.0.0.1:5190', description: 'npm run central (the reference server)' }],
    tags: [
      { name: 'protocol', description: 'Protocol v1: what the board implements and Guichet calls.' },
      { name: 'reference-server', description: 'Only on the reference server: enrolment codes, revocation, fault injection, the parent simulator.' },
    ],
    paths,
    components: {
      securitySchemes: {
        device: { type: 'http', scheme: 'bearer', description: 'The token from POST /v1/devices.' },
        admin: { type: 'http', scheme: 'bearer', description: 'The reference server\'s admin key (printed at start).' },
      },
      parameters: {
        FaultHeader: {
          name: FAULT_HEADER,
          in: 'header',
          required: false,
          description: 'Reference server only: inject a fault into this request (drop, drop_response, delay=ms, error_500, rate_limit=seconds, page_twice).',
          schema: { type: 'string' },
        },
      },
      schemas: schemas(),
    },
  }
}

export function renderOpenApi(): string {
  const header = '# Generated from src/shared/sync/protocol.ts and central/server.ts by `npx tsx central/openapi.ts --write`. Do not edit.\n'
  return header + YAML.stringify(buildOpenApi(), { lineWidth: 0, aliasDuplicateObjects: false })
}

if (require.main === module) {
  const text = renderOpenApi()
  if (process.argv.includes('--write')) {
    writeFileSync(OPENAPI_FILE, text)
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`)
  } else if (process.argv.includes('--check')) {
    const current = readFileSync(OPENAPI_FILE, 'utf8')
    if (current !== text) {
      process.stderr.write(`${OPENAPI_FILE} is out of date: npx tsx central/openapi.ts --write\n`)
      process.exit(1)
    }
  } else process.stdout.write(text)
}
