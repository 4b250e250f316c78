import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import {
  ChangesQuery,
  ENDPOINTS,
  EnrollRequest,
  MutationsRequest,
  PROTOCOL_VERSION,
  type Endpoint,
  type EndpointName,
  type ErrorCode,
  type ErrorBody,
} from '../src/shared/sync/protocol'
import { FAULT_HEADER, FAULT_KINDS, Faults, type Fault } from './faults'
import { applyMutations, zodIssues } from './mutations'
import type { ParentSimulator } from './simulator'
import type { CentralStore, Device } from './store'

/**
 * The reference central server: protocol v1 over Node's http, on one CentralStore.
 * Two handler maps: the protocol's (`ENDPOINTS`, shared with the client) and the reference
 * server's own admin routes (enrolment codes, revocation, faults, the simulator), which need
 * the admin key. Faults apply to protocol routes only.
 */

export interface CentralServerOptions {
  store: CentralStore
  faults?: Faults
  /** Admin routes need `Authorization: Bearer <adminKey>`; a random key by default. */
  adminKey?: string
  /** Plays the parents when an admin asks (`POST /admin/simulate`). */
  simulator?: ParentSimulator
  host?: string
  port?: number
  /** Largest request body, in bytes. */
  maxBodyBytes?: number
  /** Unexpected errors (500s that are not injected). */
  logError?: (error: unknown) => void
}

export interface CentralServer {
  url: string
  port: number
  adminKey: string
  store: CentralStore
  faults: Faults
  close(): Promise<void>
}

interface Reply {
  status: number
  body?: unknown
  /** A body already serialised (the feed's pages). */
  json?: string
  headers?: Record<string, string>
}

interface Ctx {
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  device: Device | null
  fault: Fault | null
}

type Handler = (ctx: Ctx) => Reply | Promise<Reply>

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Array<{ path: Array<string | number>; code: string }>,
  ) {
    super(message)
  }
}

// ---- admin routes (reference server only) ------------------------------------------------------

export const AdminCodeRequest = z.object({ schoolIds: z.array(z.string()).min(1).optional(), ttlMinutes: z.number().positive().optional() })
export const AdminFaultConfig = z.object({
  seed: z.int().optional(),
  rates: z.partialRecord(z.enum(FAULT_KINDS), z.number().min(0).max(1)).optional(),
  delayMs: z.int().min(0).max(60_000).optional(),
  retryAfterSeconds: z.int().min(0).max(3600).optional(),
  endpoints: z.array(z.string()).optional(),
})
export const AdminInjectRequest = z.object({
  kind: z.enum(FAULT_KINDS),
  endpoint: z.string().optional(),
  times: z.int().min(1).max(1000).optional(),
  delayMs: z.int().min(0).max(60_000).optional(),
  retryAfterSeconds: z.int().min(0).max(3600).optional(),
})
export const AdminSimulateRequest = z.object({ minutes: z.number().positive().max(60 * 24 * 60) })
export const AdminOfferingEdit = z.object({
  titleFr: z.string().min(1).max(200).optional(),
  titleEn: z.string().max(200).nullable().optional(),
  descriptionFr: z.string().max(5000).optional(),
  deadlineAt: z.iso.datetime({ offset: true }).optional(),
})

export interface AdminEndpoint {
  method: 'GET' | 'POST' | 'PUT'
  path: string
  summary: string
  request?: z.ZodType
  status: number
}

export const ADMIN_ENDPOINTS = {
  createEnrollmentCode: { method: 'POST', path: '/admin/enrollment-codes', summary: 'Make a single-use enrolment code for some schools (all by default)', request: AdminCodeRequest, status: 201 },
  revokeDevice: { method: 'POST', path: '/admin/devices/{deviceId}/revoke', summary: "Revoke a device: its token gets 401 from then on", status: 200 },
  getFaults: { method: 'GET', path: '/admin/faults', summary: 'The fault configuration and what was injected so far', status: 200 },
  setFaults: { method: 'PUT', path: '/admin/faults', summary: 'Set the seeded fault probabilities (empty rates: no faults)', request: AdminFaultConfig, status: 200 },
  injectFault: { method: 'POST', path: '/admin/faults/next', summary: 'Script a fault for the next requests (to one endpoint or any)', request: AdminInjectRequest, status: 200 },
  simulate: { method: 'POST', path: '/admin/simulate', summary: "Play the parents for some minutes of the simulator's virtual clock", request: AdminSimulateRequest, status: 200 },
  emails: { method: 'GET', path: '/admin/emails', summary: 'The emails the board would have sent (never sent)', status: 200 },
  editOffering: { method: 'POST', path: '/admin/offerings/{offeringId}/edit', summary: 'Edit a published item on the board side (makes a version conflict for the office)', request: AdminOfferingEdit, status: 200 },
} as const satisfies Record<string, AdminEndpoint>
type AdminName = keyof typeof ADMIN_ENDPOINTS

