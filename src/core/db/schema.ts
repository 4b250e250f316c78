import type { Generated } from 'kysely'
import type { ReceiptSeries } from '../../shared/format'

/** Kysely's view of the tables made by the migrations. Keep in step with migrations/. */

export type Grade = 'JK' | 'SK' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12'
export type Language = 'fr' | 'en'
export type StaffRole = 'secretary' | 'principal' | 'admin'
export type OfferingKind = 'product' | 'program' | 'fee' | 'outing' | 'consent_form'
export type OfferingStatus = 'draft' | 'published' | 'closed' | 'archived' | 'cancelled'
export type Channel = 'online' | 'kiosk'

export interface SchoolsTable {
  id: string
  source_id: string | null
  code: string
  name: string
  time_zone: Generated<string>
  phone: string | null
  address: string | null
  refund_approval_threshold_cents: Generated<number>
  assistance_budget_cents: Generated<number>
}

export interface SchoolYearsTable {
  id: string
  school_id: string
  label: string
  starts_on: string
  ends_on: string
}

export interface CalendarDaysTable {
  school_id: string
  date: string
  kind: 'holiday' | 'pd_day' | 'closure'
  label_fr: string
  label_en: string | null
}

export interface ClassesTable {
  id: string
  source_id: string | null
  school_id: string
  code: string
  name: string
  teacher: string | null
}

export interface StudentsTable {
  id: string
  source_id: string | null
  school_id: string
  class_id: string | null
  first_name: string
  last_name: string
  search_key: string
  grade: Grade
  grade_rank: number
  status: Generated<'active' | 'withdrawn'>
  birth_date: string | null
  medical_alert: string | null
  version: Generated<number>
  updated_at: string
}

export interface GuardiansTable {
  id: string
  source_id: string | null
  first_name: string
  last_name: string
  search_key: string
  email: string | null
  phone: string | null
  phone_alt: string | null
  preferred_language: Generated<Language>
  email_bounced_at: string | null
  version: Generated<number>
  updated_at: string
}

export interface StudentGuardiansTable {
  student_id: string
  guardian_id: string
  relationship: 'mother' | 'father' | 'guardian' | 'other'
  is_primary: Generated<number>
  emergency_contact: Generated<number>
}

export interface StaffTable {
  id: string
  username: string
  display_name: string
  role: StaffRole
  password_hash: string
  language: Generated<Language>
  active: Generated<number>
  created_at: string
  /** 0014: a one-time password set by an admin; the next sign-in must change it. */
  must_change_password: Generated<number>
  /** 0014: the person's own PIN that ends a kiosk session (scrypt), null until set. */
  pin_hash: string | null
}

/** 0014: the schools a staff member works for (none for a board-wide admin). */
export interface StaffSchoolsTable {
  staff_id: string
  school_id: string
}

export interface SettingsTable {
  key: string
  value: string
}

export interface OfferingsTable {
  id: string
  source_id: string | null
  school_id: string
  kind: OfferingKind
  status: Generated<OfferingStatus>
  school_year: string
  title_fr: string
  title_en: string | null
  description_fr: Generated<string>
  description_en: string | null
  opens_at: string
  deadline_at: string
  price_cents: Generated<number>
  fee_per: 'student' | 'family' | null
  required: Generated<number>
  stock_limit: number | null
  per_student_limit: number | null
  reminder_days_before: Generated<number>
  cancel_reason: string | null
  version: Generated<number>
  created_by: string | null
  created_at: string
  updated_at: string
  published_at: string | null
  program_rule: string | null
}

export interface ReminderRunsTable {
  id: string
  offering_id: string
  /** 'YYYY-MM': a program's month; '' any other item (migration 0016). */
  period: Generated<string>
  /** When it was meant to go (0016). */
  due_at: string
  /** When it went, or was found missed. */
  sent_at: string
  /** 'missed': its deadline passed while this PC was off; nobody was reminded (0016). */
  outcome: Generated<'sent' | 'missed'>
  family_count: number
  outbox_id: string | null
}

export interface OfferingTargetsTable {
  offering_id: string
  kind: 'school' | 'grade' | 'class' | 'student'
  value: string
}

export interface OfferingVariantsTable {
  id: string
  offering_id: string
  label_fr: string
  label_en: string | null
  price_cents: number
  sort: Generated<number>
  active: Generated<number>
}

export interface ProgramDatesTable {
  id: string
  offering_id: string
  date: string
  cutoff_at: string
  supplier: string | null
  status: Generated<'scheduled' | 'cancelled'>
  cancel_reason: string | null
}

export interface OutingsTable {
  offering_id: string
  starts_on: string
  ends_on: string
  start_time: string | null
  end_time: string | null
  destination: string
  venue_limit: number | null
  bus_count: Generated<number>
  seats_per_bus: Generated<number>
  staff_count: Generated<number>
  chaperone_ratio: number | null
}

