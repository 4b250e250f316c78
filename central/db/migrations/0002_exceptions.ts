import type { CentralMigration } from './types'

/**
 * The principal's exceptions the offices send (`exception.record`, issue 17): a deadline moved,
 * an item reopened, a student withdrawn after the deadline. Kept once per id, outside the feed
 * (the change itself travels in its own mutation), so the board knows why.
 */
export const exceptions: CentralMigration = {
  version: 2,
  name: 'exceptions',
  statements: [
    `CREATE TABLE exceptions (
      id text PRIMARY KEY, school_id text NOT NULL REFERENCES schools (id), kind text NOT NULL, offering_id text NOT NULL,
      student_id text, reason text NOT NULL CHECK (reason <> ''), approved_by text NOT NULL, at text NOT NULL,
      changes text NOT NULL, request_id text NOT NULL
    )`,
    `CREATE INDEX exceptions_by_school ON exceptions (school_id, at, id)`,
  ],
}
