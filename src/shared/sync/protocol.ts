import { z } from 'zod'

/**
 * The board's central API, protocol v1 (../shared/design/SYNC.md is the contract; this file is
 * its machine form, shared by Guichet's sync client and the reference server in central/).
 * docs/sync-openapi.yaml is generated from these schemas (`npx tsx central/openapi.ts --write`)
 * and a test keeps the two equal.
 *
 * Conventions on the wire:
 * - JSON, UTF-8. Money in integer cents (CAD). Instants are ISO-8601 with an offset (the
 *   server sends UTC, `Date.toISOString()`); school dates are `YYYY-MM-DD`.
 * - Ids are global and kept by whoever made the record first: an item the office created has
 *   Guichet's id on the server; a student from the board's SIS has the board's id everywhere.
 * - A reader ignores fields it does not know (objects are parsed, not matched exactly), so a
 *   server may add fields within v1.
 * - Errors are codes, never sentences: the client translates them for staff. `message` is a
 *   technical detail for logs.
 */

export const PROTOCOL_VERSION = 1
/** Changes per page when the client does not say; the most a page holds. */
export const DEFAULT_PAGE_SIZE = 500
export const MAX_PAGE_SIZE = 2000
/** Mutations per push request. */
export const MAX_MUTATIONS_PER_REQUEST = 100

/** Named schemas, in the order the OpenAPI document lists them. */
export const protocolRegistry = z.registry<{ id: string; description?: string }>()
const named = <T extends z.ZodType>(schema: T, id: string, description?: string): T => {
  protocolRegistry.add(schema, description ? { id, description } : { id })
  return schema
}

// ---- primitives --------------------------------------------------------------------------------

const Id = z.string().min(1).max(64)
const Instant = z.iso.datetime({ offset: true })
const SchoolDate = z.iso.date()
const Cents = z.int().min(0).max(1_000_000_000)
const PositiveCents = z.int().min(1).max(1_000_000_000)
const Version = z.int().min(1)
const Seq = z.int().min(0)
const Text = (max: number) => z.string().max(max)

export const GRADES = ['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const
export const Grade = z.enum(GRADES)
export const Language = z.enum(['fr', 'en'])

// ---- devices -----------------------------------------------------------------------------------

export const SchoolRef = named(z.object({ id: Id, name: Text(300) }), 'SchoolRef')

export const EnrollRequest = named(
  z.object({ enrollmentCode: z.string().min(1).max(64), deviceName: z.string().min(1).max(200) }),
  'EnrollRequest',
  'An enrolment code made by the board for this office PC, exchanged once for a token.',
)

export const EnrollResponse = named(
  z.object({ deviceId: Id, token: z.string().min(20).max(200), schools: z.array(SchoolRef) }),
  'EnrollResponse',
  'The device token goes in `Authorization: Bearer <token>` on every other call. Keep it sealed.',
)

export const DeviceInfo = named(
  z.object({ deviceId: Id, deviceName: Text(200), schools: z.array(SchoolRef), protocolVersion: z.int() }),
  'DeviceInfo',
  'Who the token belongs to: lets the client check its enrolment without pulling.',
)

// ---- errors ------------------------------------------------------------------------------------

/** Codes of a refused request (the whole request, as opposed to one mutation). */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden_school',
  'enrollment_code_invalid',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'rate_limited',
  'internal',
] as const
export const ErrorCode = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCode>

export const Issue = named(z.object({ path: z.array(z.union([z.string(), z.int()])), code: z.string() }), 'Issue', 'Where a payload is wrong, and how (a zod issue code).')

export const ErrorBody = named(
  z.object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      issues: z.array(Issue).optional(),
      /** With 429: the same number of seconds as the Retry-After header. */
      retryAfterSeconds: z.int().min(0).optional(),
    }),
  }),
  'ErrorBody',
  '401: stop syncing and ask staff to enrol again. 429 and 5xx: retry later (Retry-After, else exponential backoff with jitter).',
)
export type ErrorBody = z.infer<typeof ErrorBody>

// ---- records: what the change feed carries -----------------------------------------------------

export const ClassRecord = named(z.object({ id: Id, schoolId: Id, code: Text(64), name: Text(200), teacher: Text(200).nullable() }), 'ClassRecord')

