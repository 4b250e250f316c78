import type { PGlite } from '@electric-sql/pglite'
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely'

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process) shaped as the pool Kysely's
 * PostgresDialect expects. PGlite is one session: the pool lends its one client to a single
 * borrower at a time (a transaction holds it to its end) and queues the others.
 *
 * `setup` runs each time the client is lent (the borrower's search_path: one PGlite holds the
 * schemas of several stores). The queue is the instance's, shared by every pool over it: two
 * stores on one PGlite never interleave their transactions on its one session.
 */
const queues = new WeakMap<PGlite, { tail: Promise<void> }>()

export class PGlitePool implements PostgresPool {
  private closed = false
  private readonly queue: { tail: Promise<void> }

  constructor(
    private readonly pg: PGlite,
    private readonly setup: string | null,
    private readonly onEnd: () => Promise<void>,
  ) {
    const queue = queues.get(pg) ?? { tail: Promise.resolve() }
    queues.set(pg, queue)
    this.queue = queue
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.closed) throw new Error('the database is closed')
    let release!: () => void
    const turn = new Promise<void>((resolve) => (release = resolve))
    const before = this.queue.tail
    this.queue.tail = before.then(() => turn)
    await before
    if (this.setup) await this.pg.exec(this.setup)
    const pg = this.pg
    let released = false
    const client = {
      async query<R>(sqlText: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result = await pg.query<R>(sqlText, [...parameters])
        return { command: ((result as { command?: string }).command ?? 'SELECT') as PostgresQueryResult<R>['command'], rowCount: result.affectedRows ?? result.rows.length, rows: result.rows }
      },
      release() {
        if (released) return
        released = true
        release()
      },
    }
    return client as PostgresPoolClient
  }

  async end(): Promise<void> {
    this.closed = true
    await this.onEnd()
  }
}
