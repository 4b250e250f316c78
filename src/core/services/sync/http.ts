import { ChangesPage, EnrollResponse, ErrorBody, MutationsResponse, OPT_IN_ENTITIES, endpointPath, type MutationEnvelope } from '../../../shared/sync/protocol'
import type { z } from 'zod'

/** Why a call to the board failed, as the sync engine needs to know it. */
export class CentralError extends Error {
  constructor(
    /** unauthorized: stop and ask to enrol again; retryable: back off and retry; fatal: give up this run. */
    readonly kind: 'unauthorized' | 'retryable' | 'fatal',
    readonly code: string,
    message: string,
    /** From Retry-After (429, 503). */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'CentralError'
  }
}

export interface CentralClientOptions {
  baseUrl: string
  token?: string
  timeoutMs?: number
  fetch?: typeof fetch
}

/** The protocol's four calls over node's fetch, with a time-out on each; answers are parsed with the protocol's schemas. */
export class CentralClient {
  constructor(private readonly options: CentralClientOptions) {}

  private async request<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown, okStatus = 200): Promise<z.infer<T>> {
    const url = new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`)
    const doFetch = this.options.fetch ?? fetch
    let res: Response
    let text: string
    try {
      res = await doFetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      })
      text = await res.text()
    } catch (error) {
      const name = (error as Error).name
      throw new CentralError('retryable', name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network', (error as Error).message)
    }
    const json = ((): unknown => {
      try {
        return text ? JSON.parse(text) : undefined
      } catch {
        return undefined
      }
    })()
    if (res.status === okStatus) {
      const parsed = schema.safeParse(json)
      // A cut or garbled answer is a transport failure: the request is retried (ids make it safe).
      if (!parsed.success) throw new CentralError('retryable', 'bad_response', `unexpected answer from the board: ${parsed.error.message.slice(0, 200)}`)
      return parsed.data
    }
    const error = ErrorBody.safeParse(json)
    const code = error.success ? error.data.error.code : `http_${res.status}`
    const message = error.success ? error.data.error.message : `HTTP ${res.status}`
    if (res.status === 401) throw new CentralError('unauthorized', code, message)
    if (res.status === 429 || res.status >= 500) {
      const header = res.headers.get('retry-after')
      const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : error.success ? error.data.error.retryAfterSeconds : undefined
      throw new CentralError('retryable', code, message, seconds !== undefined ? seconds * 1000 : undefined)
    }
    throw new CentralError('fatal', code, message)
  }

  enroll(enrollmentCode: string, deviceName: string): Promise<z.infer<typeof EnrollResponse>> {
    return this.request('POST', endpointPath('enroll').slice(1), EnrollResponse, { enrollmentCode, deviceName }, 201)
  }

  changes(schoolId: string, after: number, limit: number): Promise<ChangesPage> {
    return this.request('GET', `${endpointPath('changes', { schoolId }).slice(1)}?after=${after}&limit=${limit}&with=${OPT_IN_ENTITIES.join(',')}`, ChangesPage)
  }

  mutations(schoolId: string, mutations: MutationEnvelope[]): Promise<MutationsResponse> {
    return this.request('POST', endpointPath('mutations', { schoolId }).slice(1), MutationsResponse, { mutations })
  }
}
