import { useEffect, useId, useState } from 'react'
import type { CallList } from '../../../../shared/contract/reports'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { saveFile } from '../../ui/download'
import { messageOf } from '../../ui/errors'
import { PrintButton } from '../../ui/PrintButton'

/**
 * The call list: families with a child who has not answered an item still open, with their
 * phones and language; for one item or all of them; printed or exported to Excel.
 */
export function CallListSection({ schoolId }: { schoolId: string }) {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const headingId = useId()
  const itemId = useId()
  const [offeringId, setOfferingId] = useState('')
  const [list, setList] = useState<CallList | null>(null)
  const [items, setItems] = useState<CallList['items']>([])
  const [shown, setShown] = useState(false)
  const [busy, setBusy] = useState<'pdf' | 'xlsx' | null>(null)
  const [error, setError] = useState('')
  const filter = { ...(schoolId ? { schoolId } : {}), ...(offeringId ? { offeringId } : {}) }
  const key = JSON.stringify(filter)

  // The open items of the school, for the item filter.
  useEffect(() => {
    let current = true
    setOfferingId('')
    call('reports.callList', schoolId ? { schoolId } : {}).then(
      (l) => current && setItems(l.items),
      () => current && setItems([]),
    )
    return () => {
      current = false
    }
  }, [schoolId, epoch])

  useEffect(() => {
    let current = true
    call('reports.callList', JSON.parse(key) as typeof filter).then(
      (l) => current && (setList(l), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [key, epoch, t])

  async function download(format: 'pdf' | 'xlsx') {
    setBusy(format)
    setError('')
    try {
      saveFile(await call('reports.callListFile', { ...filter, format }))
    } catch (e) {
      setError(messageOf(e, t))
    } finally {
      setBusy(null)
    }
  }

  const title = (i: { titleFr: string; titleEn: string | null }) => (locale === 'en-CA' ? (i.titleEn ?? i.titleFr) : i.titleFr)
  const byId = new Map((list?.items ?? []).map((i) => [i.offeringId, i]))
  return (
    <section className="report-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('callList.heading')}</h2>
      <p className="muted">{t('callList.intro')}</p>
      <div className="field field-inline">
        <label htmlFor={itemId}>{t('callList.item')}</label>
        <select id={itemId} value={offeringId} onChange={(e) => setOfferingId(e.target.value)}>
          <option value="">{t('callList.allItems')}</option>
          {items.map((i) => (
            <option key={i.offeringId} value={i.offeringId}>
              {schoolId ? title(i) : `${title(i)} — ${i.schoolName}`} ({t('callList.unanswered', { unanswered: i.unanswered, eligible: i.eligible })})
            </option>
          ))}
        </select>
      </div>
      <p role="status" className="report-count">
        {list ? t('callList.count', { families: list.families.length }) : ''}
      </p>
      <div className="report-buttons">
        <button type="button" className="button button-primary" aria-expanded={shown} onClick={() => setShown((s) => !s)} disabled={!list || list.families.length === 0}>
          {t('callList.show')}
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void download('pdf')}>
          {busy === 'pdf' ? t('export.working') : t('callList.pdf')}
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void download('xlsx')}>
          {busy === 'xlsx' ? t('export.working') : t('callList.xlsx')}
        </button>
        <PrintButton what={{ sheet: () => call('reports.callListFile', { ...filter, format: 'pdf' }) }} label={t('callList.heading')} />
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {list && list.families.length === 0 ? <p>{t('callList.none')}</p> : null}
      {list && shown && list.families.length > 0 ? (
        // Focusable, so that a keyboard can scroll a wide list (WCAG 2.1.1).
        <div className="table-scroll" tabIndex={0} role="group" aria-labelledby={headingId}>
          <table className="data-table call-list">
            <caption className="sr-only">{t('callList.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('callList.col.family')}</th>
                <th scope="col">{t('callList.col.phones')}</th>
                <th scope="col">{t('callList.col.language')}</th>
                <th scope="col">{t('callList.col.children')}</th>
              </tr>
            </thead>
            <tbody>
              {list.families.map((f) => (
                <tr key={f.guardianId}>
                  <th scope="row">
                    {f.lastName}, {f.firstName}
                  </th>
                  <td>{[f.phone, f.phoneAlt].filter(Boolean).join(' · ') || <span className="muted">{t('callList.noPhone')}</span>}</td>
                  <td>{t('callList.lang', { language: f.language })}</td>
                  <td>
                    <ul className="call-list-children">
                      {f.children.map((c) => (
                        <li key={c.studentId}>
                          <strong>
                            {c.firstName} {c.lastName}
                          </strong>
                          {c.className ? ` (${c.className})` : ''} —{' '}
                          {c.offeringIds
                            .map((id) => byId.get(id))
                            .filter((i) => i !== undefined)
                            .map(title)
                            .join(' ; ')}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list && list.withoutGuardian.length > 0 ? <p className="field-hint">{t('callList.withoutGuardian', { count: list.withoutGuardian.length })}</p> : null}
    </section>
  )
}
