import { z } from 'zod'
import { method } from './method'
import { Id, Instant, Language, Role, SessionView } from './schemas'

/** A staff account as the admin's screen shows it: never its password or PIN, only whether one is set. */
export const StaffAccount = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  language: Language,
  active: z.boolean(),
  schoolIds: z.array(Id),
  mustChangePassword: z.boolean(),
  hasPin: z.boolean(),
  createdAt: Instant,
})
export type StaffAccount = z.infer<typeof StaffAccount>

/** Letters, digits, dot, dash and underscore: what people type at a sign-in without surprise. */
const Username = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Za-z0-9._-]+$/, { error: 'accounts.usernameFormat' })
const DisplayName = z.string().trim().min(2).max(120)
/** The length rule is the core's (domain/accounts/password-rules.ts), so its message names the minimum. */
const NewPassword = z.string().min(1).max(200)
export const STAFF_PIN = /^\d{4,8}$/

const Placement = z.object({ role: Role, schoolIds: z.array(Id).max(100) })

export const accountMethods = {
  'staff.list': method({ kind: 'query', access: ['admin'], input: z.object({}).strict(), output: z.array(StaffAccount) }),
  /** A new account with a one-time password, shown once to the admin; the person changes it at first sign-in. */
  'staff.create': method({
    kind: 'command',
    access: ['admin'],
    input: Placement.extend({ username: Username, displayName: DisplayName, language: Language.default('fr') }).strict(),
    output: z.object({ account: StaffAccount, oneTimePassword: z.string() }),
  }),
  /** Another role or other schools; applies to the person's open sessions at once. */
  'staff.update': method({ kind: 'command', access: ['admin'], input: Placement.extend({ staffId: Id }).strict(), output: StaffAccount }),
  /** Disabled, never deleted: their sessions end at once and the audit log keeps their name. */
  'staff.setActive': method({ kind: 'command', access: ['admin'], input: z.object({ staffId: Id, active: z.boolean() }).strict(), output: StaffAccount }),
  'staff.resetPassword': method({
    kind: 'command',
    access: ['admin'],
    input: z.object({ staffId: Id }).strict(),
    output: z.object({ account: StaffAccount, oneTimePassword: z.string() }),
  }),
  /** Everyone changes their own password; the way out of a one-time password. */
  'auth.changePassword': method({
    kind: 'command',
    access: 'session',
    beforePasswordChange: true,
    input: z.object({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword }).strict(),
    output: SessionView,
  }),
  /** The person's own PIN that ends a kiosk session they opened; their password confirms it. */
  'auth.setPin': method({
    kind: 'command',
    access: 'session',
    input: z.object({ password: z.string().min(1).max(200), pin: z.string().regex(STAFF_PIN, { error: 'kiosk.start.pinFormat' }).nullable() }).strict(),
    output: z.object({ hasPin: z.boolean() }),
  }),
}

/** The first start (issue 14): what this install is, before anyone can sign in. */
export const SetupState = z.object({
  /** No account exists yet: the first screen creates the first admin (or opens the demo). */
  firstStart: z.boolean(),
  /** 'demo' is the demo's own database; 'board' a real install; 'fixed' a file chosen on the command line. */
  workspace: z.enum(['board', 'demo', 'fixed']),
})
export type SetupState = z.infer<typeof SetupState>

export const setupMethods = {
  'setup.state': method({ kind: 'query', access: 'public', input: z.object({}).strict(), output: SetupState }),
  /** The first admin, with a password of their own; refused once any account exists. Signs them in. */
  'setup.createAdmin': method({
    kind: 'command',
    access: 'public',
    input: z.object({ username: Username, displayName: DisplayName, password: NewPassword, language: Language.default('fr') }).strict(),
    output: SessionView,
  }),
  /** Opens the demo board in its own database file (the app switches to it after this answer). */
  'setup.tryDemo': method({ kind: 'command', access: 'public', input: z.object({}).strict(), output: z.object({ switching: z.literal(true) }) }),
  /** Leaves the demo: back to this install's own database and its first screen. The demo's file is discarded. */
  'setup.leaveDemo': method({ kind: 'command', access: 'public', beforePasswordChange: true, input: z.object({}).strict(), output: z.object({ switching: z.literal(true) }) }),
}
