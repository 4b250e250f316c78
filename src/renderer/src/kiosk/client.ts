import type { Input, MethodName, Output } from '../../../shared/contract'
import type { RpcRequest } from '../../../shared/rpc'
import { RpcError } from '../rpc/errors'
import { transport } from '../rpc/transport'

/**
 * The kiosk's own calls: the kiosk token, in memory only, never the staff member's. The core
 * takes this token for the kiosk's methods and nothing else (dispatch), and the staff session's
 * listeners are never told about the kiosk's answers: a kiosk that expires does not sign the
 * office out.
 */
let token: string | undefined

export function setKioskToken(value: string | undefined): void {
  token = value
}

export async function kioskCall<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  if (!token) throw new RpcError('NOT_SIGNED_IN', '')
  const request: RpcRequest = { method, input, session: token }
  let result
  try {
    result = await transport().call(request)
  } catch (error) {
    throw error instanceof RpcError ? error : new RpcError('UNREACHABLE', '')
  }
  if (result.ok) return result.value as Output<M>
  throw new RpcError(result.error.code, result.error.message, result.error.issues)
}
