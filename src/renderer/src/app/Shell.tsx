import { useEffect, useRef } from 'react'
import { useT } from '../i18n/I18n'
import { CatalogueScreen } from '../screens/catalogue/CatalogueScreen'
import { KioskScreen } from '../screens/kiosk/KioskScreen'
import { DashboardScreen } from '../screens/dashboard/DashboardScreen'
import { OutingsScreen } from '../screens/outings/OutingsScreen'
import { OrdersScreen } from '../screens/orders/OrdersScreen'
import { ReportsScreen } from '../screens/reports/ReportsScreen'
import { SettingsScreen } from '../screens/settings/SettingsScreen'
import { SyncScreen } from '../screens/sync/SyncScreen'
import { StudentsScreen } from '../screens/students/StudentsScreen'
import { AccountsScreen } from '../screens/accounts/AccountsScreen'
import { MyAccountScreen } from '../screens/accounts/MyAccountScreen'
import { DemoBadge } from './DemoBadge'
import { LanguageSwitch } from './LanguageSwitch'
import { HOME, hrefOf, ROUTES, useRoute, type RouteId } from './routes'
import { useSession } from './session'
import { LeaveDemoButton } from './workspace'

/** The signed-in frame: header, navigation, and the current screen in <main>. */
export function Shell({ hidden }: { hidden: boolean }) {
  const t = useT()
  const { session, signOut } = useSession()
  const route: RouteId = useRoute() ?? HOME
  const mainRef = useRef<HTMLElement>(null)
  const label = ROUTES.find((r) => r.id === route)?.label ?? 'nav.students'

  useEffect(() => {
    document.title = t('shell.documentTitle', { screen: t(label) })
  }, [t, label])

  // Moving to another screen puts focus on its heading, as a page load would for a screen reader.
  const previous = useRef(route)
  useEffect(() => {
    if (previous.current === route) return
    previous.current = route
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [route])

  return (
    <div className="shell" hidden={hidden}>
      <a
        className="skip-link"
        href={hrefOf(route)}
        onClick={(event) => {
          event.preventDefault()
          mainRef.current?.focus()
        }}
      >
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="app-name">{t('app.name')}</span>
          <DemoBadge />
          <LeaveDemoButton className="button button-quiet-dark" />
        </div>
        <div className="topbar-tools">
          <p className="who">
            <span className="who-name">{session.staff.displayName}</span>
            <span className="who-role">{t('role.label', { role: session.staff.role })}</span>
          </p>
          <LanguageSwitch />
          <button type="button" className="button button-quiet-dark" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label={t('shell.navLabel')}>
        <ul>
          {ROUTES.filter((r) => !('adminOnly' in r) || session.staff.role === 'admin').map((r) => (
            <li key={r.id}>
              <a href={hrefOf(r.id)} aria-current={r.id === route ? 'page' : undefined}>
                {t(r.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="contenu" ref={mainRef} tabIndex={-1} className={`main main-${route}`}>
        <Screen route={route} />
      </main>
    </div>
  )
}

function Screen({ route }: { route: RouteId }) {
  switch (route) {
    case 'dashboard':
      return <DashboardScreen />
    case 'students':
      return <StudentsScreen />
    case 'settings':
      return <SettingsScreen />
    case 'reports':
      return <ReportsScreen />
    case 'orders':
      return <OrdersScreen />
    case 'sync':
      return <SyncScreen />
    case 'outings':
      return <OutingsScreen />
    case 'catalogue':
      return <CatalogueScreen />
    case 'kiosk':
      return <KioskScreen />
    case 'accounts':
      return <AccountsScreen />
    case 'myAccount':
      return <MyAccountScreen />
  }
}
