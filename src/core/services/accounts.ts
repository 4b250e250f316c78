import { randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { StaffAccount } from '../../shared/contract/accounts'
import type { Role } from '../../shared/contract/method'
import { GuichetError } from '../../shared/errors'
import type { DB } from '../db/schema'
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../domain/accounts/password-rules'

/** Refuses a password the rules refuse, with the reason in the person's words (error.PASSWORD_REFUSED). */
export function assertPasswordAllowed(password: string, person: { username: string; displayName: string }): void {
  const problem = passwordProblem(password, person)
  if (problem) throw new GuichetError('PASSWORD_REFUSED', { reason: problem, min: MIN_PASSWORD_LENGTH })
}

// No 0/o, 1/l/i: read aloud or copied from a screen without mistakes.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A one-time password: 16 random characters in four groups (about 79 bits), e.g. « k7mq-4xtp-9cwr-hn2e ». */
export function oneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''))
  return groups.join('-')
}

export async function staffAccounts(db: Kysely<DB>, staffId?: string): Promise<StaffAccount[]> {
  let q = db.selectFrom('staff').selectAll().orderBy('active', 'desc').orderBy('display_name')
  if (staffId) q = q.where('id', '=', staffId)
  const rows = await q.execute()
  const links = await db.selectFrom('staff_schools').select(['staff_id', 'school_id']).orderBy('school_id').execute()
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    language: r.language,
    active: r.active === 1,
    schoolIds: links.filter((l) => l.staff_id === r.id).map((l) => l.school_id),
    mustChangePassword: r.must_change_password === 1,
    hasPin: r.pin_hash !== null,
    createdAt: r.created_at,
  }))
}

export async function staffAccount(db: Kysely<DB>, staffId: string): Promise<StaffAccount> {
  const [account] = await staffAccounts(db, staffId)
  if (!account) throw new GuichetError('NOT_FOUND', { what: staffId })
  return account
}

/**
 * A secretary or a principal works for at least one school; an admin works for the board and
 * may have none. Every school named must exist.
 */
export async function checkPlacement(db: Kysely<DB>, role: Role, schoolIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(schoolIds)].sort()
  if (role !== 'admin' && unique.length === 0) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'schoolIds', key: 'accounts.schoolRequired' }])
  if (unique.length > 0) {
    const found = await db.selectFrom('schools').select('id').where('id', 'in', unique).execute()
    if (found.length !== unique.length) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'schoolIds', key: 'accounts.schoolUnknown' }])
  }
  return unique
}

export async function setSchools(db: Kysely<DB>, staffId: string, schoolIds: readonly string[]): Promise<void> {
  await db.deleteFrom('staff_schools').where('staff_id', '=', staffId).execute()
  if (schoolIds.length > 0) await db.insertInto('staff_schools').values(schoolIds.map((school_id) => ({ staff_id: staffId, school_id }))).execute()
}

/** The board never loses its last active admin: nobody could manage accounts any more. */
export async function assertAnotherAdmin(db: Kysely<DB>, staffId: string): Promise<void> {
  const others = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', staffId)
    .executeTakeFirstOrThrow()
  if (Number(others.n) === 0) throw new GuichetError('LAST_ADMIN')
}
