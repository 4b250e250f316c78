import type { Input, MethodName, Output } from '../../../shared/contract'
import { DEFAULT_LOCALE, type Locale } from '../../../shared/i18n'
import type { RpcRequest } from '../../../shared/rpc'
import { RpcError } from './errors'
import { transport } from './transport'

export { RpcError }

/** The session token lives here, in memory only: a reload or a restart means signing in again. */
let token: string | undefined
let locale: Locale = DEFAULT_LOCALE

type SessionListener = (error: RpcError) => void
const sessionListeners = new Set<SessionListener>()

export function setSessionToken(value: string | undefined): void {
  token = value
}

/** The locale sent with each call, used by the core for messages before anyone signs in. */
export function setClientLocale(value: Locale): void {
  locale = value
}

/**
 * Told when a call of the current session comes back NOT_SIGNED_IN or SESSION_LOCKED, whichever
 * screen made it, so the app can show the sign-in or the lock screen.
 */
export function onSessionProblem(listener: SessionListener): () => void {
  sessionListeners.add(listener)
  return () => sessionListeners.delete(listener)
}

/** One typed call across the bridge: the value on success, a RpcError otherwise. */
export async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const session = token
  const request: RpcRequest = { method, input, locale, ...(session ? { session } : {}) }
  let result
  try {
    result = await transport().call(request)
  } catch (error) {
    throw error instanceof RpcError ? error : new RpcError('UNREACHABLE', '')
  }
  if (result.ok) return result.value as Output<M>
  const error = new RpcError(result.error.code, result.error.message, result.error.issues)
  // Only the session still in use matters: an answer for a session already left is ignored.
  if ((error.code === 'NOT_SIGNED_IN' || error.code === 'SESSION_LOCKED') && session !== undefined && session === token) {
    for (const listener of sessionListeners) listener(error)
  }
  throw error
}
