import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { KioskCart, KioskPaymentView } from '../../../../shared/contract/kiosk'
import { formatMoney, formatReceiptNumber, type ReceiptSeries } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { RpcError } from '../../rpc/errors'
import { saveFile } from '../../ui/download'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { useAnnounce, useKioskApi } from './KioskMode'

export interface PaidReceipt {
  paymentId: string
  schoolName: string
  receiptNumber: number
  receiptSeries: ReceiptSeries
  amountCents: number
  cardBrand: string | null
  last4: string | null
}

interface Props {
  cart: KioskCart | null
  cardEntry: 'test_card' | 'terminal'
  demo: boolean
  receipts: PaidReceipt[]
  onCart(cart: KioskCart): void
  onPaid(receipt: PaidReceipt): void
  onGoToFamily(): void
}

/** The cart by school: one payment per school (DOMAIN.md), then its receipt. */
export function KioskCartView({ cart, cardEntry, demo, receipts, onCart, onPaid, onGoToFamily }: Props) {
  const t = useT()
  const locale = useLocale()
  const api = useKioskApi()
  const [error, setError] = useState('')
  if (!cart) return <p role="status">{t('kioskUi.loading')}</p>
  return (
    <div className="kiosk-cart">
      {receipts.length ? (
        <section className="kiosk-receipts" aria-labelledby="kiosk-receipts-title">
          <h2 id="kiosk-receipts-title">{t('kioskUi.receiptsTitle')}</h2>
          <ul>
            {receipts.map((r) => (
              <li key={r.paymentId}>
                <Receipt receipt={r} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {cart.schools.length === 0 ? (
        <div className="kiosk-empty">
          <p>{t('kioskUi.cartEmpty')}</p>
          <button type="button" className="button kiosk-button" onClick={onGoToFamily}>
            {t('kioskUi.backToFamily')}
          </button>
        </div>
      ) : (
        <>
          {cart.schools.length > 1 ? <p className="kiosk-lead">{t('kioskUi.perSchool', { count: cart.schools.length })}</p> : null}
          <FormError message={error} />
          {cart.schools.map((school) => (
            <section key={school.schoolId} className="kiosk-school" aria-labelledby={`school-${school.schoolId}`}>
              <h2 id={`school-${school.schoolId}`}>{school.schoolName}</h2>
              <ul className="kiosk-lines">
                {school.lines.map((line) => (
                  <li key={line.key} className={line.problems.length ? 'kiosk-line kiosk-line-problem' : 'kiosk-line'}>
                    <div className="kiosk-line-text">
                      <p className="kiosk-line-title">
                        {line.title}
                        {line.quantity > 1 ? ` × ${line.quantity}` : ''}
                      </p>
                      <p className="muted">{[line.studentName, line.detail].filter(Boolean).join(' — ')}</p>
                      {line.problems.map((p) => (
                        <p key={p.code} className="form-error">
                          {p.message}
                        </p>
                      ))}
                    </div>
                    <p className="kiosk-line-amount">{formatMoney(line.amountCents, locale)}</p>
                    <button
                      type="button"
                      className="button kiosk-button"
                      aria-label={t('kioskUi.removeLine', { item: line.title, detail: [line.studentName, line.detail].filter(Boolean).join(', ') })}
                      onClick={() => {
                        setError('')
                        api('kiosk.cartRemove', { key: line.key }).then(onCart, (e: unknown) => setError(messageOf(e, t)))
                      }}
                    >
                      {t('kioskUi.remove')}
                    </button>
                  </li>
                ))}
              </ul>
              <p className="kiosk-total">{t('kioskUi.schoolTotal', { amount: formatMoney(school.totalCents, locale) })}</p>
              {school.payable ? (
                <Payment
                  schoolId={school.schoolId}
                  schoolName={school.schoolName}
                  totalCents={school.totalCents}
                  cardEntry={cardEntry}
                  demo={demo}
                  onRefused={() => api('kiosk.cart', {}).then(onCart, () => undefined)}
                  onPaid={onPaid}
                />
              ) : (
                <p className="kiosk-status">{t('kioskUi.fixFirst')}</p>
              )}
            </section>
          ))}
        </>
      )}
    </div>
  )
}

function Payment({ schoolId, schoolName, totalCents, cardEntry, demo, onRefused, onPaid }: { schoolId: string; schoolName: string; totalCents: number; cardEntry: 'test_card' | 'terminal'; demo: boolean; onRefused(): void; onPaid(r: PaidReceipt): void }) {
  const t = useT()
  const locale = useLocale()
  const api = useKioskApi()
  const announce = useAnnounce()
  const [card, setCard] = useState('')
  const [status, setStatus] = useState<'idle' | 'processing'>('idle')
  const [declined, setDeclined] = useState('')
  const [error, setError] = useState('')
  const cardId = useId()
  const hintId = useId()
  const cardRef = useRef<HTMLInputElement>(null)
  const alive = useRef(true)
  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
    }
  }, [])
  // After a refusal, back to the card field, once it is enabled again.
  const [refocus, setRefocus] = useState(0)
  useEffect(() => {
    if (refocus && status === 'idle') cardRef.current?.focus()
  }, [refocus, status])

  async function pay(event: FormEvent) {
    event.preventDefault()
    setError('')
    if (cardEntry === 'test_card' && card.replace(/\D/g, '').length < 12) {
      setError(t('kioskUi.cardRequired'))
      cardRef.current?.focus()
      return
    }
    setDeclined('')
    setStatus('processing')
    // One id per press of Pay: the same request sent again is the same payment.
    const requestId = crypto.randomUUID()
    try {
      let view: KioskPaymentView = await api('kiosk.pay', { schoolId, requestId, card: cardEntry === 'terminal' ? { kind: 'terminal' } : { kind: 'test_card', number: card } })
      // The answer comes in well under a second from the demo processor; a reader takes longer.
      for (let poll = 0; view.status === 'processing' && alive.current; poll++) {
        await new Promise((r) => setTimeout(r, poll < 3 ? 300 : 1000))
        view = await api('kiosk.payment', { chargeId: view.chargeId! })
      }
      if (view.status === 'approved' && view.paymentId && view.receiptNumber !== null) {
        announce(t('kioskUi.approved', { school: schoolName, number: formatReceiptNumber(view.receiptNumber, view.receiptSeries ?? 'office') }))
        onPaid({ paymentId: view.paymentId, schoolName, receiptNumber: view.receiptNumber, receiptSeries: view.receiptSeries ?? 'office', amountCents: view.amountCents, cardBrand: view.cardBrand, last4: view.last4 })
        return
      }
      setCard('')
      setDeclined(view.message ?? t('kiosk.failed.generic'))
      setRefocus((n) => n + 1)
    } catch (e) {
      if (e instanceof RpcError && e.code === 'KIOSK_NOT_AVAILABLE') onRefused()
      setError(fieldMessagesOf(e, t))
    } finally {
      if (alive.current) setStatus('idle')
    }
  }

  return (
    <form className="kiosk-payment" onSubmit={(e) => void pay(e)} noValidate aria-label={t('kioskUi.payAt', { school: schoolName })}>
      {demo ? <p className="kiosk-demo-note">{t('kioskUi.demoCards')}</p> : null}
      {cardEntry === 'test_card' ? (
        <div className="field">
          <label htmlFor={cardId}>{t('kioskUi.cardNumber')}</label>
          <input
            id={cardId}
            ref={cardRef}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={card}
            onChange={(e) => setCard(e.target.value)}
            aria-describedby={hintId}
            aria-invalid={error || declined ? true : undefined}
            disabled={status === 'processing'}
          />
          <span id={hintId} className="field-hint">
            {t('kioskUi.cardHint')}
          </span>
        </div>
      ) : (
        <p className="kiosk-lead">{t('kioskUi.terminal')}</p>
      )}
      {declined ? (
        <div className="kiosk-declined" role="alert">
          <p>{declined}</p>
        </div>
      ) : null}
      <FormError message={error} />
      {status === 'processing' ? (
        <p className="kiosk-status" role="status">
          {t('kioskUi.processing')}
        </p>
      ) : null}
      <button type="submit" className="button button-primary kiosk-button kiosk-pay" disabled={status === 'processing'}>
        {declined ? t('kioskUi.payAgain', { amount: formatMoney(totalCents, locale) }) : t('kioskUi.pay', { amount: formatMoney(totalCents, locale), school: schoolName })}
      </button>
    </form>
  )
}

function Receipt({ receipt }: { receipt: PaidReceipt }) {
  const t = useT()
  const locale = useLocale()
  const api = useKioskApi()
  const [message, setMessage] = useState('')
  const [error, setError] = useState('')
  return (
    <article className="kiosk-receipt" aria-label={t('kioskUi.receiptLabel', { number: formatReceiptNumber(receipt.receiptNumber, receipt.receiptSeries), school: receipt.schoolName })}>
      <p className="kiosk-receipt-title">{t('kioskUi.paidAt', { school: receipt.schoolName, amount: formatMoney(receipt.amountCents, locale) })}</p>
      <p className="kiosk-receipt-number">{t('kioskUi.receiptNumber', { number: formatReceiptNumber(receipt.receiptNumber, receipt.receiptSeries) })}</p>
      {receipt.last4 ? <p className="muted">{t('kioskUi.cardUsed', { brand: (receipt.cardBrand ?? '').toUpperCase(), last4: receipt.last4 })}</p> : null}
      <div className="kiosk-actions">
        <button
          type="button"
          className="button kiosk-button"
          onClick={() => {
            setError('')
            api('kiosk.receipt', { paymentId: receipt.paymentId }).then((file) => saveFile({ ...file, mimeType: 'application/pdf' }), (e: unknown) => setError(messageOf(e, t)))
          }}
        >
          {t('kioskUi.printReceipt')}
        </button>
        <button
          type="button"
          className="button kiosk-button"
          onClick={() => {
            setError('')
            api('kiosk.emailReceipt', { paymentId: receipt.paymentId }).then(
              (r) => setMessage(t('kioskUi.emailed', { email: r.email })),
              (e: unknown) => setError(fieldMessagesOf(e, t)),
            )
          }}
        >
          {t('kioskUi.emailReceipt')}
        </button>
      </div>
      <p role="status">{message}</p>
      <FormError message={error} />
    </article>
  )
}
