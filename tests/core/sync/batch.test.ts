import { afterEach, describe, expect, it } from 'vitest'
import { centralRecords, localRecords, startRig, type SyncRig } from './helpers'

/**
 * A catch-up applies the pages it has fetched in one transaction (engine.ts, applyBatch). When
 * one page of the batch cannot be applied, the pages before it are kept with their cursor, as
 * they would have been page by page, and the run stops with the error at that page.
 */
let rig: SyncRig | undefined
afterEach(async () => {
  await rig?.close()
  rig = undefined
})

describe('a catch-up in batches', () => {
  it('keeps the pages before one that fails, with their cursor, and stops there', async () => {
    rig = await startRig()
    const r = rig
    const { code } = await r.central.store.createEnrollmentCode({ schoolIds: [r.school] })
    await r.core.connection.db.transaction().execute((trx) => r.core.sync.enroll(trx, { centralUrl: r.central.url, code, deviceName: 'Poste' }, new Date(r.clock.ms).toISOString()))
    const good = (await r.central.store.records('order', r.school))[0]!
    // The last change of the feed names a guardian this PC cannot know: its page fails (foreign key).
    await r.central.store.put('order', { ...good, id: 'order-of-a-ghost', guardianId: 'guardian-ghost', lines: good.lines.map((l) => ({ ...l, id: `${l.id}-ghost` })) })
    const feed = (await r.central.store.feed(r.school)).map((c) => c.seq)
    const pageSize = 200 // openCore's
    expect(feed.length).toBeGreaterThan(pageSize * 2)
    expect(feed.length % pageSize).not.toBe(0)

    const run = await r.core.sync.kick()
    expect(run.ok).toBe(false)
    expect(run.error?.code).toBe('internal')
    const raw = r.core.connection.raw
    // Every whole page before the last one is in, with its cursor.
    const lastWhole = feed[Math.floor((feed.length - 1) / pageSize) * pageSize - 1]
    expect(raw.prepare('SELECT last_seq FROM sync_state WHERE school_id = ?').pluck().get(r.school)).toBe(lastWhole)
    expect(raw.prepare("SELECT count(*) FROM orders WHERE id = 'order-of-a-ghost'").pluck().get()).toBe(0)
    const local = localRecords(raw, r.school)
    const board = await centralRecords(r.central, r.school)
    expect(local.orders).toEqual(board.orders.filter((o) => o.id !== 'order-of-a-ghost'))
  })
})
