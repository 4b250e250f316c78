import type { z } from 'zod'

export const ROLES = ['secretary', 'principal', 'admin'] as const
export type Role = (typeof ROLES)[number]

/**
 * Who may call a method. `public` needs no session (signing in); `session` is any signed-in
 * staff member; otherwise the list of roles allowed. A locked session may call only the methods
 * marked `whileLocked`. `kiosk` is a kiosk session and nothing else: a kiosk token opens only
 * the kiosk's methods, and the kiosk's methods open to no staff token (issue 7).
 */
export type Access = 'public' | 'session' | 'kiosk' | readonly Role[]

/** A query reads; a command changes data and runs in one write transaction with its audit rows. */
export type MethodKind = 'query' | 'command'

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
  access: Access
  kind: MethodKind
  whileLocked?: boolean
  /** Callable by a session that signed in with a one-time password before it is changed. */
  beforePasswordChange?: boolean
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec
}
