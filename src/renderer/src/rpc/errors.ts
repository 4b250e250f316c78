import type { ErrorCode, FieldIssue } from '../../../shared/errors'

/**
 * Codes the renderer adds for failures that never reached the core: the bridge did not answer,
 * or (browser mode) the page was opened without its access key.
 */
export type TransportCode = 'UNREACHABLE' | 'NO_KEY'

/**
 * A failed call. For core errors the message is already in the caller's language; transport
 * failures carry no message and the UI takes one from its catalog.
 */
export class RpcError extends Error {
  constructor(
    readonly code: ErrorCode | TransportCode,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message)
    this.name = 'RpcError'
  }
}