export const GuardianLink = named(
  z.object({
    guardianId: Id,
    relationship: z.enum(['mother', 'father', 'guardian', 'other']),
    primary: z.boolean(),
    emergencyContact: z.boolean(),
  }),
  'GuardianLink',
  "A student's guardian (OneRoster's agentSourcedIds): the links travel with the student.",
)

export const StudentRecord = named(
  z.object({
    id: Id,
    schoolId: Id,
    /** The homeroom class. */
    classId: Id.nullable(),
    firstName: Text(200),
    lastName: Text(200),
    grade: Grade,
    status: z.enum(['active', 'withdrawn']),
    birthDate: SchoolDate.nullable(),
    medicalAlert: Text(2000).nullable(),
    guardians: z.array(GuardianLink),
  }),
  'StudentRecord',
)

export const GuardianRecord = named(
  z.object({
    id: Id,
    firstName: Text(200),
    lastName: Text(200),
    email: Text(320).nullable(),
    phone: Text(40).nullable(),
    phoneAlt: Text(40).nullable(),
    preferredLanguage: Language,
    /** Set when the board's mail to this address bounced; cleared with a new address. */
    emailBouncedAt: Instant.nullable(),
  }),
  'GuardianRecord',
  'A guardian appears in the feed of every school where one of their children is.',
)

export const EnrollmentRecord = named(
  z.object({ id: Id, schoolId: Id, classId: Id, studentId: Id, role: z.enum(['student', 'teacher']), primary: z.boolean() }),
  'EnrollmentRecord',
  "A place in a class beyond the homeroom (OneRoster enrollment). The homeroom is the student's classId; v1 servers may send none.",
)

export const OfferingKind = z.enum(['product', 'program', 'fee', 'outing', 'consent_form'])
export const OfferingStatus = z.enum(['draft', 'published', 'closed', 'archived', 'cancelled'])

export const OfferingTarget = named(z.object({ kind: z.enum(['school', 'grade', 'class', 'student']), value: Text(64) }), 'OfferingTarget')
export const OfferingVariant = named(
  z.object({ id: Id, labelFr: Text(200), labelEn: Text(200).nullable(), priceCents: Cents, active: z.boolean() }),
  'OfferingVariant',
)
export const ProgramDate = named(
  z.object({ id: Id, date: SchoolDate, cutoffAt: Instant, supplier: Text(200).nullable(), status: z.enum(['scheduled', 'cancelled']) }),
  'ProgramDate',
)
export const OutingPlan = named(
  z.object({
    startsOn: SchoolDate,
    endsOn: SchoolDate,
    startTime: Text(5).nullable(),
    endTime: Text(5).nullable(),
    destination: Text(200),
    venueLimit: z.int().min(1).nullable(),
    busCount: z.int().min(0),
    seatsPerBus: z.int().min(0),
    staffCount: z.int().min(0),
    chaperoneRatio: z.int().min(1).nullable(),
  }),
  'OutingPlan',
)
export const OfferingQuestion = named(
  z.object({
    id: Id,
    kind: z.enum(['yes_no', 'text', 'choice']),
    labelFr: Text(500),
    labelEn: Text(500).nullable(),
    choices: z.array(z.object({ labelFr: Text(200), labelEn: Text(200).nullable() })),
    required: z.boolean(),
  }),
  'OfferingQuestion',
)

/** An item's content: what `offering.upsert` carries and what the feed gives back. */
const offeringContent = {
  id: Id,
  schoolId: Id,
  schoolYear: Text(20),
  kind: OfferingKind,
  titleFr: Text(200),
  titleEn: Text(200).nullable(),
  descriptionFr: Text(5000),
  descriptionEn: Text(5000).nullable(),
  opensAt: Instant,
  deadlineAt: Instant,
  priceCents: Cents,
  feePer: z.enum(['student', 'family']).nullable(),
  required: z.boolean(),
  stockLimit: z.int().min(1).nullable(),
  perStudentLimit: z.int().min(1).nullable(),
  reminderDaysBefore: z.int().min(0).max(60),
  targets: z.array(OfferingTarget).max(2000),
  variants: z.array(OfferingVariant).max(30),
  dates: z.array(ProgramDate).max(200),
  outing: OutingPlan.nullable(),
  questions: z.array(OfferingQuestion).max(30),
}

export const OfferingRecord = named(
  z.object({
    ...offeringContent,
    status: OfferingStatus,
    version: Version,
    cancelReason: Text(500).nullable(),
    publishedAt: Instant.nullable(),
  }),
  'OfferingRecord',
  'A published item as families see it. Drafts never leave the office PC.',
)

