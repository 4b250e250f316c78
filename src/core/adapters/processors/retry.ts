import { isTransient, type TransientProcessorError } from './types'

/**
 * The one retry loop for processor calls. Only a `TransientProcessorError` is retried, always by
 * calling the same operation again (same idempotency key, same parameters): a refusal or any
 * other error goes straight back to the caller. Delays grow exponentially with jitter and never
 * come before a Retry-After.
 *
 * When the attempts run out, the last transient error is thrown: the refund stays pending
 * locally and the caller tries again later (a later session, after a restart) with the same key.
 * `refund()` itself looks the refund up before creating one once the key may have been forgotten
 * (24 h), so those late retries are safe too.
 */
export interface RetryPolicy {
  /** Calls in all, the first one included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 }

/** The wait after the `attempt`-th call failed (1 for the first call). */
export function retryDelayMs(error: TransientProcessorError, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2))
  return Math.max(jittered, error.retryAfterMs ?? 0)
}

export interface RetryOptions {
  policy?: RetryPolicy
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Told before each wait: for a progress line or a log without card data. */
  onRetry?: (error: TransientProcessorError, attempt: number, delayMs: number) => void
}

export async function withRetries<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (!isTransient(error) || attempt >= policy.maxAttempts) throw error
      const delayMs = retryDelayMs(error, attempt, policy, options.random)
      options.onRetry?.(error, attempt, delayMs)
      await sleep(delayMs)
    }
  }
}
