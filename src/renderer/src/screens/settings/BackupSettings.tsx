import { useCallback, useEffect, useId, useRef, useState } from 'react'
import type { BackupEntry } from '../../../../shared/contract/backups'
import { formatInstant } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'

/**
 * The admin's backups: the folder (checked writable by the core), a backup now, the list with
 * each copy's check, and restore after a plain warning of what it does.
 */
export function BackupSettings() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const ids = { heading: useId(), folder: useId(), folderHint: useId() }
  const [folder, setFolder] = useState('')
  const [saved, setSaved] = useState<string | null>(null)
  const [backups, setBackups] = useState<BackupEntry[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState('')
  const [error, setError] = useState('')
  const [confirming, setConfirming] = useState<BackupEntry | null>(null)
  const [restored, setRestored] = useState<{ dataAsOf: string; setAside: string } | null>(null)

  const load = useCallback(
    () =>
      call('backups.list', {}).then(
        (r) => (setSaved(r.folder), setBackups(r.backups), setFolder((f) => f || r.folder || '')),
        (e: unknown) => setError(messageOf(e, t)),
      ),
    [t],
  )
  useEffect(() => void load(), [load, epoch])

  const at = (iso: string) => formatInstant(iso, locale)
  const act = (work: () => Promise<void>) => {
    setBusy(true)
    setDone('')
    setError('')
    work()
      .catch((e: unknown) => setError(messageOf(e, t)))
      .finally(() => setBusy(false))
  }

  if (restored)
    return (
      <section className="panel" aria-labelledby={ids.heading}>
        <h2 id={ids.heading}>{t('backupUi.title')}</h2>
        <p role="status">{t('backupUi.restored', { at: at(restored.dataAsOf), aside: restored.setAside })}</p>
        <button type="button" className="button" onClick={() => (setRestored(null), void load())}>
          {t('common.close')}
        </button>
      </section>
    )

  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('backupUi.title')}</h2>
      <p className="hint">{t('backupUi.intro')}</p>
      <form
        className="row-fields"
        onSubmit={(e) => {
          e.preventDefault()
          act(async () => {
            await call('backups.setFolder', { folder })
            setDone(t('backupUi.folderSaved'))
            await load()
          })
        }}
      >
        <div className="field field-wide">
          <label htmlFor={ids.folder}>{t('backupUi.folder')}</label>
          <input id={ids.folder} value={folder} aria-describedby={ids.folderHint} onChange={(e) => setFolder(e.target.value)} spellCheck={false} />
          <span id={ids.folderHint} className="hint">
            {t('backupUi.folderHint')}
          </span>
        </div>
        <button type="submit" className="button" disabled={busy || !folder.trim() || folder.trim() === saved}>
          {t('backupUi.saveFolder')}
        </button>
      </form>
      {saved === null && backups ? <p className="notice">{t('backupUi.noFolder')}</p> : null}
      <p>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || saved === null}
          onClick={() =>
            act(async () => {
              const entry = await call('backups.run', {})
              setDone(entry.ok ? t('backupUi.done', { at: at(entry.at) }) : t('backupUi.doneFailed', { at: at(entry.at), problem: entry.problem ?? '' }))
              await load()
            })
          }
        >
          {busy ? t('backupUi.running') : t('backupUi.runNow')}
        </button>
      </p>
      <p role="status">{done}</p>
      <FormError message={error} />
      {backups && saved !== null ? (
        <div className="table-scroll" tabIndex={0}>
          <table className="data-table">
            <caption>{t('backupUi.caption', { count: backups.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('backupUi.col.at')}</th>
                <th scope="col" className="numeric">
                  {t('backupUi.col.size')}
                </th>
                <th scope="col">{t('backupUi.col.reason')}</th>
                <th scope="col">{t('backupUi.col.result')}</th>
                <th scope="col">
                  <span className="sr-only">{t('backupUi.restore')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backups.map((b) => (
                <tr key={b.name}>
                  <td>{at(b.at)}</td>
                  <td className="numeric">{t('backupUi.size', { megabytes: Math.max(0.1, Math.round(b.sizeBytes / 100_000) / 10) })}</td>
                  <td>{t('backupUi.reason', { reason: b.reason })}</td>
                  <td>{b.ok ? t('backupUi.ok') : t('backupUi.failed', { problem: b.problem ?? '' })}</td>
                  <td>
                    <button type="button" className="button" disabled={busy || !b.ok} aria-label={t('backupUi.restoreLabel', { at: at(b.at) })} onClick={() => setConfirming(b)}>
                      {t('backupUi.restore')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {confirming ? (
        <RestoreDialog
          at={at(confirming.at)}
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() =>
            act(async () => {
              try {
                setRestored(await call('backups.restore', { name: confirming.name }))
              } finally {
                setConfirming(null)
              }
            })
          }
        />
      ) : null}
    </section>
  )
}

/** Says plainly what a restore does before it is done. */
function RestoreDialog({ at, busy, onCancel, onConfirm }: { at: string; busy: boolean; onCancel(): void; onConfirm(): void }) {
  const t = useT()
  const headingId = useId()
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={headingId} onCancel={onCancel}>
      <h2 id={headingId}>{t('backupUi.confirmTitle', { at })}</h2>
      <p>{t('backupUi.confirmDate', { at })}</p>
      <p>{t('backupUi.confirmBoard')}</p>
      <p>{t('backupUi.confirmAside')}</p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {t('backupUi.cancel')}
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
          {t('backupUi.confirm')}
        </button>
      </div>
    </dialog>
  )
}