export const OrderLine = named(
  z.object({
    id: Id,
    studentId: Id,
    offeringId: Id,
    variantId: Id.nullable(),
    programDateId: Id.nullable(),
    quantity: z.int().min(1),
    unitPriceCents: Cents,
    amountCents: Cents,
  }),
  'OrderLine',
  'amountCents = quantity × unitPriceCents.',
)

export const Channel = z.enum(['online', 'kiosk'])

export const OrderRecord = named(
  z.object({ id: Id, schoolId: Id, guardianId: Id, channel: Channel, createdAt: Instant, lines: z.array(OrderLine).min(1).max(500) }),
  'OrderRecord',
  'An order and its lines are one immutable record (money is append-only): sent once, never edited.',
)

export const CardBrand = z.string().min(1).max(40)
const Last4 = z.string().regex(/^\d{4}$/)

/**
 * How a payment was tendered, shared by the feed's payment and the kiosk's sale. A family's credit
 * (a refund the board could not send back to a card, settled as credit at the school) may pay part
 * or all of a sale: the card was charged the rest. `creditCents` defaults to 0 so that a payment
 * from before credits (an older client or server) still reads as wholly by card.
 */
const tenderFields = {
  processorRef: Text(200),
  cardBrand: CardBrand.nullable(),
  last4: Last4.nullable(),
  amountCents: PositiveCents,
  creditCents: Cents.default(0),
}

const TENDER_RULE =
  "processor 'credit' ⇔ no card (cardBrand and last4 null) ⇔ creditCents = amountCents; any other processor has both card fields and 0 ≤ creditCents < amountCents (the card was charged amountCents − creditCents)."

/** The one rule that ties processor, card fields and credit together (JSON Schema cannot say it). */
function checkTender(p: { processor: string; cardBrand: string | null; last4: string | null; amountCents: number; creditCents: number }, ctx: z.RefinementCtx): void {
  const wholeCredit = p.processor === 'credit'
  for (const field of ['cardBrand', 'last4'] as const) {
    if (wholeCredit !== (p[field] === null)) {
      ctx.addIssue({ code: 'custom', path: [field], message: wholeCredit ? `a payment wholly by credit has no ${field}` : `a card payment needs its ${field}` })
    }
  }
  if (wholeCredit ? p.creditCents !== p.amountCents : p.creditCents >= p.amountCents) {
    ctx.addIssue({ code: 'custom', path: ['creditCents'], message: wholeCredit ? 'a payment wholly by credit has creditCents = amountCents' : 'a card payment has creditCents < amountCents' })
  }
}

export const ReceiptSeries = named(
  z.enum(['board', 'office']),
  'ReceiptSeries',
  "Who numbered a receipt. board: the board (online payments); office: a school office's kiosk (a sale sent with order.record), shown with its prefix (K-000123). Each series is gapless and unique per school on its own, so the same number may stand in both. Absent (a record from before series): board.",
)

export const PaymentRecord = named(
  z
    .object({
      id: Id,
      schoolId: Id,
      orderId: Id,
      processor: z.enum(['stripe', 'demo', 'board', 'credit']),
      ...tenderFields,
      channel: Channel,
      receiptSeries: ReceiptSeries.default('board'),
      receiptNumber: z.int().min(1),
      createdAt: Instant,
    })
    .superRefine(checkTender),
  'PaymentRecord',
  `The whole of an order, paid (one payment, one receipt). amountCents is the order's total; creditCents the part paid with the family's credit (0 when absent). receiptNumber is in its receiptSeries. ${TENDER_RULE}`,
)

export const RefundStatus = z.enum(['pending', 'succeeded', 'failed'])

export const RefundTender = named(
  z.enum(['card', 'credit']),
  'RefundTender',
  [
    "Where a refund's money goes back, the way it came: card, to the card through the processor; credit, to the family's credit at the school, final at once (status succeeded, processorRef credit-<refund id>).",
    'Card refunds of a payment never add up to more than its card part (amountCents − creditCents), credit refunds never to more than its creditCents; a payment wholly by credit is refunded to credit only.',
    'Absent (a record from before credits): card.',
  ].join(' '),
)

