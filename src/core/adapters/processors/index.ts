export * from './types'
export * from './test-cards'
export * from './retry'
export {
  createDemoProcessor,
  DEMO_FEE,
  DEMO_TIME_ZONE,
  demoFeeCents,
  DemoProcessor,
  memoryDemoStore,
  nextBusinessDay,
  type DemoPaymentRecord,
  type DemoProcessorOptions,
  type DemoRefundRecord,
  type DemoStore,
} from './demo'
export {
  cardBrandOf,
  createStripeProcessor,
  declineCode,
  parseRetryAfter,
  payoutItem,
  refundResult,
  STRIPE_MINIMUM_CAD_CENTS,
  StripeProcessor,
  toProcessorError,
  type StripeProcessorOptions,
} from './stripe'