export interface OutingChaperonesTable {
  id: string
  offering_id: string
  name: string
  phone: string | null
  police_check_expires_on: string | null
  added_at: string
  added_by: string | null
  removed_at: string | null
}

export interface OutingRatioBandsTable {
  offering_id: string
  sort: number
  grades: string
  students_per_adult: number
}

export interface OfferingQuestionsTable {
  id: string
  offering_id: string
  sort: Generated<number>
  kind: 'yes_no' | 'text' | 'choice'
  label_fr: string
  label_en: string | null
  choices: string | null
  required: Generated<number>
}

export interface OrdersTable {
  id: string
  source_id: string | null
  school_id: string
  guardian_id: string
  channel: Channel
  created_at: string
  created_by: string | null
}

export interface OrderLinesTable {
  id: string
  order_id: string
  student_id: string
  offering_id: string
  variant_id: string | null
  program_date_id: string | null
  quantity: number
  unit_price_cents: number
  amount_cents: number
}

export interface PaymentsTable {
  id: string
  source_id: string | null
  school_id: string
  order_id: string
  /** 'credit': wholly paid with the family's credit (migration 0013), no card. */
  processor: 'stripe' | 'demo' | 'board' | 'credit'
  processor_ref: string
  /** Null only when processor is 'credit'. */
  card_brand: string | null
  card_last4: string | null
  amount_cents: number
  /** The part of amount_cents paid with the family's credit; the card paid the rest (0013). */
  credit_cents: Generated<number>
  channel: Channel
  /** 'board': numbered by the board; 'office': numbered by this PC's kiosk (migration 0011). */
  receipt_series: Generated<ReceiptSeries>
  receipt_number: number
  created_at: string
}

export interface RefundsTable {
  id: string
  source_id: string | null
  payment_id: string
  order_line_id: string | null
  amount_cents: number
  reason: string
  status: 'pending' | 'succeeded' | 'failed'
  idempotency_key: string
  processor_ref: string | null
  failure_message: string | null
  requested_by: string | null
  requested_at: string
  settled_at: string | null
  /** 'card': back through the processor; 'credit': back to the family's credit (0013). */
  tender: Generated<RefundTender>
}

export type RefundTender = 'card' | 'credit'

export interface WaiversTable {
  id: string
  source_id: string | null
  student_id: string
  offering_id: string
  amount_cents: number
  reason: string
  approved_by: string | null
  created_at: string
}

export interface ConsentsTable {
  id: string
  source_id: string | null
  offering_id: string
  student_id: string
  guardian_id: string | null
  decision: 'granted' | 'declined' | 'withdrawn'
  signed_name: string | null
  answers: string | null
  channel: 'online' | 'kiosk' | 'office'
  recorded_at: string
  recorded_by: string | null
  reason: string | null
}

export interface AuditLogTable {
  seq: Generated<number>
  at: string
  staff_id: string | null
  actor: string
  action: string
  entity: string | null
  entity_id: string | null
  before: string | null
  after: string | null
  detail: string | null
}

export interface OutboxTable {
  seq: Generated<number>
  id: string
  school_id: string
  type: string
  entity_id: string
  base_version: number | null
  data: string
  created_at: string
  state: Generated<'pending' | 'applied' | 'duplicate' | 'conflict' | 'rejected'>
  attempts: Generated<number>
  last_attempt_at: string | null
  result: string | null
  /** 0010: how staff settled a conflict or a rejection. */
  resolution: 'ours' | 'theirs' | 'acknowledged' | 'superseded' | null
  resolved_at: string | null
  resolved_by: string | null
}

export interface SyncStateTable {
  school_id: string
  last_seq: Generated<number>
  last_pull_at: string | null
  last_push_at: string | null
  last_error: string | null
}

export interface SecretsTable {
  name: string
  scheme: string
  ciphertext: Buffer
  updated_at: string
}

export interface SchemaMigrationsTable {
  version: number
  name: string
  applied_at: string
}

// ---- 0007 refund work -------------------------------------------------------------------------

export interface PaymentVoidsTable {
  payment_id: string
  source: 'office' | 'board' | 'processor'
  reason: string
  recorded_by: string | null
  voided_at: string
}

export type RefundJobKind = 'lines' | 'order' | 'program_date' | 'offering' | 'retry'

export interface RefundJobsTable {
  id: string
  school_id: string
  kind: RefundJobKind
  order_id: string | null
  program_date_id: string | null
  offering_id: string | null
  reason: string
  created_by: string | null
  created_at: string
}

export interface RefundJobItemsTable {
  job_id: string
  seq: number
  refund_id: string
}

