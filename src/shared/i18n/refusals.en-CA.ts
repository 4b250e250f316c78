import type { bridgeFrCA } from './bridge.fr-CA'

export const bridgeEnCA: Record<keyof typeof bridgeFrCA, string> = {
  'error.REQUEST_REFUSED':
    '{reason, select, badRequest {The request could not be read: reload the page and try again.} key {This page does not have Guichet’s key: open the address Guichet printed when it started.} method {This address is not used that way: reload the page.} mediaType {The request is not in the right format: reload the page and try again.} host {Guichet answers only at 127.0.0.1: open the address printed when it started.} tooLarge {The request is too large: choose a smaller file.} notFound {This page does not exist: open the address Guichet printed when it started.} other {The request was refused: reload the page and try again.}}',
}
