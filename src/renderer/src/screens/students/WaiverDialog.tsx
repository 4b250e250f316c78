import { useEffect, useId, useRef, useState } from 'react'
import type { ChildItem } from '../../../../shared/contract/students'
import { formatMoney } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { centsOf } from '../catalogue/draft'

/**
 * The principal covers all or part of a fee or an outing for one student, from the school's
 * assistance budget. The reason stays with the principal: secretaries see "covered".
 */
export function WaiverDialog({ studentId, studentName, item, onClose }: { studentId: string; studentName: string; item: ChildItem; onClose(granted: boolean): void }) {
  const t = useT()
  const locale = useLocale()
  const ref = useRef<HTMLDialogElement>(null)
  const ids = { title: useId(), amount: useId(), reason: useId() }
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [granted, setGranted] = useState(false)
  useEffect(() => ref.current?.showModal(), [])
  const title = (locale === 'en-CA' && item.titleEn) || item.titleFr
  const grant = () => {
    setBusy(true)
    const cents = amount.trim() === '' ? undefined : (centsOf(amount) ?? Number.NaN)
    call('waivers.grant', { studentId, offeringId: item.offeringId, reason, ...(cents === undefined ? {} : { amountCents: cents }) })
      .then(
        (r) => {
          setGranted(true)
          setError('')
          setAmount('')
          setReason(t('waive.granted', { amount: formatMoney(r.amountCents, locale), left: formatMoney(r.remainingBudgetCents, locale) }))
        },
        (e: unknown) => setError(messageOf(e, t)),
      )
      .finally(() => setBusy(false))
  }
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={ids.title} onClose={() => onClose(granted)}>
      <h2 id={ids.title}>{t('waive.title', { student: studentName, item: title })}</h2>
      {granted ? (
        <p role="status">{reason}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            grant()
          }}
        >
          <div className="field">
            <label htmlFor={ids.amount}>{t('waive.amount')}</label>
            <span className="money-input">
              <input id={ids.amount} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby={ids.amount + '-hint'} />
              <span aria-hidden="true">$</span>
            </span>
            <span id={ids.amount + '-hint'} className="hint">
              {t('waive.amountHint')}
            </span>
          </div>
          <div className="field">
            <label htmlFor={ids.reason}>{t('waive.reason')}</label>
            <input id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <FormError message={error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => ref.current?.close()}>
              {t('common.close')}
            </button>
            <button type="submit" className="button button-primary" disabled={busy || !reason.trim()}>
              {t('waive.grant')}
            </button>
          </div>
        </form>
      )}
      {granted ? (
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => ref.current?.close()}>
            {t('common.close')}
          </button>
        </div>
      ) : null}
    </dialog>
  )
}
