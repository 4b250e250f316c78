import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'
import { newId } from './ids'

/** The mutation types of SYNC.md that the office writes. */
export type MutationType =
  | 'offering.upsert'
  | 'offering.publish'
  | 'offering.close'
  | 'offering.cancel'
  | 'order.record'
  | 'consent.record'
  | 'refund.record'
  | 'waiver.record'
  | 'notification.request'
  | 'credit.record'
  | 'exception.record'

export interface Mutation {
  schoolId: string
  type: MutationType
  entityId: string
  baseVersion?: number | null
  data: unknown
}

/**
 * Writes a mutation in the caller's transaction (the outbox pattern): it exists if and only if
 * the change it carries was committed. Its id, made here, is its idempotency key on the server.
 */
export async function enqueue(db: Kysely<DB>, now: string, mutation: Mutation): Promise<string> {
  const id = newId()
  await db
    .insertInto('outbox')
    .values({
      id,
      school_id: mutation.schoolId,
      type: mutation.type,
      entity_id: mutation.entityId,
      base_version: mutation.baseVersion ?? null,
      data: JSON.stringify(mutation.data),
      created_at: now,
    })
    .execute()
  return id
}