export const RefundRecord = named(
  z.object({
    id: Id,
    schoolId: Id,
    paymentId: Id,
    orderLineId: Id.nullable(),
    amountCents: PositiveCents,
    reason: Text(500).nullable(),
    status: RefundStatus,
    /** A refund the processor reversed after it had succeeded (an expired prepaid card). */
    reversed: z.boolean(),
    processorRef: Text(200).nullable(),
    failureCode: Text(100).nullable(),
    requestedAt: Instant.nullable(),
    settledAt: Instant.nullable(),
    tender: RefundTender.default('card'),
  }),
  'RefundRecord',
  'A refund moves once from pending to succeeded or failed (and from succeeded to failed when reversed); its version counts those moves. Its tender (RefundTender) never changes.',
)

export const ConsentDecision = z.enum(['granted', 'declined', 'withdrawn'])

/**
 * Answers to the item's questions: by question id (the board's portal), or as the kiosk records
 * them, a list of {questionId, label, value}. Carried as recorded.
 */
export const ConsentAnswers = named(
  z.union([
    z.record(z.string(), z.union([z.boolean(), z.string()])),
    z.array(z.object({ questionId: Id, label: Text(500).optional(), value: z.union([z.boolean(), z.string()]) })).max(30),
  ]),
  'ConsentAnswers',
)

export const ConsentRecord = named(
  z.object({
    id: Id,
    schoolId: Id,
    offeringId: Id,
    studentId: Id,
    guardianId: Id.nullable(),
    decision: ConsentDecision,
    signedName: Text(200).nullable(),
    answers: ConsentAnswers.nullable(),
    channel: z.enum(['online', 'kiosk', 'office']),
    recordedAt: Instant,
    /** Only for a withdrawal recorded by the office after the deadline. */
    reason: Text(500).nullable(),
  }),
  'ConsentRecord',
  "Consent is a history: a student's current answer on an item is the latest record (by recordedAt, then feed order).",
)

export const WaiverRecord = named(
  z.object({ id: Id, schoolId: Id, studentId: Id, offeringId: Id, amountCents: PositiveCents, createdAt: Instant }),
  'WaiverRecord',
  'How much of an item a student is covered for. The reason stays at the school.',
)

export const NotificationKind = z.enum(['offering_published', 'offering_cancelled', 'reminder', 'receipt', 'consent_recorded'])

export const NotificationRecord = named(
  z.object({
    id: Id,
    schoolId: Id,
    kind: NotificationKind,
    guardianId: Id,
    to: Text(320).nullable(),
    language: Language,
    offeringId: Id.nullable(),
    paymentId: Id.nullable(),
    consentId: Id.nullable(),
    /** The outbox mutation that asked for it, when the office did. */
    requestId: Id.nullable(),
    /** delivered | bounced: what the mail server said; no_address: the guardian has none; suppressed: the address bounced before. */
    status: z.enum(['delivered', 'bounced', 'no_address', 'suppressed']),
    createdAt: Instant,
  }),
  'NotificationRecord',
  'An email the board sent a family (the reference server records it and sends nothing).',
)

export const CreditKind = z.enum(['granted', 'used'])

/**
 * A family's credit entry, as `credit.record` carries it: what ties it to its refund or order is
 * its kind, and JSON Schema cannot say it (the description does).
 */
const creditFields = {
  id: Id,
  guardianId: Id,
  kind: CreditKind,
  amountCents: PositiveCents,
  refundId: Id.nullable(),
  orderId: Id.nullable(),
  reason: Text(500).nullable(),
  createdAt: Instant,
}

const CREDIT_RULE =
  "granted: refundId names the refund it settles (a failed card refund settled as credit at the school, or a refund to credit — tender credit, succeeded), for the whole of it; orderId null; reason required (why staff settled it; a refund to credit gives the refund's reason). used: orderId names the kiosk sale it paid part or all of (the order's payment.creditCents); refundId and reason null."

/** The one rule that ties a credit's kind to its refund, order and reason (JSON Schema cannot say it). */
function checkCredit(c: { kind: 'granted' | 'used'; refundId: string | null; orderId: string | null; reason: string | null }, ctx: z.RefinementCtx): void {
  const granted = c.kind === 'granted'
  if (granted !== (c.refundId !== null)) ctx.addIssue({ code: 'custom', path: ['refundId'], message: granted ? 'a granted credit names its refund' : 'a used credit names no refund' })
  if (granted === (c.orderId !== null)) ctx.addIssue({ code: 'custom', path: ['orderId'], message: granted ? 'a granted credit names no order' : 'a used credit names its order' })
  if (granted ? !c.reason?.trim() : c.reason !== null) ctx.addIssue({ code: 'custom', path: ['reason'], message: granted ? 'a granted credit has its reason' : 'a used credit has no reason' })
}

