export * from './types'
export * from './test-cards'
export * from './retry'
export { createDemoProcessor, DemoProcessor, memoryDemoStore, type DemoProcessorOptions, type DemoStore } from './demo'
export {
  cardBrandOf,
  createStripeProcessor,
  declineCode,
  parseRetryAfter,
  refundResult,
  STRIPE_MINIMUM_CAD_CENTS,
  StripeProcessor,
  toProcessorError,
  type StripeProcessorOptions,
} from './stripe'
