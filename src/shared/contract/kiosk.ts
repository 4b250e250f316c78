import { z } from 'zod'
import { method } from './method'
import { Cents, Grade, Id, Instant, IsoDate, Language, ReceiptSeries } from './schemas'

/**
 * The kiosk (issue 7): a parent without a device sits at the office PC, in French or English,
 * sees only their own children, consents and pays by card.
 *
 * Two sides. Staff (a staff session) find the family and open a kiosk session for one guardian;
 * `kiosk.start` returns the kiosk's own token and leaves the staff session as it is. Every other
 * method here is `access: 'kiosk'`: it takes the kiosk token and nothing else, and the kiosk token
 * opens nothing else (dispatch). Every kiosk method works on the session's guardian's children only.
 */

const KIOSK_PIN = /^\d{4,8}$/

export const KioskFamily = z.object({
  guardianId: Id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: Language,
  children: z.array(z.object({ id: Id, firstName: z.string(), lastName: z.string(), grade: Grade, schoolName: z.string() })),
})
export type KioskFamily = z.infer<typeof KioskFamily>

export const KioskStateView = z.object({
  /** False once the session expired or ended: only the staff PIN is taken then. */
  active: z.boolean(),
  guardian: z.object({ firstName: z.string(), lastName: z.string() }).nullable(),
  language: Language,
  idleSeconds: z.number().int(),
  /** The demo processor takes the payments: "Démo — aucun paiement réel". */
  demo: z.boolean(),
  /** How the card is taken: a card number (demo cards, Stripe test mode) or the reader. */
  cardEntry: z.enum(['test_card', 'terminal']),
  cartCount: z.number().int(),
})
export type KioskStateView = z.infer<typeof KioskStateView>

const Question = z.object({
  id: Id,
  kind: z.enum(['yes_no', 'text', 'choice']),
  label: z.string(),
  required: z.boolean(),
  choices: z.array(z.string()),
})

export const KioskItem = z.object({
  offeringId: Id,
  kind: z.enum(['product', 'program', 'fee', 'outing', 'consent_form']),
  title: z.string(),
  description: z.string(),
  deadlineAt: Instant,
  priceCents: Cents,
  variants: z.array(z.object({ id: Id, label: z.string(), priceCents: Cents })),
  /** A program's dates still open (before their cutoff), each with what this child has of it. */
  dates: z.array(z.object({ id: Id, date: IsoDate, cutoffAt: Instant, bought: z.boolean(), inCart: Id.nullable() })),
  perStudentLimit: z.number().int().nullable(),
  stockLeft: z.number().int().nullable(),
  /** What this child already has of it (quantity; dates of a program). */
  bought: z.number().int(),
  /** A fee or an outing paid, waived or covered: nothing to pay. */
  settled: z.boolean(),
  inCart: z.boolean(),
  questions: z.array(Question),
  answer: z
    .object({ decision: z.enum(['granted', 'declined', 'withdrawn']), signedName: z.string().nullable(), recordedAt: Instant, answers: z.record(z.string(), z.string()) })
    .nullable(),
  outing: z
    .object({
      startsOn: IsoDate,
      endsOn: IsoDate,
      startTime: z.string().nullable(),
      endTime: z.string().nullable(),
      destination: z.string(),
      state: z.enum(['no_answer', 'declined', 'consented_unpaid', 'confirmed', 'waitlisted', 'not_eligible']),
      waitlistPosition: z.number().int().nullable(),
      seatsLeft: z.number().int().nullable(),
      /** Paying now would put the child on the waitlist: the outing is full. */
      fullIfPaid: z.boolean(),
    })
    .nullable(),
})
export type KioskItem = z.infer<typeof KioskItem>

export const KioskChild = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  grade: Grade,
  schoolId: Id,
  schoolName: z.string(),
  items: z.array(KioskItem),
})
export type KioskChild = z.infer<typeof KioskChild>

