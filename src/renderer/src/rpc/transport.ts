import type { RpcResult } from '../../../shared/errors'
import type { GuichetBridge, RpcRequest } from '../../../shared/rpc'
import { RpcError } from './errors'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    guichet?: GuichetBridge
  }
}

const KEY_STORAGE = 'guichet.bridgeKey'

/**
 * Browser mode: the per-run key arrives once in the URL fragment (`#key=…`). It is kept in this
 * tab's sessionStorage (so a reload still works) and removed from the address bar, so it is not
 * left in the history or on screen.
 */
export function takeKeyFromUrl(): string | null {
  const match = /^#key=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (match?.[1]) {
    try {
      window.sessionStorage.setItem(KEY_STORAGE, match[1])
    } catch {
      // Storage refused (private mode): the key lives in memory for this page only.
    }
    window.history.replaceState(null, '', window.location.pathname + window.location.search)
    return match[1]
  }
  try {
    return window.sessionStorage.getItem(KEY_STORAGE)
  } catch {
    return null
  }
}

function httpBridge(key: string | null): GuichetBridge {
  return {
    async call(request: RpcRequest): Promise<RpcResult<unknown>> {
      if (!key) throw new RpcError('NO_KEY', '')
      let response: Response
      try {
        response = await fetch('/rpc', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-guichet-key': key },
          body: JSON.stringify(request),
          cache: 'no-store',
          credentials: 'omit',
        })
      } catch {
        throw new RpcError('UNREACHABLE', '')
      }
      if (response.status === 403) throw new RpcError('NO_KEY', '')
      if (!response.ok) {
        // The bridge's own refusals (a body too large…) come as the core's errors do.
        const refusal = (await response.json().catch(() => null)) as RpcResult<unknown> | null
        if (refusal?.ok === false) return refusal
        throw new RpcError('UNREACHABLE', '')
      }
      return (await response.json()) as RpcResult<unknown>
    },
  }
}

let bridge: GuichetBridge | undefined

/**
 * Chooses the bridge: the Electron preload's when there is one, else the loopback HTTP bridge.
 * Called once at start-up, before the router reads the fragment (the key must be gone by then).
 */
export function initTransport(): void {
  bridge ??= window.guichet ?? httpBridge(takeKeyFromUrl())
}

export function transport(): GuichetBridge {
  initTransport()
  return bridge as GuichetBridge
}
