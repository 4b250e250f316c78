import { useEffect, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import { formatInstant } from '../../../../shared/format'
import { hrefOf } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'

/** Shown on the dashboard when the last good backup is older than two days, or there is none. */
export function BackupWarning({ tick }: { tick: number }) {
  const t = useT()
  const locale = useLocale()
  const { epoch, session } = useSession()
  const [status, setStatus] = useState<Output<'backups.status'> | null>(null)
  useEffect(() => {
    call('backups.status', {}).then(setStatus, () => setStatus(null))
  }, [epoch, tick])
  if (!status?.stale) return null
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>{status.lastGoodAt ? t('dashBackup.stale', { at: formatInstant(status.lastGoodAt, locale) }) : t('dashBackup.none')}</strong>{' '}
        {status.folderSet ? null : t('dashBackup.noFolder')}
      </p>
      {status.lastError ? <p>{t('dashBackup.lastError', { message: status.lastError.message })}</p> : null}
      <p>{session.staff.role === 'admin' ? <a href={hrefOf('settings')}>{t('dashBackup.adminHint')}</a> : t('dashBackup.staffHint')}</p>
    </div>
  )
}
