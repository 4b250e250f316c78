import { useCallback, useEffect, useId, useState, type FormEvent } from 'react'
import type { KioskFamily } from '../../../../shared/contract/kiosk'
import type { Output } from '../../../../shared/contract'
import { formatInstant, formatMoney } from '../../../../shared/format'
import { navigate, replaceRoute, useSubPath } from '../../app/routes'
import { useLocale, useT } from '../../i18n/I18n'
import { endKiosk, startKiosk, useKioskRun } from '../../kiosk/store'
import { call } from '../../rpc/client'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { useDebounced } from '../../ui/useDebounced'
import { KioskMode } from './KioskMode'
import '../../styles/kiosk.css'

type Pending = Output<'kiosk.checkPending'>['pending']

/**
 * Kiosque, the office's side: find the family, open the kiosk for one guardian, turn the screen
 * around. While a kiosk runs, the parent's screen covers the window (KioskMode) until the staff
 * PIN ends it.
 */
export function KioskScreen() {
  const run = useKioskRun()
  const sub = useSubPath()
  useEffect(() => {
    // The kiosk's route without a kiosk (a reload, an old link): back to the office's screen.
    if (!run && sub[0] === 'session') replaceRoute('kiosk')
  }, [run, sub])
  const ended = useCallback(() => {
    endKiosk()
    navigate('kiosk')
  }, [])
  return (
    <>
      <StaffSide />
      {run ? <KioskMode run={run} onEnded={ended} /> : null}
    </>
  )
}

function StaffSide() {
  const t = useT()
  const locale = useLocale()
  const [query, setQuery] = useState('')
  const debounced = useDebounced(query.trim(), 250)
  const [families, setFamilies] = useState<KioskFamily[] | null>(null)
  const [error, setError] = useState('')
  const [chosen, setChosen] = useState<KioskFamily | null>(null)
  const [pending, setPending] = useState<Pending>([])
  const searchId = useId()

  useEffect(() => {
    let cancelled = false
    call('kiosk.checkPending', {}).then(
      (r) => !cancelled && setPending(r.pending),
      () => undefined,
    )
    return () => {
      cancelled = true
    }
  }, [])

  useEffect(() => {
    if (debounced.length < 2) {
      setFamilies(null)
      return
    }
    let cancelled = false
    call('kiosk.findFamilies', { query: debounced }).then(
      (r) => {
        if (cancelled) return
        setFamilies(r.families)
        setError('')
      },
      (e: unknown) => !cancelled && setError(messageOf(e, t)),
    )
    return () => {
      cancelled = true
    }
  }, [debounced, t])

  return (
    <div className="screen screen-kiosk">
      <ScreenHeading>{t('nav.kiosk')}</ScreenHeading>
      <p className="kiosk-intro">{t('kioskStaff.intro')}</p>
      {pending.length ? (
        <section className="notice notice-error" aria-labelledby="kiosk-pending">
          <h2 id="kiosk-pending">{t('kioskStaff.pendingTitle')}</h2>
          <ul>
            {pending.map((p) => (
              <li key={p.chargeId}>
                {t('kioskStaff.pendingLine', { name: p.guardianName, school: p.schoolName, amount: formatMoney(p.amountCents, locale), at: formatInstant(p.createdAt, locale) })}
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => void call('kiosk.checkPending', {}).then((r) => setPending(r.pending), () => undefined)}>
            {t('kioskStaff.pendingCheck')}
          </button>
        </section>
      ) : null}

      <div className="kiosk-staff">
        <section className="kiosk-find" aria-labelledby="kiosk-find-title">
          <h2 id="kiosk-find-title">{t('kioskStaff.findTitle')}</h2>
          <div className="field">
            <label htmlFor={searchId}>{t('kioskStaff.search')}</label>
            <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
            <span className="field-hint">{t('kioskStaff.searchHint')}</span>
          </div>
          <FormError message={error} />
          {families === null ? null : families.length === 0 ? (
            <p role="status">{t('kioskStaff.none')}</p>
          ) : (
            <ul className="kiosk-families" aria-label={t('kioskStaff.results', { count: families.length })}>
              {families.map((f) => (
                <li key={f.guardianId} className={chosen?.guardianId === f.guardianId ? 'kiosk-family kiosk-family-chosen' : 'kiosk-family'}>
                  <p className="kiosk-family-name">
                    {f.firstName} {f.lastName}
                  </p>
                  <p className="muted" id={`family-${f.guardianId}`}>
                    {[f.phone, f.email].filter(Boolean).join(' · ')}
                  </p>
                  <ul className="kiosk-family-children">
                    {f.children.map((c) => (
                      <li key={c.id}>
                        {c.firstName} {c.lastName} — {t('grade.label', { grade: c.grade })}, {c.schoolName}
                      </li>
                    ))}
                  </ul>
                  <button type="button" className="button" aria-pressed={chosen?.guardianId === f.guardianId} aria-describedby={`family-${f.guardianId}`} onClick={() => setChosen(f)}>
                    {t('kioskStaff.choose', { name: `${f.firstName} ${f.lastName}` })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        {chosen ? <StartForm family={chosen} /> : null}
      </div>
    </div>
  )
}

function StartForm({ family }: { family: KioskFamily }) {
  const t = useT()
  const [pin, setPin] = useState('')
  const [idle, setIdle] = useState('90')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const pinId = useId()
  const idleId = useId()
  const name = `${family.firstName} ${family.lastName}`

  async function open(event: FormEvent) {
    event.preventDefault()
    setError('')
    const seconds = Number(idle)
    if (pin && !/^\d{4,8}$/.test(pin)) return setError(t('kiosk.start.pinFormat'))
    if (!Number.isInteger(seconds) || seconds < 5 || seconds > 900) return setError(t('kioskStaff.idleRange'))
    setBusy(true)
    try {
      const started = await call('kiosk.start', { guardianId: family.guardianId, pin: pin || null, idleSeconds: seconds })
      setPin('')
      startKiosk({ token: started.token, idleSeconds: started.idleSeconds, guardianName: name, language: started.language })
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="kiosk-start" aria-labelledby="kiosk-start-title">
      <h2 id="kiosk-start-title">{t('kioskStaff.startTitle', { name })}</h2>
      <p>{t('kioskStaff.startExplain', { count: family.children.length })}</p>
      <form onSubmit={(e) => void open(e)} noValidate>
        <div className="field">
          <label htmlFor={pinId}>{t('kioskStaff.pin')}</label>
          <input id={pinId} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} aria-describedby={`${pinId}-hint`} />
          <span id={`${pinId}-hint`} className="field-hint">
            {t('kioskStaff.pinHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={idleId}>{t('kioskStaff.idle')}</label>
          <input id={idleId} type="text" inputMode="numeric" value={idle} onChange={(e) => setIdle(e.target.value)} aria-describedby={`${idleId}-hint`} />
          <span id={`${idleId}-hint`} className="field-hint">
            {t('kioskStaff.idleHint')}
          </span>
        </div>
        <FormError message={error} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('kioskStaff.open', { name })}
        </button>
      </form>
    </section>
  )
}