// ---- the server --------------------------------------------------------------------------------

export function startCentralServer(options: CentralServerOptions): Promise<CentralServer> {
  const { store } = options
  const faults = options.faults ?? new Faults()
  const adminKey = options.adminKey ?? randomBytes(18).toString('base64url')
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024
  /** The last page each device got for each school: what `page_twice` delivers again. */
  const lastPages = new Map<string, string>()

  const schoolOf = (ctx: Ctx): string => {
    const schoolId = ctx.params.schoolId!
    if (!ctx.device!.schoolIds.includes(schoolId)) throw new HttpError(403, 'forbidden_school', 'this device is not enrolled for that school')
    return schoolId
  }

  const protocol: Record<EndpointName, Handler> = {
    async enroll(ctx) {
      const input = parse(EnrollRequest, ctx.body)
      const enrolled = await store.enroll(input.enrollmentCode, input.deviceName)
      if (!enrolled) throw new HttpError(403, 'enrollment_code_invalid', 'unknown, used or expired enrolment code')
      return { status: 201, body: { deviceId: enrolled.device.id, token: enrolled.token, schools: await schoolRefs(store, enrolled.device.schoolIds) } }
    },
    async device(ctx) {
      const d = ctx.device!
      return { status: 200, body: { deviceId: d.id, deviceName: d.name, schools: await schoolRefs(store, d.schoolIds), protocolVersion: PROTOCOL_VERSION } }
    },
    async changes(ctx) {
      const schoolId = schoolOf(ctx)
      const query = parse(ChangesQuery, Object.fromEntries(ctx.query))
      const key = `${ctx.device!.id}:${schoolId}`
      const previous = lastPages.get(key)
      if (ctx.fault?.kind === 'page_twice' && previous) return { status: 200, json: previous }
      const page = await store.pageJson(schoolId, query.after, query.limit, query.with)
      lastPages.set(key, page.json)
      return { status: 200, json: page.json }
    },
    async mutations(ctx) {
      const schoolId = schoolOf(ctx)
      const input = parse(MutationsRequest, ctx.body)
      return { status: 200, body: { results: await applyMutations(store, ctx.device!, schoolId, input.mutations) } }
    },
  }

  const admin: Record<AdminName, Handler> = {
    async createEnrollmentCode(ctx) {
      const input = parse(AdminCodeRequest, ctx.body ?? {})
      for (const id of input.schoolIds ?? []) if (!(await store.school(id))) throw new HttpError(404, 'not_found', `no school ${id}`)
      return { status: 201, body: await store.createEnrollmentCode({ schoolIds: input.schoolIds, ttlMs: input.ttlMinutes === undefined ? undefined : input.ttlMinutes * 60_000 }) }
    },
    async revokeDevice(ctx) {
      if (!(await store.revokeDevice(ctx.params.deviceId!))) throw new HttpError(404, 'not_found', 'no such device, or already revoked')
      return { status: 200, body: { revoked: true } }
    },
    getFaults() {
      return { status: 200, body: { config: faults.current(), counts: faults.counts(), log: faults.log.slice(-200) } }
    },
    setFaults(ctx) {
      faults.configure(parse(AdminFaultConfig, ctx.body))
      return { status: 200, body: { config: faults.current() } }
    },
    injectFault(ctx) {
      const input = parse(AdminInjectRequest, ctx.body)
      const { endpoint, times, ...fault } = input
      faults.inject(fault, { endpoint, times })
      return { status: 200, body: { config: faults.current() } }
    },
    async simulate(ctx) {
      if (!options.simulator) throw new HttpError(404, 'not_found', 'this server runs without a simulator')
      const input = parse(AdminSimulateRequest, ctx.body)
      const events = await options.simulator.advance(input.minutes * 60_000)
      return { status: 200, body: { now: store.nowIso(), events: events.length, byKind: countBy(events.map((e) => e.kind)) } }
    },
    async emails(ctx) {
      return { status: 200, body: { emails: await store.emails(ctx.query.get('schoolId') ?? undefined) } }
    },
    async editOffering(ctx) {
      const edit = parse(AdminOfferingEdit, ctx.body)
      const current = await store.record('offering', ctx.params.offeringId!)
      if (!current) throw new HttpError(404, 'not_found', 'no such offering')
      const { version, ...rest } = current
      await store.put('offering', { ...rest, ...edit, version: version + 1 }, { version: version + 1 })
      return { status: 200, body: { id: current.id, version: version + 1 } }
    },
  }

  const protocolRoutes = (Object.entries(ENDPOINTS) as Array<[EndpointName, Endpoint]>).map(([name, e]) => ({ name, method: e.method, pattern: e.path, auth: e.auth as 'none' | 'device' | 'admin', handler: protocol[name], faulty: true }))
  const adminRoutes = (Object.entries(ADMIN_ENDPOINTS) as Array<[AdminName, AdminEndpoint]>).map(([name, e]) => ({ name, method: e.method, pattern: e.path, auth: 'admin' as const, handler: admin[name], faulty: false }))
  const routes = [...protocolRoutes, ...adminRoutes]

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://central')
    const matches = routes.map((r) => ({ route: r, params: match(r.pattern, url.pathname) })).filter((m) => m.params !== null)
    if (matches.length === 0) return send(res, errorReply(new HttpError(404, 'not_found', 'no such route')))
    const found = matches.find((m) => m.route.method === req.method)
    if (!found) return send(res, { ...errorReply(new HttpError(405, 'method_not_allowed', 'method not allowed')), headers: { allow: matches.map((m) => m.route.method).join(', ') } })
    const { route, params } = found

    const fault = route.faulty ? faults.decide(route.name, headerOf(req, FAULT_HEADER)) : null
    if (fault?.kind === 'drop') return void req.socket.destroy()
    if (fault?.kind === 'error_500') return send(res, errorReply(new HttpError(500, 'internal', 'injected fault')))
    if (fault?.kind === 'rate_limit') {
      const seconds = fault.retryAfterSeconds ?? 1
      const body: ErrorBody = { error: { code: 'rate_limited', message: 'slow down', retryAfterSeconds: seconds } }
      return send(res, { status: 429, body, headers: { 'retry-after': String(seconds) } })
    }
    if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 0)

    let reply: Reply
    try {
      const body = await readJson(req, maxBody)
      let device: Device | null = null
      if (route.auth === 'device') {
        device = (await store.authenticate(bearer(req) ?? '')) ?? null
        if (!device) throw new HttpError(401, 'unauthorized', 'missing, unknown or revoked token')
      } else if (route.auth === 'admin' && bearer(req) !== adminKey) {
        throw new HttpError(401, 'unauthorized', 'admin key required')
      }
      reply = await route.handler({ params: params!, query: url.searchParams, body, device, fault })
    } catch (error) {
      if (!(error instanceof HttpError)) options.logError?.(error)
      reply = errorReply(error)
    }
    // Committed, and the answer is lost on the way back.
    if (fault?.kind === 'drop_response') return void req.socket.destroy()
    send(res, reply)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logError?.(error)
      if (!res.headersSent) send(res, errorReply(error))
    })
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `http://${options.host ?? '127.0.0.1'}:${port}`,
        port,
        adminKey,
        store,
        faults,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

// ---- helpers -----------------------------------------------------------------------------------

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw new HttpError(400, 'bad_request', 'the request does not follow the schema', zodIssues(result.error))
  return result.data
}

async function schoolRefs(store: CentralStore, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  const names = new Map((await store.schools()).map((s) => [s.id, s.name]))
  return ids.map((id) => ({ id, name: names.get(id) ?? id }))
}

/** `/v1/schools/{schoolId}/changes` against a path: its parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!
    const g = got[i]!
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return null
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g)
      } catch {
        return null
      }
    } else if (w !== g) return null
  }
  return params
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = headerOf(req, 'authorization')
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
}

async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > max) throw new HttpError(413, 'payload_too_large', `more than ${max} bytes`)
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'bad_request', 'the body is not JSON')
  }
}

function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } }
    return { status: error.status, body }
  }
  const body: ErrorBody = { error: { code: 'internal', message: 'internal error' } }
  return { status: 500, body }
}

function send(res: ServerResponse, reply: Reply): void {
  const text = reply.json ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(reply.headers ?? {}),
  })
  res.end(text)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function countBy(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const i of items) out[i] = (out[i] ?? 0) + 1
  return out
}
