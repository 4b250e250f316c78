import { useId, useState, type FormEvent } from 'react'
import type { KioskCart, KioskChild, KioskItem } from '../../../../shared/contract/kiosk'
import { formatInstant, formatMoney, formatSchoolDate } from '../../../../shared/format'
import { useLocale, useT } from '../../i18n/I18n'
import { RpcError } from '../../rpc/errors'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { useAnnounce, useKioskApi } from './KioskMode'

interface Props {
  kids: KioskChild[] | null
  onCart(cart: KioskCart): void
  onChanged(): void
  onGoToCart(): void
}

/** Each child, with what is open to them now: to buy, to answer, with the deadline. */
export function KioskFamilyView({ kids, onCart, onChanged, onGoToCart }: Props) {
  const t = useT()
  if (!kids) return <p role="status">{t('kioskUi.loading')}</p>
  return (
    <div className="kiosk-children">
      {kids.map((child) => (
        <section key={child.id} className="kiosk-child" aria-labelledby={`child-${child.id}`}>
          <h2 id={`child-${child.id}`}>
            {child.firstName} {child.lastName}
          </h2>
          <p className="kiosk-child-school">
            {child.schoolName} — {t('grade.label', { grade: child.grade })}
          </p>
          {child.items.length === 0 ? (
            <p>{t('kioskUi.nothingOpen', { name: child.firstName })}</p>
          ) : (
            <ul className="kiosk-items">
              {child.items.map((item) => (
                <li key={item.offeringId}>
                  <ItemCard child={child} item={item} onCart={onCart} onChanged={onChanged} onGoToCart={onGoToCart} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  )
}

function ItemCard({ child, item, onCart, onChanged, onGoToCart }: { child: KioskChild; item: KioskItem } & Omit<Props, 'kids'>) {
  const t = useT()
  const locale = useLocale()
  const titleId = useId()
  return (
    <article className="kiosk-item" aria-labelledby={titleId}>
      <h3 id={titleId}>{item.title}</h3>
      <p className="kiosk-deadline">{t('kioskUi.deadline', { when: formatInstant(item.deadlineAt, locale) })}</p>
      {item.description ? <p className="kiosk-description">{item.description}</p> : null}
      {item.kind === 'product' ? <ProductActions child={child} item={item} onCart={onCart} onGoToCart={onGoToCart} /> : null}
      {item.kind === 'program' ? <ProgramActions child={child} item={item} onCart={onCart} onGoToCart={onGoToCart} /> : null}
      {item.kind === 'fee' ? <FeeActions child={child} item={item} onCart={onCart} onGoToCart={onGoToCart} /> : null}
      {item.kind === 'outing' || item.kind === 'consent_form' ? <AnswerActions child={child} item={item} onCart={onCart} onChanged={onChanged} onGoToCart={onGoToCart} /> : null}
    </article>
  )
}

type ActionProps = { child: KioskChild; item: KioskItem; onCart(cart: KioskCart): void; onGoToCart(): void }

/** Adds to the cart and says so; a refusal comes back with its reason in words. */
function useAdd(onCart: (cart: KioskCart) => void) {
  const t = useT()
  const api = useKioskApi()
  const announce = useAnnounce()
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  async function add(input: Parameters<typeof api<'kiosk.cartAdd'>>[1], message: string): Promise<boolean> {
    setBusy(true)
    setError('')
    try {
      onCart(await api('kiosk.cartAdd', input))
      announce(message)
      return true
    } catch (e) {
      setError(fieldMessagesOf(e, t))
      return false
    } finally {
      setBusy(false)
    }
  }
  return { add, error, busy, setError }
}

function InCart({ onGoToCart }: { onGoToCart(): void }) {
  const t = useT()
  return (
    <p className="kiosk-in-cart">
      <span>{t('kioskUi.inCart')}</span>{' '}
      <button type="button" className="button button-link kiosk-button" onClick={onGoToCart}>
        {t('kioskUi.seeCart')}
      </button>
    </p>
  )
}

function ProductActions({ child, item, onCart, onGoToCart }: ActionProps) {
  const t = useT()
  const locale = useLocale()
  const { add, error, busy } = useAdd(onCart)
  const [variant, setVariant] = useState(item.variants[0]?.id ?? '')
  const [quantity, setQuantity] = useState(1)
  const ids = { variant: useId(), quantity: useId() }
  const most = Math.max(0, Math.min(5, item.perStudentLimit === null ? 5 : item.perStudentLimit - item.bought, item.stockLeft ?? 5))
  const price = item.variants.find((v) => v.id === variant)?.priceCents ?? item.priceCents
  if (most === 0) return <p className="kiosk-status">{item.stockLeft === 0 ? t('kioskUi.soldOut') : t('kioskUi.limitReached')}</p>
  return (
    <form
      className="kiosk-form"
      onSubmit={(e) => {
        e.preventDefault()
        void add({ studentId: child.id, offeringId: item.offeringId, variantId: variant || null, quantity }, t('kioskUi.added', { item: item.title }))
      }}
    >
      {item.variants.length ? (
        <div className="field">
          <label htmlFor={ids.variant}>{t('kioskUi.choice')}</label>
          <select id={ids.variant} value={variant} onChange={(e) => setVariant(e.target.value)}>
            {item.variants.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label} — {formatMoney(v.priceCents, locale)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={ids.quantity}>{t('kioskUi.quantity')}</label>
        <select id={ids.quantity} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
          {Array.from({ length: most }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <FormError message={error} />
      <button type="submit" className="button button-primary kiosk-button" disabled={busy}>
        {t('kioskUi.add', { amount: formatMoney(price * quantity, locale) })}
      </button>
      {item.inCart ? <InCart onGoToCart={onGoToCart} /> : null}
    </form>
  )
}

/** A program: each open date, with the choice for that date (or none). */
function ProgramActions({ child, item, onCart, onGoToCart }: ActionProps) {
  const t = useT()
  const locale = useLocale()
  const api = useKioskApi()
  const announce = useAnnounce()
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const legend = useId()

  async function choose(dateId: string, date: string, variantId: string) {
    setBusy(true)
    setError('')
    try {
      if (variantId) {
        onCart(await api('kiosk.cartAdd', { studentId: child.id, offeringId: item.offeringId, programDateId: dateId, variantId }))
        announce(t('kioskUi.addedDate', { date: formatSchoolDate(date, locale) }))
      } else {
        const cart = await api('kiosk.cart', {})
        const line = cart.schools.flatMap((s) => s.lines).find((l) => l.key.startsWith('program:') && l.key.endsWith(`:${item.offeringId}:${dateId}`) && l.studentId === child.id)
        onCart(line ? await api('kiosk.cartRemove', { key: line.key }) : cart)
        announce(t('kioskUi.removedDate', { date: formatSchoolDate(date, locale) }))
      }
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  if (item.dates.length === 0) return <p className="kiosk-status">{t('kioskUi.noDates')}</p>
  return (
    <fieldset className="kiosk-dates" aria-describedby={legend}>
      <legend id={legend}>{t('kioskUi.datesLegend')}</legend>
      <ul>
        {item.dates.map((d) => (
          <li key={d.id} className="kiosk-date">
            <DateChoice
              date={d}
              item={item}
              disabled={busy}
              onChoose={(variantId) => void choose(d.id, d.date, variantId)}
            />
          </li>
        ))}
      </ul>
      <FormError message={error} />
      {item.inCart ? <InCart onGoToCart={onGoToCart} /> : null}
    </fieldset>
  )
}

function DateChoice({ date, item, disabled, onChoose }: { date: KioskItem['dates'][number]; item: KioskItem; disabled: boolean; onChoose(variantId: string): void }) {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  const label = formatSchoolDate(date.date, locale)
  if (date.bought) {
    return (
      <p className="kiosk-date-bought">
        <span className="kiosk-date-label">{label}</span> <span className="tag tag-ok">{t('kioskUi.dateBought')}</span>
      </p>
    )
  }
  return (
    <div className="field kiosk-date-field">
      <label htmlFor={id} className="kiosk-date-label">
        {label}
      </label>
      <select id={id} value={date.inCart ?? ''} disabled={disabled} onChange={(e) => onChoose(e.target.value)}>
        <option value="">{t('kioskUi.noneForDate')}</option>
        {item.variants.map((v) => (
          <option key={v.id} value={v.id}>
            {v.label} — {formatMoney(v.priceCents, locale)}
          </option>
        ))}
      </select>
    </div>
  )
}

function FeeActions({ child, item, onCart, onGoToCart }: ActionProps) {
  const t = useT()
  const locale = useLocale()
  const { add, error, busy } = useAdd(onCart)
  if (item.settled) return <p className="kiosk-status kiosk-ok">{t('kioskUi.paid')}</p>
  return (
    <div className="kiosk-form">
      <p className="kiosk-price">{formatMoney(item.priceCents, locale)}</p>
      <FormError message={error} />
      {item.inCart ? (
        <InCart onGoToCart={onGoToCart} />
      ) : (
        <button type="button" className="button button-primary kiosk-button" disabled={busy} onClick={() => void add({ studentId: child.id, offeringId: item.offeringId }, t('kioskUi.added', { item: item.title }))}>
          {t('kioskUi.add', { amount: formatMoney(item.priceCents, locale) })}
        </button>
      )}
    </div>
  )
}

/** An outing or a consent form: the questions, the answer signed with the full name, then the payment. */
function AnswerActions({ child, item, onCart, onChanged, onGoToCart }: ActionProps & { onChanged(): void }) {
  const t = useT()
  const locale = useLocale()
  const { add, error, busy } = useAdd(onCart)
  const [answering, setAnswering] = useState(item.answer === null)
  const outing = item.outing
  const granted = item.answer?.decision === 'granted'
  const payable = item.kind === 'outing' && granted && item.priceCents > 0 && !item.settled

  return (
    <div className="kiosk-answer">
      {outing ? (
        <dl className="kiosk-facts">
          <dt>{t('kioskUi.when')}</dt>
          <dd>
            {formatSchoolDate(outing.startsOn, locale)}
            {outing.startTime && outing.endTime ? `, ${t('kioskUi.hours', { start: outing.startTime, end: outing.endTime })}` : ''}
          </dd>
          <dt>{t('kioskUi.where')}</dt>
          <dd>{outing.destination}</dd>
          <dt>{t('kioskUi.cost')}</dt>
          <dd>{item.priceCents > 0 ? formatMoney(item.priceCents, locale) : t('kioskUi.free')}</dd>
        </dl>
      ) : null}
      {item.answer ? (
        <p className="kiosk-status" role="status">
          {t('kioskUi.answerGiven', { decision: item.answer.decision, when: formatInstant(item.answer.recordedAt, locale) })}
          {outing ? ` ${t('kioskUi.outingState', { state: outing.state, position: outing.waitlistPosition ?? 0 })}` : ''}
        </p>
      ) : null}
      {answering ? (
        <ConsentForm
          child={child}
          item={item}
          onDone={() => {
            setAnswering(false)
            onChanged()
          }}
        />
      ) : (
        <button type="button" className="button kiosk-button" onClick={() => setAnswering(true)}>
          {t('kioskUi.changeAnswer')}
        </button>
      )}
      {payable ? (
        <div className="kiosk-form">
          <FormError message={error} />
          {item.inCart ? (
            <InCart onGoToCart={onGoToCart} />
          ) : outing?.fullIfPaid ? (
            <>
              <p className="kiosk-status">{t('kioskUi.outingFull')}</p>
              <button type="button" className="button button-primary kiosk-button" disabled={busy} onClick={() => void add({ studentId: child.id, offeringId: item.offeringId, waitlist: true }, t('kioskUi.added', { item: item.title }))}>
                {t('kioskUi.joinWaitlist', { amount: formatMoney(item.priceCents, locale) })}
              </button>
            </>
          ) : (
            <button type="button" className="button button-primary kiosk-button" disabled={busy} onClick={() => void add({ studentId: child.id, offeringId: item.offeringId }, t('kioskUi.added', { item: item.title }))}>
              {t('kioskUi.add', { amount: formatMoney(item.priceCents, locale) })}
            </button>
          )}
        </div>
      ) : null}
      {item.kind === 'outing' && item.settled ? <p className="kiosk-status kiosk-ok">{t('kioskUi.paid')}</p> : null}
    </div>
  )
}

function ConsentForm({ child, item, onDone }: { child: KioskChild; item: KioskItem; onDone(): void }) {
  const t = useT()
  const api = useKioskApi()
  const announce = useAnnounce()
  const [decision, setDecision] = useState<'granted' | 'declined' | ''>('')
  const [answers, setAnswers] = useState<Record<string, string>>(() => ({ ...(item.answer?.answers ?? {}) }))
  const [name, setName] = useState('')
  const [confirmed, setConfirmed] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const base = useId()
  const fieldId = (key: string) => `${base}-${key}`

  async function submit(event: FormEvent) {
    event.preventDefault()
    const local: Record<string, string> = {}
    if (!decision) local.decision = t('kioskUi.decisionRequired')
    if (!name.trim()) local.signedName = t('kiosk.consent.nameRequired')
    if (!confirmed) local.confirmed = t('kiosk.consent.confirmRequired')
    setErrors(local)
    setError('')
    if (Object.keys(local).length) {
      document.getElementById(fieldId(Object.keys(local)[0]!))?.focus()
      return
    }
    setBusy(true)
    try {
      const result = await api('kiosk.answer', {
        studentId: child.id,
        offeringId: item.offeringId,
        decision: decision as 'granted' | 'declined',
        signedName: name,
        confirmed: true,
        answers: Object.entries(answers)
          .filter(([, v]) => v.trim() !== '')
          .map(([questionId, value]) => ({ questionId, value })),
      })
      announce(t('kioskUi.answerSaved', { decision: result.decision }))
      onDone()
    } catch (e) {
      if (e instanceof RpcError && e.issues.length) {
        const byField: Record<string, string> = {}
        for (const issue of e.issues) byField[issue.path.startsWith('answers.') ? issue.path.slice('answers.'.length) : issue.path] = issue.message
        setErrors(byField)
        const first = Object.keys(byField)[0]
        if (first) document.getElementById(fieldId(first))?.focus()
      } else setError(messageOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  const describedBy = (key: string) => (errors[key] ? `${fieldId(key)}-error` : undefined)
  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`${fieldId(key)}-error`} className="form-error">
        {errors[key]}
      </p>
    ) : null

  return (
    <form className="kiosk-consent" onSubmit={(e) => void submit(e)} noValidate aria-label={t('kioskUi.consentFor', { item: item.title, name: child.firstName })}>
      {item.questions.map((q) => (
        <div key={q.id} className="kiosk-question">
          {q.kind === 'text' ? (
            <div className="field">
              <label htmlFor={fieldId(q.id)}>
                {q.label}
                {q.required ? ` ${t('kioskUi.required')}` : ''}
              </label>
              <input id={fieldId(q.id)} type="text" value={answers[q.id] ?? ''} onChange={(e) => setAnswers((a) => ({ ...a, [q.id]: e.target.value }))} aria-invalid={errors[q.id] ? true : undefined} aria-describedby={describedBy(q.id)} />
              {fieldError(q.id)}
            </div>
          ) : (
            <fieldset className="kiosk-choices" aria-describedby={describedBy(q.id)}>
              <legend>
                {q.label}
                {q.required ? ` ${t('kioskUi.required')}` : ''}
              </legend>
              {(q.kind === 'yes_no' ? [['yes', t('kioskUi.yes')], ['no', t('kioskUi.no')]] : q.choices.map((c, i) => [String(i), c])).map(([value, label], i) => (
                <label key={value} className="kiosk-choice">
                  <input
                    type="radio"
                    name={fieldId(q.id)}
                    id={i === 0 ? fieldId(q.id) : undefined}
                    value={value}
                    checked={answers[q.id] === value}
                    onChange={() => setAnswers((a) => ({ ...a, [q.id]: value! }))}
                  />
                  {label}
                </label>
              ))}
              {fieldError(q.id)}
            </fieldset>
          )}
        </div>
      ))}
      <fieldset className="kiosk-choices" aria-describedby={describedBy('decision')}>
        <legend>{t('kioskUi.decision', { name: child.firstName })}</legend>
        {(['granted', 'declined'] as const).map((value, i) => (
          <label key={value} className="kiosk-choice">
            <input type="radio" name={fieldId('decision')} id={i === 0 ? fieldId('decision') : undefined} value={value} checked={decision === value} onChange={() => setDecision(value)} />
            {t(value === 'granted' ? 'kioskUi.grant' : 'kioskUi.decline', { name: child.firstName })}
          </label>
        ))}
        {fieldError('decision')}
      </fieldset>
      <div className="field">
        <label htmlFor={fieldId('signedName')}>{t('kioskUi.signedName')}</label>
        <input id={fieldId('signedName')} type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={errors.signedName ? true : undefined} aria-describedby={[`${fieldId('signedName')}-hint`, describedBy('signedName')].filter(Boolean).join(' ')} />
        <span id={`${fieldId('signedName')}-hint`} className="field-hint">
          {t('kioskUi.signedNameHint')}
        </span>
        {fieldError('signedName')}
      </div>
      <div className="field">
        <label className="kiosk-choice kiosk-confirm">
          <input id={fieldId('confirmed')} type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} aria-invalid={errors.confirmed ? true : undefined} aria-describedby={describedBy('confirmed')} />
          {t('kioskUi.confirm', { name: child.firstName })}
        </label>
        {fieldError('confirmed')}
      </div>
      <FormError message={error} />
      <button type="submit" className="button button-primary kiosk-button" disabled={busy}>
        {t('kioskUi.sendAnswer')}
      </button>
    </form>
  )
}
