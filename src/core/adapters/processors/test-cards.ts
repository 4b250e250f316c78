import type { CardBrand, DeclineCode } from './types'

/**
 * The test cards, the same for the demo processor and for Stripe in test mode. Stripe's numbers
 * and behaviours (https://docs.stripe.com/testing); in test mode the Stripe adapter sends the
 * matching test PaymentMethod id, never the number.
 *
 * | card                | brand              | outcome                                                       | Stripe test PaymentMethod                 |
 * |---------------------|--------------------|---------------------------------------------------------------|-------------------------------------------|
 * | 4242 4242 4242 4242 | visa               | approved                                                      | pm_card_visa                              |
 * | 4000 0566 5566 5556 | visa_debit         | approved                                                      | pm_card_visa_debit                        |
 * | 5555 5555 5555 4444 | mastercard         | approved                                                      | pm_card_mastercard                        |
 * | 5105 1051 0510 5100 | mastercard_prepaid | approved                                                      | pm_card_mastercard_prepaid                |
 * | 4000 0000 0000 5126 | visa               | approved; its refunds fail later (pending, then failed with   | pm_card_refundFail                        |
 * |                     |                    | failureCode 'expired_or_canceled_card')                       |                                           |
 * | 4000 0000 0000 0002 | visa               | declined: card_declined                                       | pm_card_chargeDeclined                    |
 * | 4000 0000 0000 9995 | visa               | declined: insufficient_funds                                  | pm_card_chargeDeclinedInsufficientFunds   |
 * | 4000 0000 0000 0069 | visa               | declined: expired_card                                        | pm_card_chargeDeclinedExpiredCard         |
 * | 4000 0000 0000 0127 | visa               | declined: incorrect_cvc                                       | pm_card_chargeDeclinedIncorrectCvc        |
 * | 4000 0000 0000 0119 | visa               | declined: processing_error                                    | pm_card_chargeDeclinedProcessingError     |
 */
export interface TestCard {
  number: string
  brand: CardBrand
  last4: string
  outcome: 'approved' | 'declined'
  declineCode?: DeclineCode
  refundsFailLater?: boolean
  stripePaymentMethod: string
  label: string
}

const card = (number: string, brand: CardBrand, stripePaymentMethod: string, label: string, rest: Partial<TestCard> = {}): TestCard => ({
  number,
  brand,
  last4: number.slice(-4),
  outcome: rest.declineCode ? 'declined' : 'approved',
  stripePaymentMethod,
  label,
  ...rest,
})

export const DEMO_CARDS: readonly TestCard[] = [
  card('4242424242424242', 'visa', 'pm_card_visa', 'Visa, approved'),
  card('4000056655665556', 'visa_debit', 'pm_card_visa_debit', 'Visa Debit, approved'),
  card('5555555555554444', 'mastercard', 'pm_card_mastercard', 'Mastercard, approved'),
  card('5105105105105100', 'mastercard_prepaid', 'pm_card_mastercard_prepaid', 'Mastercard prepaid, approved'),
  card('4000000000005126', 'visa', 'pm_card_refundFail', 'Visa, approved; refunds fail later', { refundsFailLater: true }),
  card('4000000000000002', 'visa', 'pm_card_chargeDeclined', 'Declined', { declineCode: 'card_declined' }),
  card('4000000000009995', 'visa', 'pm_card_chargeDeclinedInsufficientFunds', 'Insufficient funds', { declineCode: 'insufficient_funds' }),
  card('4000000000000069', 'visa', 'pm_card_chargeDeclinedExpiredCard', 'Expired card', { declineCode: 'expired_card' }),
  card('4000000000000127', 'visa', 'pm_card_chargeDeclinedIncorrectCvc', 'Incorrect CVC', { declineCode: 'incorrect_cvc' }),
  card('4000000000000119', 'visa', 'pm_card_chargeDeclinedProcessingError', 'Processing error', { declineCode: 'processing_error' }),
]

/** The number without spaces or dashes. */
export function normalizeCardNumber(card: string): string {
  return card.replace(/[\s-]/g, '')
}

export function findTestCard(card: string): TestCard | undefined {
  const number = normalizeCardNumber(card)
  return DEMO_CARDS.find((c) => c.number === number)
}
