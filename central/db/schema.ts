/**
 * Kysely's view of the board's tables (migrations/ is the truth). Money and index rows are
 * written once; `records` holds the current copy of each record, `changes` the feed.
 */
export interface CentralTables {
  schools: { id: string; code: string; name: string; time_zone: string; head_seq: number }
  records: { entity: string; id: string; school_id: string | null; version: number; deleted: boolean; data: string | null; updated_at: string }
  changes: { school_id: string; seq: number; entity: string; entity_id: string; op: 'upsert' | 'delete'; version: number; data: string | null; at: string }
  guardian_links: { guardian_id: string; student_id: string; school_id: string }
  devices: { id: string; name: string; token_hash: string; created_at: string; revoked_at: string | null }
  device_schools: { device_id: string; school_id: string }
  enrollment_codes: { code: string; school_ids: string; created_at: string; expires_at: string | null; used_at: string | null; device_id: string | null }
  exceptions: { id: string; school_id: string; kind: string; offering_id: string; student_id: string | null; reason: string; approved_by: string; at: string; changes: string; request_id: string }
  mutations: { id: string; device_id: string; school_id: string; type: string; entity_id: string; status: string; result: string; received_at: string }
}
