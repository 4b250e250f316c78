import type { Translate } from '../i18n/I18n'
import { RpcError } from '../rpc/errors'

/** What to tell the user about a failed call: the core's message (already translated), or ours. */
export function messageOf(error: unknown, t: Translate): string {
  if (error instanceof RpcError) {
    if (error.code === 'NO_KEY') return t('transport.noKey')
    if (error.code === 'UNREACHABLE') return t('transport.unreachable')
    if (error.message) return error.message
  }
  return t('error.INTERNAL')
}
