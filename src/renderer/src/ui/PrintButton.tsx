import { useState } from 'react'
import { useT } from '../i18n/I18n'
import { call } from '../rpc/client'
import { messageOf } from './errors'
import { openPdf, printedMessage, untilPrinted } from './print'

type What = { receipt: string } | { sheet: () => Promise<{ fileName: string; base64: string }> }

/**
 * "Imprimer" beside a document: in the desktop app, to the printer (a receipt to the receipt
 * printer chosen in Paramètres, a sheet through the system's dialog); in the browser, the PDF
 * opens in the browser's viewer to be printed from there.
 */
export function PrintButton({ what, label }: { what: What; label?: string }) {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null)

  async function print(): Promise<{ ok: boolean; text: string }> {
    const { available } = await call('printing.status', {})
    if (!available) {
      const file = 'receipt' in what ? await call('printing.receiptFile', { paymentId: what.receipt }) : await what.sheet()
      return openPdf(file) ? { ok: true, text: t('printingUi.opened') } : { ok: false, text: t('printingUi.popupBlocked') }
    }
    const { jobId } = 'receipt' in what ? await call('printing.printReceipt', { paymentId: what.receipt }) : await call('printing.printDocument', await sheetOf(what.sheet))
    return printedMessage(await untilPrinted(() => call('printing.job', { jobId })), t)
  }

  return (
    <span className="print-button">
      <button
        type="button"
        className="button button-quiet"
        disabled={busy}
        {...(label ? { 'aria-label': t('printingUi.printLabel', { what: label }) } : {})}
        onClick={() => {
          setBusy(true)
          setSaid(null)
          print()
            .then(setSaid, (e: unknown) => setSaid({ ok: false, text: messageOf(e, t) }))
            .finally(() => setBusy(false))
        }}
      >
        {busy ? t('printingUi.printing') : t('printingUi.print')}
      </button>
      <span role={said && !said.ok ? 'alert' : 'status'} className={said && !said.ok ? 'error-text' : 'muted'}>
        {said?.text}
      </span>
    </span>
  )
}

async function sheetOf(fetch: () => Promise<{ fileName: string; base64: string }>): Promise<{ fileName: string; base64: string }> {
  const { fileName, base64 } = await fetch()
  return { fileName, base64 }
}