export const CreditRecord = named(
  z.object({ ...creditFields, schoolId: Id }).superRefine(checkCredit),
  'CreditRecord',
  `An entry of a family's credit at a school, append-only: the balance is the granted entries less the used ones, never below zero. The board keeps it so that a credit the school owes is not lost with an office PC, and a second office PC of the school sees the same balance. ${CREDIT_RULE}`,
)

// ---- the change feed ---------------------------------------------------------------------------

export const ENTITIES = ['student', 'guardian', 'class', 'enrollment', 'offering', 'order', 'payment', 'refund', 'consent', 'waiver', 'notification', 'credit'] as const
export const Entity = z.enum(ENTITIES)

/**
 * Entities added to the feed after protocol v1's first list: served only to a client that names
 * them in the `with` query parameter, since an older client's parser refuses a page holding an
 * entity it does not know (and would ask for that page again forever).
 */
export const OPT_IN_ENTITIES = ['credit'] as const satisfies readonly (typeof ENTITIES)[number][]
export type Entity = z.infer<typeof Entity>

/** The record schema of each entity: `data` of an upsert. */
export const ENTITY_RECORDS = {
  student: StudentRecord,
  guardian: GuardianRecord,
  class: ClassRecord,
  enrollment: EnrollmentRecord,
  offering: OfferingRecord,
  order: OrderRecord,
  payment: PaymentRecord,
  refund: RefundRecord,
  consent: ConsentRecord,
  waiver: WaiverRecord,
  notification: NotificationRecord,
  credit: CreditRecord,
} as const satisfies Record<Entity, z.ZodType>
export type EntityRecord<E extends Entity> = z.infer<(typeof ENTITY_RECORDS)[E]>

const changeOf = <E extends Entity>(entity: E) =>
  z.object({
    seq: z.int().min(1),
    entity: z.literal(entity),
    id: Id,
    op: z.enum(['upsert', 'delete']),
    /** The record's version after this change; a client keeps the highest it has seen. */
    version: Version,
    /** The whole record after the change (never a diff); null for a delete. */
    data: z.nullable(ENTITY_RECORDS[entity]),
  })

export const Change = named(
  z.discriminatedUnion('entity', [
    changeOf('student'),
    changeOf('guardian'),
    changeOf('class'),
    changeOf('enrollment'),
    changeOf('offering'),
    changeOf('order'),
    changeOf('payment'),
    changeOf('refund'),
    changeOf('consent'),
    changeOf('waiver'),
    changeOf('notification'),
    changeOf('credit'),
  ]),
  'Change',
  'One change of one record. Applying a change is an upsert (or delete) by id, guarded by version: applying the same change twice changes nothing.',
)
export type Change = z.infer<typeof Change>

export const ChangesPage = named(
  z.object({
    changes: z.array(Change),
    /** The cursor to store, in the same transaction as the page: the last change's seq, or `after` when the page is empty. */
    lastSeq: Seq,
    hasMore: z.boolean(),
    /** The school's latest seq when the page was read: the progress of a long catch-up is lastSeq / headSeq. */
    headSeq: Seq,
  }),
  'ChangesPage',
  'Changes with seq > after, in seq order. The same page may come twice (a retry, a lost answer): the client applies it and stores lastSeq as for any page.',
)
export type ChangesPage = z.infer<typeof ChangesPage>

/** The query of `GET /v1/schools/{schoolId}/changes` (strings in the URL). */
export const ChangesQuery = z.object({
  after: z.coerce.number().pipe(Seq).default(0),
  limit: z.coerce.number().pipe(z.int().min(1).max(MAX_PAGE_SIZE)).default(DEFAULT_PAGE_SIZE),
  /** Comma-separated opt-in entities the client reads (OPT_IN_ENTITIES); unknown names are ignored. */
  with: z
    .string()
    .max(200)
    .default('')
    .transform((s) => OPT_IN_ENTITIES.filter((e) => s.split(',').map((x) => x.trim()).includes(e))),
})

