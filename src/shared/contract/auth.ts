import { z } from 'zod'
import { method } from './method'
import { Language, SessionView, StaffView } from './schemas'

export const authMethods = {
  'auth.signIn': method({
    kind: 'command',
    access: 'public',
    input: z.object({ username: z.string().trim().min(1).max(80), password: z.string().min(1).max(200) }).strict(),
    output: SessionView,
  }),
  'auth.signOut': method({
    kind: 'command',
    access: 'session',
    whileLocked: true,
    beforePasswordChange: true,
    input: z.object({}).strict(),
    output: z.object({ signedOut: z.literal(true) }),
  }),
  'auth.unlock': method({
    kind: 'command',
    access: 'session',
    whileLocked: true,
    beforePasswordChange: true,
    input: z.object({ password: z.string().min(1).max(200) }).strict(),
    output: SessionView,
  }),
  /** The current session, locked or not; also how the UI learns it was locked by inactivity. */
  'auth.session': method({
    kind: 'query',
    access: 'session',
    whileLocked: true,
    beforePasswordChange: true,
    input: z.object({}).strict(),
    output: SessionView,
  }),
  'auth.setLanguage': method({
    kind: 'command',
    access: 'session',
    beforePasswordChange: true,
    input: z.object({ language: Language }).strict(),
    output: StaffView,
  }),
}
