import { useT } from '../i18n/I18n'
import { useSystemInfo } from './session'

/** Says plainly, on every screen, that these are invented families and not the board's. */
export function DemoBadge() {
  const t = useT()
  const info = useSystemInfo()
  if (!info?.demo) return null
  return <span className="demo-badge">{t('shell.demoBadge')}</span>
}
