import type { PrintJobState, PrintStatus } from '../../shared/contract/printing'
import { GuichetError } from '../../shared/errors'
import type { DocumentPrinter } from '../adapters/printing/types'
import { planPrint, RECEIPT_LAYOUT_SETTING, RECEIPT_PRINTER_SETTING, type PrintKind } from '../domain/print-plan'
import { listPrinters, printSettings, receiptDocument, type JobStatus } from '../services/printing'
import { requireKiosk } from '../services/kiosk/session'
import { setSetting } from '../services/settings'
import { requireSession, type HandlerContext, type Handlers } from './types'

async function status(ctx: HandlerContext): Promise<PrintStatus> {
  return { available: ctx.core.printer !== null, ...(await printSettings(ctx.db)) }
}

function printerOf(ctx: HandlerContext): DocumentPrinter {
  if (!ctx.core.printer) throw new GuichetError('PRINT_UNAVAILABLE', { reason: 'browser' })
  return ctx.core.printer
}

function jobState(state: JobStatus): PrintJobState {
  return { status: state.status, reason: state.status === 'failed' ? state.reason : null }
}

/** Plans the job inside the call, and prints once it has committed (the dialog may stay open). */
async function startReceipt(ctx: HandlerContext, paymentId: string, kind: PrintKind): Promise<{ jobId: string }> {
  const session = requireSession(ctx)
  const printer = printerOf(ctx)
  const settings = await printSettings(ctx.db)
  const plan = planPrint(kind, session.kiosk !== undefined, settings.receiptPrinter)
  if (!plan.ok) throw new GuichetError('PRINT_UNAVAILABLE', { reason: plan.reason })
  const doc = await receiptDocument(ctx.db, paymentId, ctx.now, settings.receiptLayout)
  const jobId = ctx.core.printing.start(session.token, () => printer.print({ pdf: doc.pdf, title: doc.title, dialog: plan.dialog, printer: plan.printer, paper: doc.paper }))
  return { jobId }
}

export const printingHandlers: Handlers<
  | 'printing.status'
  | 'printing.printers'
  | 'printing.setReceipt'
  | 'printing.receiptFile'
  | 'printing.printReceipt'
  | 'printing.printDocument'
  | 'printing.job'
  | 'kiosk.printStatus'
  | 'kiosk.printReceipt'
  | 'kiosk.printJob'
> = {
  'printing.status': (_input, ctx) => status(ctx),

  async 'printing.printers'(_input, ctx) {
    return { printers: await listPrinters(printerOf(ctx)) }
  },

  async 'printing.setReceipt'({ layout, printer }, ctx) {
    const before = await printSettings(ctx.db)
    if (printer !== null) {
      // Only a printer the system knows: a name typed wrong would lose every kiosk receipt.
      const known = await listPrinters(printerOf(ctx))
      if (!known.some((p) => p.name === printer)) throw new GuichetError('PRINT_UNAVAILABLE', { reason: 'unknownPrinter' })
    }
    await setSetting(ctx.db, RECEIPT_LAYOUT_SETTING, layout)
    await setSetting(ctx.db, RECEIPT_PRINTER_SETTING, printer ?? '')
    ctx.audit({ entity: 'settings', entityId: 'printing.receipt', before: { ...before }, after: { receiptLayout: layout, receiptPrinter: printer } })
    return status(ctx)
  },

  async 'printing.receiptFile'({ paymentId }, ctx) {
    const { receiptLayout } = await printSettings(ctx.db)
    const doc = await receiptDocument(ctx.db, paymentId, ctx.now, receiptLayout)
    return { fileName: doc.fileName, base64: doc.pdf.toString('base64') }
  },

  'printing.printReceipt': ({ paymentId }, ctx) => startReceipt(ctx, paymentId, 'receipt'),

  async 'printing.printDocument'({ fileName, base64 }, ctx) {
    const session = requireSession(ctx)
    const printer = printerOf(ctx)
    const plan = planPrint('sheet', false, null)
    if (!plan.ok) throw new GuichetError('PRINT_UNAVAILABLE', { reason: plan.reason })
    const pdf = Buffer.from(base64, 'base64')
    const jobId = ctx.core.printing.start(session.token, () => printer.print({ pdf, title: fileName.replace(/\.pdf$/i, ''), dialog: plan.dialog, printer: plan.printer, paper: 'letter' }))
    return { jobId }
  },

  async 'printing.job'({ jobId }, ctx) {
    return jobState(ctx.core.printing.get(requireSession(ctx).token, jobId))
  },

  async 'kiosk.printStatus'(_input, ctx) {
    requireKiosk(ctx)
    const plan = planPrint('receipt', true, (await printSettings(ctx.db)).receiptPrinter)
    return { desktop: ctx.core.printer !== null, available: ctx.core.printer !== null && plan.ok }
  },

  async 'kiosk.printReceipt'({ paymentId }, ctx) {
    const { kiosk } = requireKiosk(ctx)
    // Only the receipts of this session's payments, as kiosk.receipt.
    if (!kiosk.payments.has(paymentId)) throw new GuichetError('FORBIDDEN')
    return startReceipt(ctx, paymentId, 'receipt')
  },

  async 'kiosk.printJob'({ jobId }, ctx) {
    requireKiosk(ctx)
    return jobState(ctx.core.printing.get(requireSession(ctx).token, jobId))
  },
}
