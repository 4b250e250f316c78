import { fastRng, type Rng } from '../src/core/demo/random'

/**
 * Fault injection for the reference server: the failures SYNC.md says a client must survive.
 *
 * - `drop`: the request is not processed; the socket is destroyed, no response.
 * - `drop_response`: the request is processed and committed, then the socket is destroyed
 *   before the response (the replay must get `duplicate`).
 * - `delay`: the request is processed after `delayMs`.
 * - `error_500`: 500, nothing processed.
 * - `rate_limit`: 429 with Retry-After, nothing processed.
 * - `page_twice` (change feed only): the previous page this device got for the school is
 *   delivered again, whatever the cursor asked.
 *
 * A fault is chosen for each protocol request, first match wins: the request's own
 * `x-central-fault` header (`drop`, `delay=250`, `rate_limit=2`…), then the next scripted fault
 * for that endpoint (`inject`), then a draw from the seeded probabilities (`configure`).
 */

export const FAULT_KINDS = ['drop', 'drop_response', 'delay', 'error_500', 'rate_limit', 'page_twice'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface Fault {
  kind: FaultKind
  delayMs?: number
  retryAfterSeconds?: number
}

export interface FaultConfig {
  /** Seed of the draws: the same seed and the same requests give the same faults. */
  seed?: number
  /** Probability of each kind per request (their sum at most 1). */
  rates?: Partial<Record<FaultKind, number>>
  delayMs?: number
  retryAfterSeconds?: number
  /** Endpoints the draws apply to (all protocol endpoints by default). */
  endpoints?: string[]
}

export interface FaultLogEntry {
  n: number
  endpoint: string
  kind: FaultKind
  source: 'header' | 'script' | 'random'
}

export const FAULT_HEADER = 'x-central-fault'

export class Faults {
  private config: Required<Omit<FaultConfig, 'endpoints'>> & { endpoints: string[] | null } = {
    seed: 1,
    rates: {},
    delayMs: 200,
    retryAfterSeconds: 1,
    endpoints: null,
  }
  private rng: Rng = fastRng(1)
  private readonly script: Array<{ fault: Fault; endpoint: string | null; times: number }> = []
  private requests = 0
  readonly log: FaultLogEntry[] = []

  constructor(config?: FaultConfig) {
    if (config) this.configure(config)
  }

  /** Sets the probabilities (and restarts the draws from the seed). */
  configure(config: FaultConfig): void {
    const rates = { ...(config.rates ?? {}) }
    const sum = Object.values(rates).reduce((a, b) => a + (b ?? 0), 0)
    if (sum > 1 || Object.values(rates).some((r) => r === undefined || r < 0)) throw new Error('fault rates are probabilities that add up to at most 1')
    this.config = {
      seed: config.seed ?? this.config.seed,
      rates,
      delayMs: config.delayMs ?? this.config.delayMs,
      retryAfterSeconds: config.retryAfterSeconds ?? this.config.retryAfterSeconds,
      endpoints: config.endpoints ?? null,
    }
    this.rng = fastRng(this.config.seed)
  }

  /** No more random faults, no scripted ones left. */
  off(): void {
    this.configure({ rates: {} })
    this.script.length = 0
  }

  /** The next `times` requests to `endpoint` (any endpoint when omitted) get this fault. */
  inject(fault: Fault | FaultKind, options: { endpoint?: string; times?: number } = {}): void {
    this.script.push({ fault: typeof fault === 'string' ? { kind: fault } : fault, endpoint: options.endpoint ?? null, times: options.times ?? 1 })
  }

  current(): FaultConfig & { scripted: number } {
    return { ...this.config, endpoints: this.config.endpoints ?? undefined, scripted: this.script.reduce((n, s) => n + s.times, 0) }
  }

  /** The fault for this request, if any (and logs it). */
  decide(endpoint: string, header: string | undefined): Fault | null {
    this.requests += 1
    const fromHeader = header ? parseFault(header) : null
    if (fromHeader) return this.logged(endpoint, this.complete(fromHeader), 'header')
    const index = this.script.findIndex((s) => s.endpoint === null || s.endpoint === endpoint)
    if (index >= 0) {
      const entry = this.script[index]!
      entry.times -= 1
      if (entry.times <= 0) this.script.splice(index, 1)
      return this.logged(endpoint, this.complete(entry.fault), 'script')
    }
    if (this.config.endpoints && !this.config.endpoints.includes(endpoint)) return null
    // One draw per request, whatever the endpoint, so that the sequence depends on the request count only.
    let r = this.rng.next()
    for (const kind of FAULT_KINDS) {
      const p = this.config.rates[kind] ?? 0
      if (r < p) {
        if (kind === 'page_twice' && endpoint !== 'changes') return null
        return this.logged(endpoint, this.complete({ kind }), 'random')
      }
      r -= p
    }
    return null
  }

  counts(): Partial<Record<FaultKind, number>> {
    const out: Partial<Record<FaultKind, number>> = {}
    for (const e of this.log) out[e.kind] = (out[e.kind] ?? 0) + 1
    return out
  }

  private complete(fault: Fault): Fault {
    if (fault.kind === 'delay') return { kind: 'delay', delayMs: fault.delayMs ?? this.config.delayMs }
    if (fault.kind === 'rate_limit') return { kind: 'rate_limit', retryAfterSeconds: fault.retryAfterSeconds ?? this.config.retryAfterSeconds }
    return { kind: fault.kind }
  }

  private logged(endpoint: string, fault: Fault, source: FaultLogEntry['source']): Fault {
    this.log.push({ n: this.requests, endpoint, kind: fault.kind, source })
    return fault
  }
}

/** `drop`, `delay=250`, `rate_limit=2`, … as sent in the x-central-fault header. */
export function parseFault(text: string): Fault | null {
  const [name, arg] = text.trim().toLowerCase().split('=') as [string, string | undefined]
  if (!(FAULT_KINDS as readonly string[]).includes(name)) return null
  const kind = name as FaultKind
  const n = arg === undefined ? undefined : Number(arg)
  if (n !== undefined && (!Number.isFinite(n) || n < 0)) return null
  if (kind === 'delay') return n === undefined ? { kind } : { kind, delayMs: n }
  if (kind === 'rate_limit') return n === undefined ? { kind } : { kind, retryAfterSeconds: Math.round(n) }
  return { kind }
}