// ---- push: mutations ---------------------------------------------------------------------------

export const MUTATION_TYPES = [
  'offering.upsert',
  'offering.publish',
  'offering.close',
  'offering.cancel',
  'order.record',
  'consent.record',
  'refund.record',
  'waiver.record',
  'notification.request',
  'credit.record',
  'exception.record',
] as const
export const MutationType = z.enum(MUTATION_TYPES)
export type MutationType = z.infer<typeof MutationType>

/**
 * The data of each mutation type. These accept what Guichet's outbox already writes
 * (src/core/services/outbox.ts and its callers): extra fields such as `sourceId` are ignored.
 */
export const OfferingUpsertData = named(
  z.object({
    ...offeringContent,
    /** published, closed or cancelled: drafts are refused. */
    status: OfferingStatus,
    /** The item's version after the change: baseVersion + 1 when given. */
    version: Version.optional(),
    cancelReason: Text(500).nullable().optional(),
  }),
  'OfferingUpsertData',
  "The whole item (never a diff). It replaces the server's copy when baseVersion is the server's version.",
)
export const OfferingRefData = named(z.object({ id: Id }), 'OfferingRefData')
export const OfferingCancelData = named(z.object({ id: Id, reason: z.string().min(1).max(500) }), 'OfferingCancelData')

export const OrderRecordData = named(
  z.object({
    order: z.object({ id: Id, schoolId: Id, guardianId: Id, channel: Channel, createdAt: Instant }),
    lines: z.array(OrderLine).min(1).max(500),
    payment: z
      .object({
        id: Id,
        processor: z.enum(['stripe', 'demo', 'credit']),
        ...tenderFields,
        receiptNumber: z.int().min(1),
        createdAt: Instant,
      })
      .superRefine(checkTender),
  }),
  'OrderRecordData',
  `A kiosk sale, already paid: the order, its lines and the payment (payment.amountCents = the sum of the lines, whatever paid it). payment.receiptNumber is in the office series (the board serves it back with receiptSeries office). payment.creditCents is the part the family's credit paid (0 when absent: a sale from before credits). ${TENDER_RULE} A sale wholly by credit has processor credit and processorRef kiosk-request-<the kiosk's request id>.`,
)

export const ConsentRecordData = named(
  z.object({
    id: Id,
    offeringId: Id,
    studentId: Id,
    guardianId: Id.nullable(),
    decision: ConsentDecision,
    signedName: Text(200).nullable(),
    answers: ConsentAnswers.nullable(),
    channel: z.enum(['kiosk', 'office']),
    recordedAt: Instant,
    reason: Text(500).nullable().optional(),
  }),
  'ConsentRecordData',
  "A guardian's answer typed at the kiosk, or a withdrawal the office recorded (with its reason).",
)

export const RefundRecordData = named(
  z.object({
    id: Id,
    /** Required for a refund the server has not seen; may be left out of a reversal. */
    paymentId: Id.nullable().optional(),
    orderLineId: Id.nullable().optional(),
    amountCents: PositiveCents,
    reason: Text(500).nullable().optional(),
    status: RefundStatus,
    reversed: z.boolean().optional(),
    processorRef: Text(200).nullable().optional(),
    failureCode: Text(100).nullable().optional(),
    requestedAt: Instant.nullable().optional(),
    settledAt: Instant.nullable().optional(),
    /** Read for a refund the server has not seen; a refund's tender never changes after. */
    tender: RefundTender.default('card'),
  }),
  'RefundRecordData',
  "A refund the office made, as it stands (pending, succeeded, failed, or reversed): to the card through the processor, or (tender credit) back to the family's credit. tender counts for a new refund only (absent: card); the server checks it against the payment's part of that tender.",
)

export const WaiverRecordData = named(
  z.object({ id: Id, studentId: Id, offeringId: Id, amountCents: PositiveCents, createdAt: Instant }),
  'WaiverRecordData',
)

export const NotificationRequestData = named(
  z.object({
    kind: z.enum(['reminder', 'receipt']),
    offeringId: Id.optional(),
    /** A program's reminder: the month of dates it is about ('YYYY-MM'). */
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(),
    paymentId: Id.optional(),
    receiptNumber: z.int().min(1).optional(),
    guardianIds: z.array(Id).max(5000),
  }),
  'NotificationRequestData',
  'Ask the board to email these guardians: a reminder about an item (offeringId; a program\'s names the month of dates it is about, period) or a kiosk receipt (paymentId).',
)

