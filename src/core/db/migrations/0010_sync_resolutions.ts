import type { Migration } from './types'

/**
 * How staff settled a mutation the board refused (SYNC.md: a conflict or a rejection is never
 * dropped silently). The row keeps its state and the board's answer; these columns say who
 * settled it, when and how, and a settled row no longer holds back its entity.
 * - ours: a conflict resent with the board's version as base (a new outbox row carries it);
 * - theirs: the board's copy applied, ours dropped;
 * - acknowledged: a rejection seen by staff;
 * - superseded: a later mutation of ours on the same item, dropped with it when staff took theirs.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'sync_resolutions',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN resolution TEXT CHECK (resolution IN ('ours', 'theirs', 'acknowledged', 'superseded'));
      ALTER TABLE outbox ADD COLUMN resolved_at TEXT;
      ALTER TABLE outbox ADD COLUMN resolved_by TEXT REFERENCES staff(id);
      CREATE INDEX outbox_by_entity_state ON outbox (entity_id, state, resolution);
    `)
  },
}
