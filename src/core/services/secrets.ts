import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'

/**
 * Where secrets (the Stripe key, the board's device token) are sealed. The shell gives one:
 * Electron's safeStorage (the OS keychain) in the app, a local key file in browser mode. The
 * database only ever holds the ciphertext and the scheme that made it.
 */
export interface SecretBox {
  /** 'electron-safe-storage', 'local-key-aes-256-gcm'…: stored with each secret. */
  readonly scheme: string
  seal(plain: string): Buffer
  open(sealed: Buffer): string
}

export const STRIPE_KEY = 'stripe.secretKey'

export async function putSecret(db: Kysely<DB>, box: SecretBox, name: string, value: string, now: string): Promise<void> {
  const row = { name, scheme: box.scheme, ciphertext: box.seal(value), updated_at: now }
  await db
    .insertInto('secrets')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet({ scheme: row.scheme, ciphertext: row.ciphertext, updated_at: now }))
    .execute()
}

export async function deleteSecret(db: Kysely<DB>, name: string): Promise<void> {
  await db.deleteFrom('secrets').where('name', '=', name).execute()
}

/** The secret in clear, or null when none is stored or it was sealed by another box (another PC). */
export async function readSecret(db: Kysely<DB>, box: SecretBox, name: string): Promise<{ value: string; updatedAt: string } | null> {
  const row = await db.selectFrom('secrets').selectAll().where('name', '=', name).executeTakeFirst()
  if (!row || row.scheme !== box.scheme) return null
  try {
    return { value: box.open(Buffer.from(row.ciphertext as Uint8Array)), updatedAt: row.updated_at }
  } catch {
    return null
  }
}

/** "sk_live_…4242": enough for a person to recognise the key, never enough to use it. */
export function keyHint(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? ''
  return `${prefix}…${key.slice(-4)}`
}
