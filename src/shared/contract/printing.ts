import { z } from 'zod'
import { method } from './method'
import { Id } from './schemas'

export const ReceiptLayout = z.enum(['letter', 'roll80'])

export const PrintStatus = z.object({
  /** A printer the app can print to (the desktop app); false in browser mode, which opens the PDF instead. */
  available: z.boolean(),
  receiptLayout: ReceiptLayout,
  /** The receipt printer, printed to without a dialog; null: receipts go through the dialog. */
  receiptPrinter: z.string().nullable(),
})
export type PrintStatus = z.infer<typeof PrintStatus>

const Job = z.object({ jobId: z.string() })
const JobState = z.object({
  status: z.enum(['printing', 'printed', 'cancelled', 'failed']),
  /** Why a job failed, as the operating system said it. */
  reason: z.string().nullable(),
})
export type PrintJobState = z.infer<typeof JobState>

/** A PDF the core made (a roster, a sheet), sent back to be printed: 30 MB at most. */
const PdfFile = z
  .object({
    fileName: z.string().min(1).max(200),
    base64: z
      .string()
      .max(40_000_000)
      .refine((b) => b.startsWith('JVBERi0'), { error: 'printing.notPdf' }),
  })
  .strict()

export const printingMethods = {
  'printing.status': method({ kind: 'query', access: 'session', input: z.object({}).strict(), output: PrintStatus }),
  /** The printers the operating system knows, for Paramètres. */
  'printing.printers': method({
    kind: 'query',
    access: ['principal', 'admin'],
    input: z.object({}).strict(),
    output: z.object({ printers: z.array(z.object({ name: z.string(), displayName: z.string() })) }),
  }),
  'printing.setReceipt': method({
    kind: 'command',
    access: ['principal', 'admin'],
    input: z.object({ layout: ReceiptLayout, printer: z.string().min(1).max(300).nullable() }).strict(),
    output: PrintStatus,
  }),
  /** A receipt in the chosen layout, for browser mode's PDF viewer. */
  'printing.receiptFile': method({
    kind: 'query',
    access: 'session',
    input: z.object({ paymentId: Id }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  /** Prints a receipt: to the receipt printer without a dialog when one is chosen, else through the dialog. */
  'printing.printReceipt': method({ kind: 'query', access: 'session', input: z.object({ paymentId: Id }).strict(), output: Job }),
  /** Prints a sheet (roster, list) through the system's dialog. */
  'printing.printDocument': method({ kind: 'query', access: 'session', input: PdfFile, output: Job }),
  'printing.job': method({ kind: 'query', access: 'session', input: Job.strict(), output: JobState }),
  /**
   * Whether the kiosk can print a receipt here: `desktop` (the app has a printer; browser mode
   * opens the PDF instead), `available` (and a receipt printer is chosen).
   */
  'kiosk.printStatus': method({ kind: 'query', access: 'kiosk', input: z.object({}).strict(), output: z.object({ desktop: z.boolean(), available: z.boolean() }) }),
  /** One of this session's receipts, to the receipt printer, never through a dialog. */
  'kiosk.printReceipt': method({ kind: 'query', access: 'kiosk', input: z.object({ paymentId: Id }).strict(), output: Job }),
  'kiosk.printJob': method({ kind: 'query', access: 'kiosk', input: Job.strict(), output: JobState }),
}
