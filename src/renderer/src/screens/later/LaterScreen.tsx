import type { MessageKey } from '../../../../shared/i18n'
import type { RouteId } from '../../app/routes'
import { ROUTES } from '../../app/routes'
import { useT } from '../../i18n/I18n'
import { ScreenHeading } from '../../ui/ScreenHeading'

/** What each screen not built yet will do, in words: no sample data stands in for it. */
const PLANNED: Partial<Record<RouteId, MessageKey>> = {
  dashboard: 'later.dashboard',
  catalogue: 'later.catalogue',
  outings: 'later.outings',
  kiosk: 'later.kiosk',
  sync: 'later.sync',
}

export function LaterScreen({ route }: { route: RouteId }) {
  const t = useT()
  const label = ROUTES.find((r) => r.id === route)?.label
  const planned = PLANNED[route]
  return (
    <div className="screen screen-later">
      {label ? <ScreenHeading>{t(label)}</ScreenHeading> : null}
      {planned ? <p className="later-text">{t(planned)}</p> : null}
      <p className="later-status">{t('later.status')}</p>
    </div>
  )
}
