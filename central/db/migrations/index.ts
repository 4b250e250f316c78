import { initial } from './0001_initial'
import { exceptions } from './0002_exceptions'
import type { CentralMigration } from './types'

/** Every migration of the board's database, in order. Never edit one that has landed: add the next. */
export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [initial, exceptions]
