import { z } from 'zod'
import { method } from './method'
import { Cents, Id, Instant, IsoDate, ReceiptSeries } from './schemas'

export const ORDER_SORT_FIELDS = ['createdAt', 'receiptNumber', 'totalCents', 'guardianName'] as const
export const ORDER_STATUSES = ['paid', 'partially_refunded', 'refunded', 'unpaid'] as const

export const OrderRow = z.object({
  orderId: Id,
  paymentId: Id.nullable(),
  receiptNumber: z.number().int().nullable(),
  /** Who numbered the receipt; shown with formatReceiptNumber (shared/format). */
  receiptSeries: ReceiptSeries.nullable(),
  schoolId: Id,
  schoolName: z.string(),
  createdAt: Instant,
  channel: z.enum(['online', 'kiosk']),
  /** 'credit': paid wholly with the family's credit. */
  processor: z.enum(['stripe', 'demo', 'board', 'credit']).nullable(),
  /** The part of the payment made with the family's credit. */
  creditCents: Cents,
  guardianId: Id,
  guardianName: z.string(),
  students: z.array(z.string()),
  items: z.array(z.string()),
  lineCount: z.number().int(),
  totalCents: Cents,
  refundedCents: Cents,
  pendingRefundCents: Cents,
  status: z.enum(ORDER_STATUSES),
})
export type OrderRow = z.infer<typeof OrderRow>

export const OrdersListInput = z
  .object({
    schoolId: Id.optional(),
    offeringId: Id.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    channel: z.enum(['online', 'kiosk']).optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    query: z.string().trim().max(100).default(''),
    sort: z.object({ field: z.enum(ORDER_SORT_FIELDS), direction: z.enum(['asc', 'desc']) }).default({ field: 'createdAt', direction: 'desc' }),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
export type OrdersListInput = z.input<typeof OrdersListInput>

export const HistoryEvent = z.object({
  at: Instant,
  kind: z.enum(['payment', 'refund', 'waiver', 'consent', 'credit']),
  schoolName: z.string(),
  studentName: z.string().nullable(),
  titleFr: z.string().nullable(),
  titleEn: z.string().nullable(),
  amountCents: Cents.nullable(),
  /** payment: receipt number as shown (formatReceiptNumber); refund: pending/succeeded/failed; consent: the decision. */
  detail: z.string().nullable(),
  /** The waiver's reason is the principal's to read; others see that the item is covered. */
  reason: z.string().nullable(),
  paymentId: Id.nullable(),
  channel: z.string().nullable(),
})
export type HistoryEvent = z.infer<typeof HistoryEvent>

export const moneyMethods = {
  /** The orders grid: filtered, sorted and paged in SQL, with the totals of the whole filter. */
  'orders.list': method({
    kind: 'query',
    access: 'session',
    input: OrdersListInput,
    output: z.object({
      rows: z.array(OrderRow),
      total: z.number().int(),
      totals: z.object({ totalCents: Cents, refundedCents: Cents, netCents: Cents }),
    }),
  }),
  /** A payment's receipt as a PDF, reprinted on demand. */
  'receipts.pdf': method({
    kind: 'query',
    access: 'session',
    input: z.object({ paymentId: Id }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  /** What a family did, newest first: payments, refunds, waivers, consents, across schools. */
  'families.history': method({
    kind: 'query',
    access: 'session',
    input: z.object({ studentId: Id }).strict(),
    output: z.object({ events: z.array(HistoryEvent) }),
  }),
}
