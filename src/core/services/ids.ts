import { v7 } from 'uuid'

/** Local ids are UUIDv7: unique without coordination, and sorted by creation time. */
export function newId(): string {
  return v7()
}