export interface RefundEventsTable {
  seq: Generated<number>
  refund_id: string
  kind: 'sent' | 'pending' | 'transient' | 'refused' | 'reversed'
  at: string
  processor_ref: string | null
  code: string | null
}

/** View: a refund's status as it stands (a reversed success is failed). */
export interface RefundStatesView {
  id: string
  payment_id: string
  order_line_id: string | null
  amount_cents: number
  reason: string
  requested_by: string | null
  requested_at: string
  processor_ref: string | null
  idempotency_key: string
  status: 'pending' | 'succeeded' | 'failed'
  settled_at: string | null
  failure_code: string | null
  reversed: 0 | 1
}

export interface FamilyCreditsTable {
  id: string
  school_id: string
  guardian_id: string
  kind: 'granted' | 'used'
  amount_cents: number
  refund_id: string | null
  order_id: string | null
  reason: string | null
  created_by: string | null
  created_at: string
}

export interface RefundResolutionsTable {
  refund_id: string
  kind: 'retried' | 'credited'
  retry_refund_id: string | null
  credit_id: string | null
  reason: string
  resolved_by: string | null
  resolved_at: string
}

/** View: what is left to refund on each line, from the ledger. */
export interface LineRefundableView {
  order_line_id: string
  order_id: string
  amount_cents: number
  payment_id: string | null
  paid_cents: number
  refunded_cents: number
  credited_cents: number
  voided: 0 | 1
  refundable_cents: number
}

export interface AssistanceBudgetEntriesTable {
  id: string
  school_id: string
  amount_cents: number
  reason: string
  created_by: string | null
  created_at: string
}

export interface DemoProcessorStateTable {
  key: string
  value: string
}

// ---- 0009 kiosk charges ---------------------------------------------------------------------

export interface KioskChargesTable {
  id: string
  request_id: string
  order_id: string
  school_id: string
  guardian_id: string
  /** What the card is charged: the order's total less credit_cents. */
  amount_cents: number
  /** The family's credit this sale uses with the card (0013). */
  credit_cents: number
  processor: 'stripe' | 'demo'
  idempotency_key: string
  method: 'test_card' | 'terminal'
  method_ref: string
  opened_by: string | null
  created_at: string
}

export interface KioskChargeOutcomesTable {
  charge_id: string
  order_id: string
  status: 'succeeded' | 'declined' | 'failed'
  payment_id: string | null
  code: string | null
  processor_ref: string | null
  recorded_at: string
}

/** Roster changes that matter to the office (migration 0012); append-only. */
export interface RosterAlertsTable {
  id: Generated<number>
  kind: 'withdrawn_with_money' | 'email_bounced' | 'class_changed'
  school_id: string | null
  student_id: string | null
  guardian_id: string | null
  detail: string
  created_at: string
}

export interface RosterAlertAcksTable {
  alert_id: number
  acknowledged_by: string | null
  acknowledged_at: string
}

export interface DB {
  schools: SchoolsTable
  school_years: SchoolYearsTable
  calendar_days: CalendarDaysTable
  classes: ClassesTable
  students: StudentsTable
  guardians: GuardiansTable
  student_guardians: StudentGuardiansTable
  staff: StaffTable
  staff_schools: StaffSchoolsTable
  settings: SettingsTable
  offerings: OfferingsTable
  offering_targets: OfferingTargetsTable
  offering_variants: OfferingVariantsTable
  program_dates: ProgramDatesTable
  outings: OutingsTable
  outing_chaperones: OutingChaperonesTable
  outing_ratio_bands: OutingRatioBandsTable
  offering_questions: OfferingQuestionsTable
  orders: OrdersTable
  order_lines: OrderLinesTable
  payments: PaymentsTable
  /** View (0013): the payments that were not voided; "is this line paid?" reads it. */
  live_payments: PaymentsTable
  refunds: RefundsTable
  waivers: WaiversTable
  consents: ConsentsTable
  audit_log: AuditLogTable
  outbox: OutboxTable
  sync_state: SyncStateTable
  secrets: SecretsTable
  schema_migrations: SchemaMigrationsTable
  reminder_runs: ReminderRunsTable
  payment_voids: PaymentVoidsTable
  refund_jobs: RefundJobsTable
  refund_job_items: RefundJobItemsTable
  refund_events: RefundEventsTable
  refund_states: RefundStatesView
  family_credits: FamilyCreditsTable
  refund_resolutions: RefundResolutionsTable
  line_refundable: LineRefundableView
  assistance_budget_entries: AssistanceBudgetEntriesTable
  demo_processor_state: DemoProcessorStateTable
  kiosk_charges: KioskChargesTable
  kiosk_charge_outcomes: KioskChargeOutcomesTable
  roster_alerts: RosterAlertsTable
  roster_alert_acks: RosterAlertAcksTable
}
