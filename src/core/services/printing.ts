import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { GuichetError } from '../../shared/errors'
import { receiptPdf } from '../adapters/documents/receipt'
import { receiptRollPdf } from '../adapters/documents/receipt-roll'
import type { DocumentPrinter, Paper, PrinterInfo, PrintOutcome } from '../adapters/printing/types'
import type { DB } from '../db/schema'
import { RECEIPT_LAYOUT_SETTING, RECEIPT_PRINTER_SETTING, receiptLayoutOf, type ReceiptLayout } from '../domain/print-plan'
import { loadReceipt } from './receipts'
import { getSetting } from './settings'

export interface PrintSettings {
  receiptLayout: ReceiptLayout
  receiptPrinter: string | null
}

export async function printSettings(db: Kysely<DB>): Promise<PrintSettings> {
  const [layout, printer] = await Promise.all([getSetting(db, RECEIPT_LAYOUT_SETTING), getSetting(db, RECEIPT_PRINTER_SETTING)])
  return { receiptLayout: receiptLayoutOf(layout), receiptPrinter: printer || null }
}

/** A payment's receipt in the layout chosen in Paramètres, with the paper it needs. */
export async function receiptDocument(db: Kysely<DB>, paymentId: string, now: string, layout: ReceiptLayout): Promise<{ fileName: string; title: string; pdf: Buffer; paper: Paper }> {
  const { model, fileName } = await loadReceipt(db, paymentId, now)
  const title = fileName.replace(/\.pdf$/, '')
  if (layout === 'letter') return { fileName, title, pdf: await receiptPdf(model), paper: 'letter' }
  const roll = await receiptRollPdf(model)
  const microns = (pt: number) => Math.round((pt / 72) * 25_400)
  return { fileName, title, pdf: roll.pdf, paper: { widthMicrons: microns(roll.widthPt), heightMicrons: microns(roll.heightPt) } }
}

/** The list of printers is the operating system's: a spooler that does not answer is no list. */
export async function listPrinters(printer: DocumentPrinter, timeoutMs = 5_000): Promise<PrinterInfo[]> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new GuichetError('PRINT_UNAVAILABLE', { reason: 'noAnswer' })), timeoutMs)
  })
  try {
    return await Promise.race([printer.printers(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

export type JobStatus = { status: 'printing' } | PrintOutcome

interface Job {
  owner: string
  state: JobStatus
  at: number
}

/**
 * Print jobs run after the call that asked for them has committed (a dialog can stay open for
 * minutes: no transaction waits on it); the screen asks how its job went. Jobs live in memory
 * only, each visible to the session that asked, and are forgotten after an hour.
 */
export class PrintJobs {
  readonly #jobs = new Map<string, Job>()

  constructor(
    private readonly nowMs: () => number,
    private readonly logError?: (error: unknown) => void,
  ) {}

  start(owner: string, run: () => Promise<PrintOutcome>): string {
    this.#forgetOld()
    const id = randomUUID()
    const job: Job = { owner, state: { status: 'printing' }, at: this.nowMs() }
    this.#jobs.set(id, job)
    void run().then(
      (outcome) => (job.state = outcome),
      (error: unknown) => {
        this.logError?.(error)
        job.state = { status: 'failed', reason: error instanceof Error ? error.message : String(error) }
      },
    )
    return id
  }

  get(owner: string, id: string): JobStatus {
    const job = this.#jobs.get(id)
    if (!job || job.owner !== owner) throw new GuichetError('NOT_FOUND', { what: 'printJob' })
    return job.state
  }

  #forgetOld(): void {
    const before = this.nowMs() - 60 * 60_000
    for (const [id, job] of this.#jobs) if (job.at < before && job.state.status !== 'printing') this.#jobs.delete(id)
  }
}
