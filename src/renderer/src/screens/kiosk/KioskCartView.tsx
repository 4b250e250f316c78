import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { KioskCart, KioskPaymentView } from '../../../../shared/contract/kiosk'
import { formatMoney, formatReceiptNumber, type ReceiptSeries } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { RpcError } from '../../rpc/errors'
import { saveFile } from '../../ui/download'
import { printedMessage, untilPrinted } from '../../ui/print'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { useAnnounce, useKioskApi } from './KioskMode'

export interface PaidReceipt {
  paymentId: string
  schoolName: string
  receiptNumber: number
  receiptSeries: ReceiptSeries
  amountCents: number
  /** The part the family's credit paid; the card paid the rest. */
  creditCents: number
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
                  creditCents={school.creditCents}
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

interface PaymentProps {
  schoolId: string
  schoolName: string
  totalCents: number
  /** The guardian's credit at this school. */
  creditCents: number
  cardEntry: 'test_card' | 'terminal'
  demo: boolean
  onRefused(): void
  onPaid(r: PaidReceipt): void
}

/**
 * One school's payment. The family's credit at the school is offered first and used by default:
 * the card pays only the rest, and is not asked for at all when the credit covers the total.
 */
function Payment({ schoolId, schoolName, totalCents, creditCents, cardEntry, demo, onRefused, onPaid }: PaymentProps) {
  const t = useT()
  const locale = useLocale()
  const api = useKioskApi()
  const announce = useAnnounce()
  const money = (cents: number) => formatMoney(cents, locale)
  const [useCredit, setUseCredit] = useState(true)
  const spendsCredit = useCredit && creditCents > 0
  const creditPart = spendsCredit ? Math.min(creditCents, totalCents) : 0
  const cardPart = totalCents - creditPart
  const needsCard = cardPart > 0
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
    if (needsCard && cardEntry === 'test_card' && card.replace(/\D/g, '').length < 12) {
      setError(t('kioskUi.cardRequired'))
      cardRef.current?.focus()
      return
    }
    setDeclined('')
    setStatus('processing')
    // One id per press of Pay: the same request sent again is the same payment.
    const requestId = crypto.randomUUID()
    try {
      let view: KioskPaymentView = await api('kiosk.pay', {
        schoolId,
        requestId,
        useCredit: spendsCredit,
        card: !needsCard ? null : cardEntry === 'terminal' ? { kind: 'terminal' } : { kind: 'test_card', number: card },
      })
      // The answer comes in well under a second from the demo processor; a reader takes longer.
      // A sale the credit paid whole has no charge: it comes back approved.
      for (let poll = 0; view.status === 'processing' && view.chargeId && alive.current; poll++) {
        await new Promise((r) => setTimeout(r, poll < 3 ? 300 : 1000))
        view = await api('kiosk.payment', { chargeId: view.chargeId })
      }
      if (view.status === 'approved' && view.paymentId && view.receiptNumber !== null) {
        const number = formatReceiptNumber(view.receiptNumber, view.receiptSeries ?? 'office')
        announce(
          view.creditCents === 0
            ? t('kioskUi.approved', { school: schoolName, number })
            : view.creditCents >= view.amountCents
              ? t('kioskUi.approvedAllCredit', { school: schoolName, credit: money(view.creditCents), number })
              : t('kioskUi.approvedWithCredit', { school: schoolName, credit: money(view.creditCents), number }),
        )
        onPaid({
          paymentId: view.paymentId,
          schoolName,
          receiptNumber: view.receiptNumber,
          receiptSeries: view.receiptSeries ?? 'office',
          amountCents: view.amountCents,
          creditCents: view.creditCents,
          cardBrand: view.cardBrand,
          last4: view.last4,
        })
        return
      }
      setCard('')
      setDeclined(view.message ?? t('kiosk.failed.generic'))
      setRefocus((n) => n + 1)
    } catch (e) {
      // The credit shown was spent meanwhile (or the cart changed): the fresh cart says what the card pays now.
      if (e instanceof RpcError && (e.code === 'KIOSK_NOT_AVAILABLE' || e.issues.some((i) => i.path === 'card'))) onRefused()
      setError(fieldMessagesOf(e, t))
    } finally {
      if (alive.current) setStatus('idle')
    }
  }

