import { formatMoney } from '../format'
import { MAX_AMOUNT_CENTS } from '../contract/schemas'
import type { refusalsFrCA } from './refusals.fr-CA'

export const refusalsEnCA: Record<keyof typeof refusalsFrCA, string> = {
  'validation.amountNotCents': 'The amount must be in dollars and cents, with no fraction of a cent.',
  'validation.amountNegative': 'The amount cannot be negative.',
  'validation.amountZero': 'Enter an amount other than $0.',
  'validation.amountTooHigh': `The amount cannot be more than ${formatMoney(MAX_AMOUNT_CENTS, 'en-CA')}: check it.`,
  'budget.belowZero':
    'This withdrawal would take the assistance budget below zero: {remainingCents, number, ::currency/CAD scale/0.01} is left. Withdraw that much at most.',
  'error.REQUEST_REFUSED':
    '{reason, select, badRequest {The request could not be read: reload the page and try again.} key {This page does not have Guichet’s key: open the address Guichet printed when it started.} method {This address is not used that way: reload the page.} mediaType {The request is not in the right format: reload the page and try again.} host {Guichet answers only at 127.0.0.1: open the address printed when it started.} tooLarge {The request is too large: choose a smaller file.} notFound {This page does not exist: open the address Guichet printed when it started.} other {The request was refused: reload the page and try again.}}',
}