export const KioskCartLine = z.object({
  key: z.string(),
  studentId: Id,
  studentName: z.string(),
  offeringId: Id,
  kind: z.enum(['product', 'program', 'fee', 'outing']),
  title: z.string(),
  /** The date and the choice, in words ("vendredi 11 décembre — Fromage, 1 pointe"). */
  detail: z.string().nullable(),
  quantity: z.number().int(),
  unitPriceCents: Cents,
  amountCents: Cents,
  waitlist: z.boolean(),
  /** Why the line cannot be paid as it stands, in the guardian's language; empty when it can. */
  problems: z.array(z.object({ code: z.string(), message: z.string() })),
})
export type KioskCartLine = z.infer<typeof KioskCartLine>

export const KioskCart = z.object({
  schools: z.array(
    z.object({
      schoolId: Id,
      schoolName: z.string(),
      lines: z.array(KioskCartLine),
      totalCents: Cents,
      payable: z.boolean(),
      /** The guardian's credit at this school (a refund settled as credit), usable on this part. */
      creditCents: Cents,
    }),
  ),
  totalCents: Cents,
})
export type KioskCart = z.infer<typeof KioskCart>

export const KioskPaymentView = z.object({
  /** Null for a sale paid wholly with the family's credit: no card, nothing to ask again. */
  chargeId: Id.nullable(),
  schoolId: Id,
  schoolName: z.string(),
  /** The sale's total; the card is charged amountCents − creditCents. */
  amountCents: Cents,
  /** The part paid with the family's credit. */
  creditCents: Cents,
  /** processing: ask again in a moment; unconfirmed: the office must check it (network). */
  status: z.enum(['processing', 'approved', 'declined', 'failed', 'unconfirmed']),
  paymentId: Id.nullable(),
  receiptNumber: z.number().int().nullable(),
  receiptSeries: ReceiptSeries.nullable(),
  cardBrand: z.string().nullable(),
  last4: z.string().nullable(),
  /** For a declined or failed card: what to do, kindly, in the guardian's language. */
  message: z.string().nullable(),
})
export type KioskPaymentView = z.infer<typeof KioskPaymentView>

const Answer = z.object({ questionId: Id, value: z.string().trim().max(500) }).strict()

export const KioskAnswerInput = z
  .object({
    studentId: Id,
    offeringId: Id,
    decision: z.enum(['granted', 'declined']),
    /** The guardian's full name, typed: the signature. */
    signedName: z.string().trim().min(1, { error: 'kiosk.consent.nameRequired' }).max(200),
    /** The box ticked: "I am the parent or guardian and I agree". */
    confirmed: z.literal(true, { error: 'kiosk.consent.confirmRequired' }),
    answers: z.array(Answer).max(50).default([]),
  })
  .strict()
export type KioskAnswerInput = z.input<typeof KioskAnswerInput>
export type KioskAnswerParsed = z.output<typeof KioskAnswerInput>

export const KioskCartAddInput = z
  .object({
    studentId: Id,
    offeringId: Id,
    variantId: Id.nullable().default(null),
    programDateId: Id.nullable().default(null),
    quantity: z.number().int().min(1).max(20).default(1),
    /** The guardian chose the waitlist for an outing that is full. */
    waitlist: z.boolean().default(false),
  })
  .strict()
export type KioskCartAddInput = z.input<typeof KioskCartAddInput>
export type KioskCartAddParsed = z.output<typeof KioskCartAddInput>

export const KioskPayInput = z
  .object({
    schoolId: Id,
    /** Made by the kiosk for each press of "Pay": the same request sent again never charges twice. */
    requestId: z.string().min(8).max(64),
    /** Spend the guardian's credit at this school first (up to the total). */
    useCredit: z.boolean().default(false),
    /** Null only when the credit pays the whole (refused otherwise, with kiosk.pay.cardRequired). */
    card: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('test_card'), number: z.string().trim().min(12).max(30) }).strict(),
        z.object({ kind: z.literal('terminal') }).strict(),
      ])
      .nullable()
      .default(null),
  })
  .strict()
export type KioskPayInput = z.input<typeof KioskPayInput>
export type KioskPayParsed = z.output<typeof KioskPayInput>