export const CreditRecordData = named(
  z.object(creditFields).superRefine(checkCredit),
  'CreditRecordData',
  [
    `A family credit entry the office wrote (the school is the request's). ${CREDIT_RULE}`,
    'It comes after the mutation that made what it names (the refund.record of its refund, the order.record of its sale): the outbox is sent in order.',
    'The board applies a credit id once: the same id with the same content again is applied and changes nothing, with other content it is already_exists.',
    'Refused: an unknown guardian, refund or order (unknown_entity); a refund or order of another school (school_mismatch) or of another guardian (family_mismatch); a granted credit whose refund is not a failed card refund or a succeeded refund to credit (refund_not_creditable), is not for its whole amount (amount_mismatch) or is already credited (already_exists); a used credit above what its sale says the credit paid (amount_mismatch), or above the guardian\'s balance at the school (credit_exceeds_balance).',
  ].join(' '),
)

export const ExceptionRecordData = named(
  z.object({
    id: Id,
    /** deadline_extended: a published item's deadline or a date's cutoff pushed later; reopened: a closed item published again; late_withdrawal: a consent withdrawn after the deadline. */
    kind: z.enum(['deadline_extended', 'reopened', 'late_withdrawal']),
    offeringId: Id,
    studentId: Id.nullable(),
    reason: Text(500).min(1),
    /** The principal who made it, as the office knows them. */
    approvedBy: Text(200),
    at: Instant,
    /** What moved: the deadline or a date's cutoff, before and after. */
    changes: z.array(z.object({ field: Text(100), before: Instant, after: Instant })).max(400),
  }),
  'ExceptionRecordData',
  [
    'An exception to a rule that families were told is final, made by the principal with a reason, as the audit log at the school has it. The board keeps it once per id (the same id again changes nothing), so that the board and the office agree on why a deadline moved, an item reopened or a student withdrew late.',
    'It comes after the mutation that carries the change itself (the offering.upsert with the later deadline, the offering.publish that reopens, the consent.record of the withdrawal). Refused: an unknown offering or student (unknown_entity).',
  ].join(' '),
)

export const MUTATION_DATA = {
  'offering.upsert': OfferingUpsertData,
  'offering.publish': OfferingRefData,
  'offering.close': OfferingRefData,
  'offering.cancel': OfferingCancelData,
  'order.record': OrderRecordData,
  'consent.record': ConsentRecordData,
  'refund.record': RefundRecordData,
  'waiver.record': WaiverRecordData,
  'notification.request': NotificationRequestData,
  'credit.record': CreditRecordData,
  'exception.record': ExceptionRecordData,
} as const satisfies Record<MutationType, z.ZodType>

/** Mutations about an offering carry the version the office saw; the others are append-only records. */
export const VERSIONED_TYPES: ReadonlySet<MutationType> = new Set(['offering.upsert', 'offering.publish', 'offering.close', 'offering.cancel'])

/**
 * One outbox row on the wire. `data` is checked against its type's schema one mutation at a
 * time, so that one bad mutation is rejected on its own instead of failing the request.
 */
export const MutationEnvelope = named(
  z.object({
    /** Made with the change, in the same local transaction: the idempotency key, forever. */
    id: z.uuid(),
    type: z.string().min(1).max(64),
    entityId: Id,
    /** The version the office saw (offering.*): a different server version is a conflict. */
    baseVersion: z.int().min(0).nullable().optional(),
    data: z.unknown(),
    createdAt: Instant,
  }),
  'Mutation',
  `data follows the schema of its type: ${MUTATION_TYPES.map((t) => `${t} → ${protocolRegistry.get(MUTATION_DATA[t])?.id ?? '?'}`).join(', ')}. An unknown type is rejected (unknown_type), not refused as a request.`,
)
export type MutationEnvelope = z.infer<typeof MutationEnvelope>

const mutationOf = <T extends MutationType>(type: T) =>
  MutationEnvelope.extend({ type: z.literal(type), data: MUTATION_DATA[type] })

/** A mutation with its data typed: what a client builds. */
export const Mutation = z.discriminatedUnion('type', [
  mutationOf('offering.upsert'),
  mutationOf('offering.publish'),
  mutationOf('offering.close'),
  mutationOf('offering.cancel'),
  mutationOf('order.record'),
  mutationOf('consent.record'),
  mutationOf('refund.record'),
  mutationOf('waiver.record'),
  mutationOf('notification.request'),
  mutationOf('credit.record'),
])
export type Mutation = z.infer<typeof Mutation>

