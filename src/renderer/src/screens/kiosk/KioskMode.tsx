import { createContext, useCallback, useContext, useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react'
import { createPortal } from 'react-dom'
import { IntlProvider } from 'react-intl'
import type { Input, MethodName, Output } from '../../../../shared/contract'
import type { KioskCart, KioskChild, KioskStateView } from '../../../../shared/contract/kiosk'
import { catalogs, DEFAULT_LOCALE, localeOf, type Locale } from '../../../../shared/i18n'
import { useT } from '../../i18n/I18n'
import { kioskCall } from '../../kiosk/client'
import type { KioskRun } from '../../kiosk/store'
import { RpcError } from '../../rpc/errors'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { KioskCartView, type PaidReceipt } from './KioskCartView'
import { KioskFamilyView } from './KioskFamilyView'

/** A kiosk call that also tells the frame the parent is there (and when the session ended). */
type Api = <M extends MethodName>(method: M, input: Input<M>) => Promise<Output<M>>
const ApiContext = createContext<Api | null>(null)

export function useKioskApi(): Api {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useKioskApi outside the kiosk')
  return api
}

/** Says something to screen readers (added to the cart, payment accepted). */
const AnnounceContext = createContext<(message: string) => void>(() => undefined)
export const useAnnounce = () => useContext(AnnounceContext)

/**
 * The parent's screen: the whole window, in the parent's language, with nothing of the office's
 * screens reachable (they are inert behind it). Idle for the kiosk's time, it warns, then forgets
 * the family and the cart and waits for the staff PIN.
 */
export function KioskMode({ run, onEnded }: { run: KioskRun; onEnded(): void }) {
  const [language, setLanguage] = useState<'fr' | 'en'>(run.language)
  const locale = localeOf(language)
  const layer = useLayer(locale)
  return createPortal(
    <IntlProvider locale={locale} defaultLocale={DEFAULT_LOCALE} messages={catalogs[locale]} onError={(e) => console.error(e.message)}>
      <KioskFrame run={run} language={language} onLanguage={setLanguage} onEnded={onEnded} />
    </IntlProvider>,
    layer,
  )
}

/** The layer the kiosk draws in, over a window whose other content is made inert. */
function useLayer(locale: Locale): HTMLElement {
  const [layer] = useState(() => {
    const el = document.createElement('div')
    el.className = 'kiosk-layer'
    // Modal over the office's screens, which are inert behind it.
    el.setAttribute('role', 'dialog')
    el.setAttribute('aria-modal', 'true')
    return el
  })
  useLayoutEffect(() => {
    const root = document.getElementById('root')
    const title = document.title
    document.body.append(layer)
    root?.setAttribute('inert', '')
    return () => {
      root?.removeAttribute('inert')
      layer.remove()
      document.title = title
    }
  }, [layer])
  useLayoutEffect(() => {
    layer.lang = locale
    layer.setAttribute('aria-label', catalogs[locale]['names.kiosk'])
  }, [layer, locale])
  return layer
}

function KioskFrame({ run, language, onLanguage, onEnded }: { run: KioskRun; language: 'fr' | 'en'; onLanguage(l: 'fr' | 'en'): void; onEnded(): void }) {
  const t = useT()
  const [state, setState] = useState<KioskStateView | null>(null)
  const [ended, setEnded] = useState(false)
  const [view, setView] = useState<'family' | 'cart'>('family')
  const [children, setChildren] = useState<KioskChild[] | null>(null)
  const [cart, setCart] = useState<KioskCart | null>(null)
  const [receipts, setReceipts] = useState<PaidReceipt[]>([])
  const [announcement, setAnnouncement] = useState('')
  const [warning, setWarning] = useState(false)
  const [remaining, setRemaining] = useState(run.idleSeconds)
  const [exiting, setExiting] = useState(false)
  const lastTouch = useRef(Date.now())
  const headingRef = useRef<HTMLHeadingElement>(null)
  const warnAt = Math.min(20, Math.max(3, Math.floor(run.idleSeconds / 3)))

  const expire = useCallback(() => {
    // The family and the cart leave the screen (the core forgets them too).
    setEnded(true)
    setWarning(false)
    setChildren(null)
    setCart(null)
    setReceipts([])
    setView('family')
  }, [])

  // Held in a ref: the office's screen re-renders (its session poll) must not make the kiosk
  // fetch again, which would count as the parent's activity.
  const endedRef = useRef(onEnded)
  useEffect(() => {
    endedRef.current = onEnded
  }, [onEnded])

  const api = useCallback<Api>(
    async (method, input) => {
      try {
        const value = await kioskCall(method, input)
        lastTouch.current = Date.now()
        return value
      } catch (error) {
        if (error instanceof RpcError && error.code === 'KIOSK_EXPIRED') expire()
        if (error instanceof RpcError && error.code === 'NOT_SIGNED_IN') endedRef.current()
        throw error
      }
    },
    [expire],
  )

  const refresh = useCallback(async () => {
    const [s, f, c] = await Promise.all([api('kiosk.state', {}), api('kiosk.family', {}), api('kiosk.cart', {})])
    setState(s)
    setChildren(f.children)
    setCart(c)
  }, [api])

  const refreshFamily = useCallback(async () => {
    setChildren((await api('kiosk.family', {})).children)
  }, [api])

  useEffect(() => {
    refresh().catch(() => undefined)
  }, [refresh, language])

  // Back on the children: what the cart changed shows on their items.
  useEffect(() => {
    if (view === 'family') refreshFamily().catch(() => undefined)
  }, [view, refreshFamily])

  useEffect(() => {
    document.title = t('kioskUi.documentTitle')
  }, [t])

  useEffect(() => {
    const frame = requestAnimationFrame(() => headingRef.current?.focus())
    return () => cancelAnimationFrame(frame)
  }, [ended])

  // The idle clock: the time since the last call the core counted.
  useEffect(() => {
    if (ended) return
    const timer = window.setInterval(() => {
      const left = run.idleSeconds - (Date.now() - lastTouch.current) / 1000
      setRemaining(Math.max(0, Math.ceil(left)))
      if (left <= 0) expire()
      else setWarning(left <= warnAt)
    }, 250)
    return () => window.clearInterval(timer)
  }, [ended, run.idleSeconds, warnAt, expire])

  // A touch or a key tells the core the parent is still there (at most every few seconds).
  useEffect(() => {
    if (ended || warning) return
    const onActivity = () => {
      if (Date.now() - lastTouch.current > 3_000) api('kiosk.state', {}).catch(() => undefined)
    }
    window.addEventListener('pointerdown', onActivity, true)
    window.addEventListener('keydown', onActivity, true)
    return () => {
      window.removeEventListener('pointerdown', onActivity, true)
      window.removeEventListener('keydown', onActivity, true)
    }
  }, [api, ended, warning])

  const changeLanguage = useCallback(
    async (next: 'fr' | 'en') => {
      if (next === language) return
      const s = await api('kiosk.setLanguage', { language: next })
      setState(s)
      onLanguage(next)
    },
    [api, language, onLanguage],
  )

  const cartCount = cart ? cart.schools.reduce((n, s) => n + s.lines.length, 0) : 0
  const name = state?.guardian ? `${state.guardian.firstName} ${state.guardian.lastName}` : run.guardianName

  return (
    <ApiContext.Provider value={api}>
      <AnnounceContext.Provider value={setAnnouncement}>
        <div className="kiosk">
          <header className="kiosk-header">
            <p className="kiosk-brand">{t('kioskUi.brand')}</p>
            {state?.demo ? <p className="kiosk-demo">{t('processor.demoNotice')}</p> : null}
            <div className="kiosk-header-tools">
              <div className="kiosk-language" role="group" aria-label={t('kioskUi.language')}>
                {(['fr', 'en'] as const).map((l) => (
                  <button key={l} type="button" lang={localeOf(l)} className="button kiosk-button" aria-pressed={language === l} onClick={() => void changeLanguage(l).catch(() => undefined)}>
                    {t(l === 'fr' ? 'language.fr' : 'language.en')}
                  </button>
                ))}
              </div>
              {!ended ? (
                <button type="button" className="button kiosk-button kiosk-exit" onClick={() => setExiting(true)}>
                  {t('kioskUi.staffExit')}
                </button>
              ) : null}
            </div>
          </header>
          <main className="kiosk-main">
            {ended ? (
              <section className="kiosk-ended" aria-labelledby="kiosk-ended-title">
                <h1 id="kiosk-ended-title" ref={headingRef} tabIndex={-1}>
                  {t('kioskUi.endedTitle')}
                </h1>
                <p className="kiosk-lead">{t('kioskUi.endedText')}</p>
                <StaffPin onEnded={onEnded} />
              </section>
            ) : (
              <>
                <h1 ref={headingRef} tabIndex={-1}>
                  {t('kioskUi.hello', { name })}
                </h1>
                <p className="kiosk-lead">{t('kioskUi.lead')}</p>
                <nav className="kiosk-tabs" aria-label={t('kioskUi.steps')}>
                  <button type="button" className="button kiosk-button" aria-current={view === 'family' ? 'page' : undefined} onClick={() => setView('family')}>
                    {t('kioskUi.tabFamily')}
                  </button>
                  <button type="button" className="button kiosk-button" aria-current={view === 'cart' ? 'page' : undefined} onClick={() => setView('cart')}>
                    {t('kioskUi.tabCart', { count: cartCount })}
                  </button>
                </nav>
                {exiting ? (
                  <section className="kiosk-panel" aria-labelledby="kiosk-exit-title">
                    <h2 id="kiosk-exit-title">{t('kioskUi.staffExitTitle')}</h2>
                    <StaffPin onEnded={onEnded} onCancel={() => setExiting(false)} />
                  </section>
                ) : null}
                {view === 'family' ? (
                  <KioskFamilyView
                    kids={children}
                    onCart={(next) => {
                      setCart(next)
                      refreshFamily().catch(() => undefined)
                    }}
                    onChanged={() => void refresh().catch(() => undefined)}
                    onGoToCart={() => setView('cart')}
                  />
                ) : (
                  <KioskCartView
                    cart={cart}
                    cardEntry={state?.cardEntry ?? 'test_card'}
                    demo={state?.demo ?? false}
                    receipts={receipts}
                    onCart={setCart}
                    onPaid={(receipt) => {
                      setReceipts((list) => [...list, receipt])
                      void refresh().catch(() => undefined)
                    }}
                    onGoToFamily={() => setView('family')}
                  />
                )}
              </>
            )}
          </main>
          <p className="sr-only" role="status" aria-live="polite">
            {announcement}
          </p>
          {warning && !ended ? (
            <IdleWarning
              seconds={remaining}
              onStay={() => {
                setWarning(false)
                api('kiosk.state', {}).catch(() => undefined)
              }}
            />
          ) : null}
        </div>
      </AnnounceContext.Provider>
    </ApiContext.Provider>
  )
}

function IdleWarning({ seconds, onStay }: { seconds: number; onStay(): void }) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  const ids = { title: useId(), text: useId() }
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog ref={ref} className="dialog kiosk-dialog" role="alertdialog" aria-labelledby={ids.title} aria-describedby={ids.text} onCancel={(e) => { e.preventDefault(); onStay() }}>
      <h2 id={ids.title}>{t('kioskUi.idleTitle')}</h2>
      <p id={ids.text} className="kiosk-lead">
        {t('kioskUi.idleText', { seconds })}
      </p>
      <button type="button" className="button button-primary kiosk-button" autoFocus onClick={onStay}>
        {t('kioskUi.idleStay')}
      </button>
    </dialog>
  )
}

/** The staff PIN (or the staff member's password) that ends the kiosk. */
function StaffPin({ onEnded, onCancel }: { onEnded(): void; onCancel?(): void }) {
  const t = useT()
  const api = useKioskApi()
  const [pin, setPin] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const id = useId()
  const ref = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (onCancel) ref.current?.focus()
  }, [onCancel])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!pin) return setError(t('kioskUi.pinRequired'))
    setBusy(true)
    setError('')
    try {
      await api('kiosk.end', { pin })
      onEnded()
    } catch (e) {
      setError(messageOf(e, t))
      setPin('')
      ref.current?.focus()
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="kiosk-pin" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={id}>{t('kioskUi.pin')}</label>
        <input id={id} ref={ref} type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} aria-invalid={error ? true : undefined} />
      </div>
      <FormError message={error} />
      <div className="kiosk-actions">
        <button type="submit" className="button button-primary kiosk-button" disabled={busy}>
          {t('kioskUi.end')}
        </button>
        {onCancel ? (
          <button type="button" className="button kiosk-button" onClick={onCancel}>
            {t('kioskUi.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  )
}
