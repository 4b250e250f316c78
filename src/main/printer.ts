import type { WebContents, WebContentsPrintOptions } from 'electron'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DocumentPrinter, PrinterInfo, PrintJob, PrintOutcome } from '../core/adapters/printing/types'
import { createPrintWindow, type BrowserWindowClass } from './window'

/** The print windows' own session: no cookies or storage shared with the app's window. */
export const PRINT_PARTITION = 'guichet-print'

export interface ElectronPrinterDeps {
  BrowserWindow: BrowserWindowClass
  /** Contents of one of our windows, to ask the system for its printers; null before the window opens. */
  listFrom: () => Pick<WebContents, 'getPrintersAsync'> | null
  /** Whether a window is in kiosk mode: then nothing but a named printer, and never a dialog. */
  inKiosk: () => boolean
  /** Where the PDF waits while it prints (a private folder is made in it, and removed). */
  tempRoot: string
}

/** Electron's options for a job: the dialog or straight to the printer, on the document's own paper. */
export function printOptions(job: PrintJob): WebContentsPrintOptions {
  return {
    silent: !job.dialog,
    ...(job.printer ? { deviceName: job.printer } : {}),
    printBackground: true,
    // The PDF carries its own margins; a roll is printed edge to edge on its own length.
    margins: { marginType: 'none' },
    pageSize: job.paper === 'letter' ? 'Letter' : { width: job.paper.widthMicrons, height: job.paper.heightMicrons },
  }
}

export function outcomeOf(success: boolean, failureReason: string): PrintOutcome {
  if (success) return { status: 'printed' }
  if (/cancel/i.test(failureReason)) return { status: 'cancelled' }
  return { status: 'failed', reason: failureReason || 'Print job failed' }
}

/**
 * The desktop app's printer, given to the core (src/core/adapters/printing): the core decides
 * dialog or not (planPrint); this refuses again any dialog, or any printer but a named one,
 * while a parent is at the kiosk — the dialog's "Save as PDF" would open a file chooser.
 */
export function createElectronPrinter(deps: ElectronPrinterDeps): DocumentPrinter {
  return {
    async printers(): Promise<PrinterInfo[]> {
      const contents = deps.listFrom()
      if (!contents) return []
      return (await contents.getPrintersAsync()).map((p) => ({ name: p.name, displayName: p.displayName || p.name }))
    },

    async print(job: PrintJob): Promise<PrintOutcome> {
      if (deps.inKiosk() && (job.dialog || !job.printer)) return { status: 'failed', reason: 'No print dialog at the kiosk' }
      const dir = await mkdtemp(join(deps.tempRoot, 'guichet-print-'))
      // A window no one sees, showing the PDF in Chromium's viewer, for webContents.print (which
      // prints a PDF since Electron 32, silently too since 36).
      const window = createPrintWindow(deps.BrowserWindow, job.title, PRINT_PARTITION)
      try {
        const file = join(dir, 'document.pdf')
        await writeFile(file, job.pdf, { mode: 0o600 })
        await window.loadFile(file)
        return await new Promise<PrintOutcome>((resolve) => {
          window.webContents.print(printOptions(job), (success, failureReason) => resolve(outcomeOf(success, failureReason)))
        })
      } finally {
        if (!window.isDestroyed()) window.destroy()
        // The receipt names a family: it does not stay on disk.
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}
