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

/**
 * The same, but when the core names the fields that are wrong, their own messages ("Le nom de
 * l’accompagnateur est obligatoire.") rather than the call's general one.
 */
export function fieldMessagesOf(error: unknown, t: Translate): string {
  return error instanceof RpcError && error.issues.length ? error.issues.map((i) => i.message).join(' ') : messageOf(error, t)
}