export const kioskMethods = {
  // ---- staff side ------------------------------------------------------------------------------
  /** A family by a guardian's name, phone or email, or by a child's name. */
  'kiosk.findFamilies': method({
    kind: 'query',
    access: 'session',
    input: z.object({ query: z.string().trim().min(2).max(100) }).strict(),
    output: z.object({ families: z.array(KioskFamily) }),
  }),
  /** Opens a kiosk session for one guardian; returns the kiosk's token (the staff session stays). */
  'kiosk.start': method({
    kind: 'command',
    access: 'session',
    input: z
      .object({
        guardianId: Id,
        /** The PIN that ends the kiosk; without one, the staff member's own password ends it. */
        pin: z.string().regex(KIOSK_PIN, { error: 'kiosk.start.pinFormat' }).nullable().default(null),
        idleSeconds: z.number().int().min(5).max(900).default(90),
      })
      .strict(),
    output: z.object({ token: z.string(), language: Language, idleSeconds: z.number().int() }),
  }),
  /** Kiosk payments whose answer was never recorded (the app stopped mid-payment): asked again. */
  'kiosk.checkPending': method({
    kind: 'command',
    access: 'session',
    input: z.object({}).strict(),
    output: z.object({ pending: z.array(KioskPaymentView.extend({ guardianName: z.string(), createdAt: Instant })) }),
  }),

  // ---- the kiosk itself --------------------------------------------------------------------------
  /** Also after expiry (the screen shows that it ended; only the PIN is taken then). */
  'kiosk.state': method({ kind: 'query', access: 'kiosk', whileLocked: true, input: z.object({}).strict(), output: KioskStateView }),
  'kiosk.setLanguage': method({ kind: 'command', access: 'kiosk', input: z.object({ language: Language }).strict(), output: KioskStateView }),
  /** The guardian's children, each with the items open to them now. */
  'kiosk.family': method({ kind: 'query', access: 'kiosk', input: z.object({}).strict(), output: z.object({ children: z.array(KioskChild) }) }),
  /** A consent (or a refusal) to an outing or a consent form, signed with the typed full name. */
  'kiosk.answer': method({
    kind: 'command',
    access: 'kiosk',
    input: KioskAnswerInput,
    output: z.object({ decision: z.enum(['granted', 'declined', 'withdrawn']), item: KioskItem }),
  }),
  'kiosk.cart': method({ kind: 'query', access: 'kiosk', input: z.object({}).strict(), output: KioskCart }),
  'kiosk.cartAdd': method({ kind: 'command', access: 'kiosk', input: KioskCartAddInput, output: KioskCart }),
  'kiosk.cartRemove': method({ kind: 'command', access: 'kiosk', input: z.object({ key: z.string().max(300) }).strict(), output: KioskCart }),
  /**
   * Pays one school's part of the cart. Everything is checked again now (deadlines, stock,
   * seats); the order is written, then the card is charged once the call has committed. The
   * answer comes through `kiosk.payment`.
   */
  'kiosk.pay': method({ kind: 'command', access: 'kiosk', input: KioskPayInput, output: KioskPaymentView }),
  /** Where a payment stands; records the processor's answer (and the receipt) once it has come. */
  'kiosk.payment': method({ kind: 'command', access: 'kiosk', input: z.object({ chargeId: Id }).strict(), output: KioskPaymentView }),
  /** The receipt of a payment made in this session, as a PDF (the office's receipt, bilingual). */
  'kiosk.receipt': method({ kind: 'query', access: 'kiosk', input: z.object({ paymentId: Id }).strict(), output: z.object({ fileName: z.string(), base64: z.string() }) }),
  /** The receipt sent by email, through the board (an email request in the outbox). */
  'kiosk.emailReceipt': method({ kind: 'command', access: 'kiosk', input: z.object({ paymentId: Id }).strict(), output: z.object({ email: z.string() }) }),
  /** Ends the kiosk with the staff PIN (or the staff member's password); also after expiry. */
  'kiosk.end': method({ kind: 'command', access: 'kiosk', whileLocked: true, input: z.object({ pin: z.string().min(1).max(200) }).strict(), output: z.object({ ended: z.literal(true) }) }),
}
