import type { PrintJobState } from '../../../shared/contract/printing'
import type { Translate } from '../i18n/I18n'

/**
 * Browser mode's printing: the PDF opens in a new tab, in the browser's own viewer, whose print
 * button does the rest. False when the browser blocked the tab.
 */
export function openPdf(file: { base64: string }): boolean {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }))
  const tab = window.open(url, '_blank')
  // The viewer holds its own copy once loaded.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return tab !== null
}

/** Asks how a print job went until it has ended (the system's dialog may stay open a while). */
export async function untilPrinted(poll: () => Promise<PrintJobState>, everyMs = 400): Promise<PrintJobState> {
  for (;;) {
    const state = await poll()
    if (state.status !== 'printing') return state
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}



export function printedMessage(state: PrintJobState, t: Translate): { ok: boolean; text: string } {
  switch (state.status) {
    case 'printed':
      return { ok: true, text: t('printingUi.printed') }
    case 'cancelled':
      return { ok: true, text: t('printingUi.cancelled') }
    default:
      return { ok: false, text: t('printingUi.failed', { reason: state.reason ?? '' }) }
  }
}
