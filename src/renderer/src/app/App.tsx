import { useCallback, useEffect, useMemo, useState } from 'react'
import type { SessionView } from '../../../shared/contract/schemas'
import { DEFAULT_LOCALE, localeOf, type Locale } from '../../../shared/i18n'
import { I18nProvider } from '../i18n/I18n'
import { call, onSessionProblem, setSessionToken } from '../rpc/client'
import { SignInScreen } from '../screens/sign-in/SignInScreen'
import { ForcedPasswordChange } from '../screens/accounts/ForcedPasswordChange'
import { FirstStartScreen } from '../screens/setup/FirstStartScreen'
import type { SetupState } from '../../../shared/contract/accounts'
import { LockScreen } from './LockScreen'
import { HOME, replaceRoute } from './routes'
import { SessionContext, SystemInfoContext, type SessionContextValue, type SystemInfo } from './session'
import { Shell } from './Shell'
import { WorkspaceContext, type WorkspaceValue } from './workspace'

/** How often the app asks the core whether the session was locked for inactivity. */
const SESSION_POLL_MS = 15_000

type AuthState =
  | { status: 'signed-out'; notice: string | null }
  | { status: 'signed-in'; session: SessionView; locked: boolean; epoch: number }

export function App() {
  const [auth, setAuth] = useState<AuthState>({ status: 'signed-out', notice: null })
  // Before sign-in the UI is in French unless the person at the desk switches it.
  const [signInLocale, setSignInLocale] = useState<Locale>(DEFAULT_LOCALE)
  const locale = auth.status === 'signed-in' ? localeOf(auth.session.staff.language) : signInLocale
  const [info, setInfo] = useState<SystemInfo | null>(null)
  const [infoError, setInfoError] = useState<unknown>(null)
  const [infoAttempt, setInfoAttempt] = useState(0)

  const [setup, setSetup] = useState<SetupState | null>(null)

  useEffect(() => {
    let cancelled = false
    // What this install is: its first start (no account yet), the demo's database, or a real one.
    call('setup.state', {}).then(
      (value) => {
        if (!cancelled) setSetup(value)
      },
      () => undefined,
    )
    call('system.info', {}).then(
      (value) => {
        if (cancelled) return
        setInfo(value)
        setInfoError(null)
      },
      (error: unknown) => {
        if (!cancelled) setInfoError(error)
      },
    )
    return () => {
      cancelled = true
    }
  }, [infoAttempt])

  const signedIn = useCallback((view: SessionView) => {
    setSessionToken(view.token)
    setAuth({ status: 'signed-in', session: view, locked: view.locked, epoch: 0 })
    // A fresh start lands on the dashboard; after an expired session, where the user was.
    if (!/^#\/[a-z]/.test(window.location.hash)) replaceRoute(HOME)
  }, [])

  const signedOut = useCallback((notice: string | null) => {
    setSessionToken(undefined)
    setAuth({ status: 'signed-out', notice })
  }, [])

  // Any call that finds the session locked or gone, from any screen, switches the screen.
  useEffect(
    () =>
      onSessionProblem((error) => {
        if (error.code === 'SESSION_LOCKED') setAuth((a) => (a.status === 'signed-in' ? { ...a, locked: true } : a))
        else signedOut(error.message)
      }),
    [signedOut],
  )

  // The core locks an idle session by itself; polling is how the UI learns it.
  const isSignedIn = auth.status === 'signed-in'
  useEffect(() => {
    if (!isSignedIn) return
    let stopped = false
    const check = () => {
      call('auth.session', {}).then(
        (view) => {
          if (stopped) return
          setAuth((a) =>
            a.status === 'signed-in' && a.session.token === view.token
              ? { ...a, session: { ...a.session, staff: view.staff, lockAfterSeconds: view.lockAfterSeconds }, locked: view.locked }
              : a,
          )
        },
        () => {
          // NOT_SIGNED_IN and SESSION_LOCKED are handled by the listener; the rest waits for the next poll.
        },
      )
    }
    const timer = window.setInterval(check, SESSION_POLL_MS)
    const onVisible = () => {
      if (document.visibilityState === 'visible') check()
    }
    document.addEventListener('visibilitychange', onVisible)
    window.addEventListener('focus', check)
    return () => {
      stopped = true
      window.clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
      window.removeEventListener('focus', check)
    }
  }, [isSignedIn])

  const signOut = useCallback(async () => {
    try {
      await call('auth.signOut', {})
    } catch {
      // Signed out locally whatever the core says: the token is dropped below.
    }
    signedOut(null)
    setSignInLocale(DEFAULT_LOCALE)
    replaceRoute(null)
  }, [signedOut])

  const setLanguage = useCallback(async (language: 'fr' | 'en') => {
    const staff = await call('auth.setLanguage', { language })
    setAuth((a) => (a.status === 'signed-in' ? { ...a, session: { ...a.session, staff } } : a))
  }, [])

  const unlock = useCallback(async (password: string) => {
    const view = await call('auth.unlock', { password })
    setAuth((a) => (a.status === 'signed-in' ? { ...a, session: view, locked: false, epoch: a.epoch + 1 } : a))
  }, [])

  // The core switched databases (the demo opened or left): nobody is signed in there; ask again.
  const workspaceValue = useMemo<WorkspaceValue>(
    () => ({
      setup,
      switched: () => {
        signedOut(null)
        replaceRoute(null)
        setInfoAttempt((n) => n + 1)
      },
    }),
    [setup, signedOut],
  )

  const passwordChanged = useCallback((view: SessionView) => {
    setAuth((a) => (a.status === 'signed-in' ? { ...a, session: view, locked: false } : a))
  }, [])

  const sessionValue = useMemo<SessionContextValue | null>(
    () => (auth.status === 'signed-in' ? { session: auth.session, locked: auth.locked, epoch: auth.epoch, setLanguage, signOut } : null),
    [auth, setLanguage, signOut],
  )

  return (
    <I18nProvider locale={locale}>
      <SystemInfoContext.Provider value={info}>
        <WorkspaceContext.Provider value={workspaceValue}>
          {auth.status === 'signed-out' && setup?.firstStart ? (
            <FirstStartScreen
              onLocaleChange={setSignInLocale}
              onSwitching={workspaceValue.switched}
              onSignedIn={(view) => {
                // The first admin's next step: enrol this PC with the board's code.
                replaceRoute('sync')
                setSetup({ ...setup, firstStart: false })
                signedIn(view)
              }}
            />
          ) : auth.status === 'signed-out' || !sessionValue ? (
            <SignInScreen
              notice={auth.status === 'signed-out' ? auth.notice : null}
              infoError={infoError}
              onRetryInfo={() => setInfoAttempt((n) => n + 1)}
              onSignedIn={signedIn}
              onLocaleChange={setSignInLocale}
            />
          ) : auth.session.mustChangePassword ? (
            <ForcedPasswordChange onChanged={passwordChanged} onSignOut={() => void signOut()} />
          ) : (
            <SessionContext.Provider value={sessionValue}>
              {auth.locked ? <LockScreen onUnlock={unlock} onSignOut={signOut} /> : null}
              {/* Kept mounted while locked (hidden), so unlocking returns to the same search. */}
              <Shell hidden={auth.locked} />
            </SessionContext.Provider>
          )}
        </WorkspaceContext.Provider>
      </SystemInfoContext.Provider>
    </I18nProvider>
  )
}
