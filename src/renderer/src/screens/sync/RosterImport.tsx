import { useId, useState } from 'react'
import type { z } from 'zod'
import type { RosterImportSummary } from '../../../../shared/contract/roster'
import { useSession } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'

type Source = { kind: 'zip'; base64: string } | { kind: 'files'; files: Record<string, string> }
type Summary = z.infer<typeof RosterImportSummary>
interface Preview {
  ok: boolean
  mode: 'bulk' | 'delta'
  summary: Summary
  issues: Array<{ file: string; line: number; fatal: boolean; message: string }>
}

/** A file's bytes as base64, by chunks (a roster zip is larger than one call's argument list). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** One zip, or the CSV files of a folder by their names (a folder's path is dropped). */
async function sourceOf(files: File[]): Promise<Source> {
  const zip = files.find((f) => f.name.toLowerCase().endsWith('.zip'))
  if (zip) return { kind: 'zip', base64: await base64Of(zip) }
  const texts: Record<string, string> = {}
  for (const f of files) texts[f.name.split('/').pop()!] = await f.text()
  return { kind: 'files', files: texts }
}

/**
 * The OneRoster 1.1 import (principal and admin): choose a bundle, see what would change and the
 * rows left out, then apply it. A fatal error (missing file or column, another version) applies
 * nothing: the button stays off and the core refuses it too.
 */
export function RosterImport() {
  const t = useT()
  const { session } = useSession()
  const ids = { heading: useId(), file: useId(), help: useId() }
  const [source, setSource] = useState<Source | null>(null)
  const [names, setNames] = useState<string[]>([])
  const [preview, setPreview] = useState<Preview | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  if (session.staff.role === 'secretary') return null

  const choose = async (list: FileList | null) => {
    const files = list ? [...list] : []
    setPreview(null)
    setNotice('')
    setError('')
    setSource(null)
    setNames(files.map((f) => f.name))
    if (!files.length) return
    setBusy(true)
    try {
      const s = await sourceOf(files)
      setSource(s)
      setPreview(await call('roster.previewImport', { source: s }))
    } catch (e) {
      setError(messageOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  const apply = async () => {
    if (!source) return
    setBusy(true)
    try {
      const done = await call('roster.import', { source })
      setNotice(t('rosterUi.applied', { added: done.summary.students.added, updated: done.summary.students.updated, skipped: done.skippedRows }))
      setPreview(null)
      setSource(null)
      setError('')
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    } finally {
      setBusy(false)
    }
  }

  const rows: Array<['rosterUi.row.schools' | 'rosterUi.row.classes' | 'rosterUi.row.students' | 'rosterUi.row.guardians', keyof Summary]> = [
    ['rosterUi.row.schools', 'schools'],
    ['rosterUi.row.classes', 'classes'],
    ['rosterUi.row.students', 'students'],
    ['rosterUi.row.guardians', 'guardians'],
  ]
  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('rosterUi.heading')}</h2>
      <p className="hint" id={ids.help}>
        {t('rosterUi.intro')}
      </p>
      <div className="field">
        <label htmlFor={ids.file}>{t('rosterUi.file')}</label>
        <input id={ids.file} type="file" accept=".zip,.csv" multiple aria-describedby={ids.help} disabled={busy} onChange={(e) => void choose(e.target.files)} />
      </div>
      <p role="status" aria-live="polite">
        {busy ? t('rosterUi.reading') : notice || (names.length ? t('rosterUi.chosen', { count: names.length, names: names.join(', ') }) : '')}
      </p>
      <FormError message={error} />
      {preview ? (
        <>
          <p>{t(preview.mode === 'bulk' ? 'rosterUi.mode.bulk' : 'rosterUi.mode.delta')}</p>
          <table className="data-table">
            <caption>{t('rosterUi.summaryCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rosterUi.col.what')}</th>
                <th scope="col" className="numeric">
                  {t('rosterUi.col.added')}
                </th>
                <th scope="col" className="numeric">
                  {t('rosterUi.col.updated')}
                </th>
                <th scope="col" className="numeric">
                  {t('rosterUi.col.unchanged')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, key]) => {
                const tally = preview.summary[key] as { added: number; updated: number; unchanged: number }
                return (
                  <tr key={key}>
                    <th scope="row">{t(label)}</th>
                    <td className="numeric">{tally.added}</td>
                    <td className="numeric">{tally.updated}</td>
                    <td className="numeric">{tally.unchanged}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p>{t('rosterUi.withdrawn', { count: preview.summary.students.withdrawn })}</p>
          <p>{t('rosterUi.links', { added: preview.summary.links.added, removed: preview.summary.links.removed })}</p>
          {preview.issues.length === 0 ? (
            <p className="muted">{t('rosterUi.noIssues')}</p>
          ) : (
            <table className="data-table">
              <caption>{t('rosterUi.issuesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rosterUi.col.file')}</th>
                  <th scope="col" className="numeric">
                    {t('rosterUi.col.line')}
                  </th>
                  <th scope="col">{t('rosterUi.col.problem')}</th>
                  <th scope="col">{t('rosterUi.col.effect')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.issues.map((i, n) => (
                  <tr key={`${i.file}:${i.line}:${n}`}>
                    <td>{i.file}</td>
                    <td className="numeric">{i.line}</td>
                    <td>{i.message}</td>
                    <td>{t(i.fatal ? 'rosterUi.fatal' : 'rosterUi.skipped')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!preview.ok ? <p className="form-error">{t('rosterUi.fatalHelp')}</p> : null}
          <button type="button" className="button button-primary" disabled={busy || !preview.ok} onClick={() => void apply()}>
            {t('rosterUi.apply')}
          </button>
        </>
      ) : null}
    </section>
  )
}
