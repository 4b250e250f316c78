import type { printingFrCA } from './printing.fr-CA'

export const printingEnCA: Record<keyof typeof printingFrCA, string> = {
  'error.PRINT_UNAVAILABLE':
    '{reason, select, browser {No printer in the browser: open the PDF and print it from the viewer.} noAnswer {The printing system does not answer. Try again in a moment.} unknownPrinter {That printer is not installed on this computer.} kioskNoReceiptPrinter {No receipt printer is chosen here: ask for your receipt by email or at the office.} kioskSheet {The kiosk prints receipts only.} other {Printing is not possible.}}',
  'printing.notPdf': 'This file is not a PDF.',
  'printingUi.title': 'Printing',
  'printingUi.browserHint': 'In the browser, “Print” opens the PDF in the browser’s viewer: print it from there. The receipt printer is chosen in the desktop app.',
  'printingUi.layoutLegend': 'Receipt layout',
  'printingUi.layout': '{layout, select, roll80 {80 mm roll (thermal receipt printer)} other {Letter (office printer)}}',
  'printingUi.printerLabel': 'Receipt printer',
  'printingUi.printerNone': 'None: the print dialog each time',
  'printingUi.printerGone': '{name} (not found on this computer)',
  'printingUi.printerHint': 'Receipts print on this printer without a dialog, at the kiosk too. Without a receipt printer, the kiosk does not print: the parent gets the receipt by email or at the office.',
  'printingUi.noPrinters': 'No printer is installed on this computer.',
  'printingUi.refresh': 'Refresh the list of printers',
  'printingUi.save': 'Save',
  'printingUi.saved': 'Printing settings saved.',
  'printingUi.print': 'Print',
  'printingUi.printLabel': 'Print: {what}',
  'printingUi.printing': 'Printing…',
  'printingUi.printed': 'Sent to the printer.',
  'printingUi.cancelled': 'Printing cancelled.',
  'printingUi.failed': 'Printing failed: {reason}',
  'printingUi.opened': 'The PDF is open in a new tab: print it from the viewer.',
  'printingUi.popupBlocked': 'The browser blocked opening the PDF: allow pop-ups for Guichet, or download it.',
  'printingUi.kioskPrint': 'Print the receipt',
  'printingUi.kioskNoPrinter': 'No receipt printer here: ask for your receipt by email or at the office.',
}
