import { useEffect, useId, useState } from 'react'
import type { PrintStatus } from '../../../../shared/contract/printing'
import { useSession } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'

type Printer = { name: string; displayName: string }

/** The receipt layout (letter or 80 mm roll) and, in the desktop app, the receipt printer. */
export function PrintingSettings() {
  const t = useT()
  const { epoch } = useSession()
  const ids = { heading: useId(), printer: useId(), hint: useId() }
  const [status, setStatus] = useState<PrintStatus | null>(null)
  const [printers, setPrinters] = useState<Printer[] | null>(null)
  const [layout, setLayout] = useState<PrintStatus['receiptLayout']>('letter')
  const [printer, setPrinter] = useState('')
  const [error, setError] = useState('')
  const [saved, setSaved] = useState('')
  const [tick, setTick] = useState(0)

  useEffect(() => {
    call('printing.status', {}).then(
      (s) => {
        setStatus(s)
        setLayout(s.receiptLayout)
        setPrinter(s.receiptPrinter ?? '')
        if (s.available) call('printing.printers', {}).then((r) => setPrinters(r.printers), (e: unknown) => setError(messageOf(e, t)))
      },
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [epoch, t, tick])

  if (!status) return null
  // A printer chosen earlier and not there now (unplugged) stays shown, named as missing.
  const gone = printer && printers && !printers.some((p) => p.name === printer) ? printer : null
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('printingUi.title')}</h2>
      {status.available ? null : <p className="hint">{t('printingUi.browserHint')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setError('')
          setSaved('')
          call('printing.setReceipt', { layout, printer: status.available && printer ? printer : null }).then(
            (s) => (setStatus(s), setSaved(t('printingUi.saved'))),
            (err: unknown) => setError(messageOf(err, t)),
          )
        }}
      >
        <fieldset className="radio-group">
          <legend>{t('printingUi.layoutLegend')}</legend>
          {(['letter', 'roll80'] as const).map((value) => (
            <label key={value} className="radio">
              <input type="radio" name="receipt-layout" value={value} checked={layout === value} onChange={() => setLayout(value)} />
              {t('printingUi.layout', { layout: value })}
            </label>
          ))}
        </fieldset>
        {status.available ? (
          <div className="field">
            <label htmlFor={ids.printer}>{t('printingUi.printerLabel')}</label>
            <select id={ids.printer} aria-describedby={ids.hint} value={printer} onChange={(e) => setPrinter(e.target.value)}>
              <option value="">{t('printingUi.printerNone')}</option>
              {gone ? <option value={gone}>{t('printingUi.printerGone', { name: gone })}</option> : null}
              {(printers ?? []).map((p) => (
                <option key={p.name} value={p.name}>
                  {p.displayName}
                </option>
              ))}
            </select>
            <p id={ids.hint} className="hint">
              {t('printingUi.printerHint')}
            </p>
            {printers && printers.length === 0 ? <p>{t('printingUi.noPrinters')}</p> : null}
            <button type="button" className="button button-quiet" onClick={() => setTick((n) => n + 1)}>
              {t('printingUi.refresh')}
            </button>
          </div>
        ) : null}
        <button type="submit" className="button button-primary">
          {t('printingUi.save')}
        </button>
        <p role="status">{saved}</p>
        <FormError message={error} />
      </form>
    </section>
  )
}
