/**
 * Where a document goes when someone asks to print it: the system's dialog, or straight to the
 * receipt printer chosen in Paramètres. A parent at the kiosk never gets a dialog: its "Save as
 * PDF" and its file chooser are ways out of the kiosk.
 */
export type PrintKind = 'receipt' | 'sheet'

export type PrintPlan = { ok: true; dialog: boolean; printer: string | null } | { ok: false; reason: 'kioskNoReceiptPrinter' | 'kioskSheet' }

export function planPrint(kind: PrintKind, kiosk: boolean, receiptPrinter: string | null): PrintPlan {
  if (kiosk) {
    if (kind === 'sheet') return { ok: false, reason: 'kioskSheet' }
    if (!receiptPrinter) return { ok: false, reason: 'kioskNoReceiptPrinter' }
    return { ok: true, dialog: false, printer: receiptPrinter }
  }
  if (kind === 'receipt' && receiptPrinter) return { ok: true, dialog: false, printer: receiptPrinter }
  return { ok: true, dialog: true, printer: null }
}

export const RECEIPT_LAYOUTS = ['letter', 'roll80'] as const
export type ReceiptLayout = (typeof RECEIPT_LAYOUTS)[number]

/** Where the choices are kept in the settings table. */
export const RECEIPT_LAYOUT_SETTING = 'printing.receiptLayout'
export const RECEIPT_PRINTER_SETTING = 'printing.receiptPrinter'

export function receiptLayoutOf(value: string | undefined): ReceiptLayout {
  return value === 'roll80' ? 'roll80' : 'letter'
}
