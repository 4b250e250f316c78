/**
 * A printer the shell gives the core (src/main/printer.ts in the desktop app). Browser mode has
 * none: there, the renderer opens the PDF in the browser's viewer and the parent or the
 * secretary prints from it.
 */
export interface PrinterInfo {
  /** The name the operating system knows it by (what printing needs). */
  name: string
  /** The name people see in the system's dialogs. */
  displayName: string
}

/** A roll's width and this document's length, or a letter-size sheet. */
export type Paper = 'letter' | { widthMicrons: number; heightMicrons: number }

export interface PrintJob {
  pdf: Buffer
  title: string
  /** The system's print dialog; false prints at once, to `printer` when named. */
  dialog: boolean
  printer: string | null
  paper: Paper
}

export type PrintOutcome = { status: 'printed' } | { status: 'cancelled' } | { status: 'failed'; reason: string }

export interface DocumentPrinter {
  printers(): Promise<PrinterInfo[]>
  print(job: PrintJob): Promise<PrintOutcome>
}