  return (
    <form className="kiosk-payment" onSubmit={(e) => void pay(e)} noValidate aria-label={t('kioskUi.payAt', { school: schoolName })}>
      {creditCents > 0 ? (
        <fieldset className="kiosk-choices" disabled={status === 'processing'}>
          <legend className="kiosk-status">{t('kioskUi.creditTitle', { amount: money(creditCents) })}</legend>
          <label className="kiosk-choice">
            <input
              type="checkbox"
              checked={useCredit}
              onChange={(e) => {
                setUseCredit(e.target.checked)
                setDeclined('')
                setError('')
              }}
            />
            {t('kioskUi.useCredit')}
          </label>
          {/* Polite: ticking the box changes what the card pays, and a screen reader hears it. */}
          <p className="kiosk-lead" aria-live="polite">
            {!spendsCredit
              ? t('kioskUi.creditNotUsed', { amount: money(totalCents) })
              : needsCard
                ? t('kioskUi.creditSplit', { credit: money(creditPart), card: money(cardPart) })
                : `${t('kioskUi.creditCovers', { amount: money(creditPart) })}${creditCents > creditPart ? ` ${t('kioskUi.creditLeft', { amount: money(creditCents - creditPart) })}` : ''}`}
          </p>
        </fieldset>
      ) : null}
      {demo && needsCard ? <p className="kiosk-demo-note">{t('kioskUi.demoCards')}</p> : null}
      {!needsCard ? null : cardEntry === 'test_card' ? (
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
        {!needsCard
          ? t('kioskUi.payWithCredit', { amount: money(creditPart) })
          : declined
            ? t('kioskUi.payAgain', { amount: money(cardPart) })
            : creditPart > 0
              ? t('kioskUi.payCard', { amount: money(cardPart), school: schoolName })
              : t('kioskUi.pay', { amount: money(cardPart), school: schoolName })}
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
  const [printing, setPrinting] = useState(false)

  // The desktop kiosk prints to the receipt printer, never through a dialog or a download (ways
  // out of the kiosk); browser mode, which locks nothing, hands the PDF to the browser.
  async function printReceipt(): Promise<{ ok: boolean; text: string }> {
    const here = await api('kiosk.printStatus', {})
    if (!here.desktop) {
      saveFile({ ...(await api('kiosk.receipt', { paymentId: receipt.paymentId })), mimeType: 'application/pdf' })
      return { ok: true, text: '' }
    }
    if (!here.available) return { ok: false, text: t('printingUi.kioskNoPrinter') }
    const { jobId } = await api('kiosk.printReceipt', { paymentId: receipt.paymentId })
    return printedMessage(await untilPrinted(() => api('kiosk.printJob', { jobId })), t)
  }

  return (
    <article className="kiosk-receipt" aria-label={t('kioskUi.receiptLabel', { number: formatReceiptNumber(receipt.receiptNumber, receipt.receiptSeries), school: receipt.schoolName })}>
      <p className="kiosk-receipt-title">{t('kioskUi.paidAt', { school: receipt.schoolName, amount: formatMoney(receipt.amountCents, locale) })}</p>
      <p className="kiosk-receipt-number">{t('kioskUi.receiptNumber', { number: formatReceiptNumber(receipt.receiptNumber, receipt.receiptSeries) })}</p>
      {receipt.creditCents > 0 ? <p className="kiosk-status">{t('kioskUi.creditUsed', { amount: formatMoney(receipt.creditCents, locale) })}</p> : null}
      {receipt.last4 ? (
        <p className="muted">
          {receipt.creditCents > 0
            ? t('kioskUi.cardPart', { brand: (receipt.cardBrand ?? '').toUpperCase(), last4: receipt.last4, amount: formatMoney(receipt.amountCents - receipt.creditCents, locale) })
            : t('kioskUi.cardUsed', { brand: (receipt.cardBrand ?? '').toUpperCase(), last4: receipt.last4 })}
        </p>
      ) : null}
      <div className="kiosk-actions">
        <button
          type="button"
          className="button kiosk-button"
          disabled={printing}
          onClick={() => {
            setError('')
            setMessage('')
            setPrinting(true)
            printReceipt()
              .then((said) => (said.ok ? setMessage(said.text) : setError(said.text)), (e: unknown) => setError(messageOf(e, t)))
              .finally(() => setPrinting(false))
          }}
        >
          {printing ? t('printingUi.printing') : t('kioskUi.printReceipt')}
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
