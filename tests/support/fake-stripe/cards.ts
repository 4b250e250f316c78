/**
 * What Stripe's test PaymentMethods and test card numbers do, as far as the fake knows it
 * (https://docs.stripe.com/testing). A card present at the simulated reader is given by number.
 */
export interface FakeDecline {
  code: string
  decline_code: string
  message: string
}

export interface FakeCard {
  pm: string
  number: string
  brand: string
  funding: 'credit' | 'debit' | 'prepaid'
  decline?: FakeDecline
  /** Refunds of a charge made with this card fail later (expired_or_canceled_card). */
  refundFails?: boolean
}

const declined = (code: string, decline_code: string, message: string): FakeDecline => ({ code, decline_code, message })

export const FAKE_CARDS: readonly FakeCard[] = [
  { pm: 'pm_card_visa', number: '4242424242424242', brand: 'visa', funding: 'credit' },
  { pm: 'pm_card_visa_debit', number: '4000056655665556', brand: 'visa', funding: 'debit' },
  { pm: 'pm_card_mastercard', number: '5555555555554444', brand: 'mastercard', funding: 'credit' },
  { pm: 'pm_card_mastercard_debit', number: '5200828282828210', brand: 'mastercard', funding: 'debit' },
  { pm: 'pm_card_mastercard_prepaid', number: '5105105105105100', brand: 'mastercard', funding: 'prepaid' },
  { pm: 'pm_card_amex', number: '378282246310005', brand: 'amex', funding: 'credit' },
  { pm: 'pm_card_refundFail', number: '4000000000005126', brand: 'visa', funding: 'credit', refundFails: true },
  {
    pm: 'pm_card_chargeDeclined',
    number: '4000000000000002',
    brand: 'visa',
    funding: 'credit',
    decline: declined('card_declined', 'generic_decline', 'Your card was declined.'),
  },
  {
    pm: 'pm_card_chargeDeclinedInsufficientFunds',
    number: '4000000000009995',
    brand: 'visa',
    funding: 'credit',
    decline: declined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  },
  {
    pm: 'pm_card_chargeDeclinedExpiredCard',
    number: '4000000000000069',
    brand: 'visa',
    funding: 'credit',
    decline: declined('expired_card', 'expired_card', 'Your card has expired.'),
  },
  {
    pm: 'pm_card_chargeDeclinedIncorrectCvc',
    number: '4000000000000127',
    brand: 'visa',
    funding: 'credit',
    decline: declined('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
  },
  {
    pm: 'pm_card_chargeDeclinedProcessingError',
    number: '4000000000000119',
    brand: 'visa',
    funding: 'credit',
    decline: declined('processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
  },
  {
    pm: 'pm_card_chargeDeclinedLostCard',
    number: '4000000000009987',
    brand: 'visa',
    funding: 'credit',
    decline: declined('card_declined', 'lost_card', 'Your card was declined.'),
  },
]

export function cardByPaymentMethod(pm: string): FakeCard | undefined {
  return FAKE_CARDS.find((c) => c.pm === pm)
}

export function cardByNumber(number: string): FakeCard | undefined {
  return FAKE_CARDS.find((c) => c.number === number.replace(/[\s-]/g, ''))
}