export const MutationsRequest = named(
  z.object({ mutations: z.array(MutationEnvelope).min(1).max(MAX_MUTATIONS_PER_REQUEST) }),
  'MutationsRequest',
  'Outbox rows in outbox order. The server applies them in that order, each in its own transaction.',
)

/**
 * Why a mutation was refused. `held_back` is the only one that is not final: it is not recorded
 * and the same mutation may be sent again once the earlier one about its entity is resolved.
 */
export const REJECTION_CODES = [
  'invalid_payload',
  'unknown_type',
  'unknown_school',
  'school_mismatch',
  'entity_mismatch',
  'unknown_entity',
  'draft_not_accepted',
  'invalid_transition',
  'version_mismatch',
  'amount_mismatch',
  'refund_exceeds_paid',
  'already_exists',
  'final_record',
  'family_mismatch',
  'refund_not_creditable',
  'credit_exceeds_balance',
  'held_back',
] as const
export const RejectionCode = z.enum(REJECTION_CODES)
export type RejectionCode = z.infer<typeof RejectionCode>

export const MutationStatus = z.enum(['applied', 'duplicate', 'conflict', 'rejected'])
export type MutationStatus = z.infer<typeof MutationStatus>

export const MutationResult = named(
  z.object({
    id: z.string(),
    status: MutationStatus,
    /** The last feed seq the mutation wrote in this school (applied, duplicate). */
    seq: Seq.optional(),
    /** The entity's version after the mutation (applied, duplicate), or the server's version (conflict). */
    version: Version.optional(),
    error: z.object({ code: RejectionCode, message: z.string(), issues: z.array(Issue).optional() }).optional(),
    /** conflict: the server's current item, for staff to choose. */
    current: OfferingRecord.optional(),
  }),
  'MutationResult',
  [
    'applied: done now. duplicate: this id was applied before (a replay; seq and version are the first answer).',
    'conflict: the item changed on the server since baseVersion; current is the server copy.',
    'rejected: refused for good (error.code), except held_back. A conflict or rejection is recorded too: sending the same id again returns it again.',
  ].join(' '),
)
export type MutationResult = z.infer<typeof MutationResult>

export const MutationsResponse = named(
  z.object({ results: z.array(MutationResult) }),
  'MutationsResponse',
  'One result per mutation, in the same order.',
)
export type MutationsResponse = z.infer<typeof MutationsResponse>

// ---- the endpoints -----------------------------------------------------------------------------

export interface Endpoint {
  method: 'GET' | 'POST'
  /** OpenAPI path template. */
  path: string
  auth: 'none' | 'device'
  summary: string
  request?: string
  response: string
  /** Status of a success. */
  status: number
}

/** Every operation of protocol v1; the reference server's handler map has exactly these keys. */
export const ENDPOINTS = {
  enroll: { method: 'POST', path: '/v1/devices', auth: 'none', summary: 'Exchange an enrolment code for a device token', request: 'EnrollRequest', response: 'EnrollResponse', status: 201 },
  device: { method: 'GET', path: '/v1/device', auth: 'device', summary: 'The device the token belongs to and its schools', response: 'DeviceInfo', status: 200 },
  changes: {
    method: 'GET',
    path: '/v1/schools/{schoolId}/changes',
    auth: 'device',
    summary: "A page of the school's change feed after a cursor",
    response: 'ChangesPage',
    status: 200,
  },
  mutations: {
    method: 'POST',
    path: '/v1/schools/{schoolId}/mutations',
    auth: 'device',
    summary: 'Push outbox mutations; each id is applied once, forever',
    request: 'MutationsRequest',
    response: 'MutationsResponse',
    status: 200,
  },
} as const satisfies Record<string, Endpoint>
export type EndpointName = keyof typeof ENDPOINTS

/** `/v1/schools/{schoolId}/changes` with its parameters filled in (encoded). */
export function endpointPath(name: EndpointName, params: Record<string, string> = {}): string {
  return ENDPOINTS[name].path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key]
    if (value === undefined) throw new Error(`missing path parameter ${key}`)
    return encodeURIComponent(value)
  })
}
