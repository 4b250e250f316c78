import { useId, useState } from 'react'
import type { DocumentFile } from '../../../shared/contract/reports'
import { useT } from '../i18n/I18n'
import { saveFile } from './download'
import { messageOf } from './errors'

/**
 * "Exporter en Excel" for a grid: the core builds the workbook from the grid's own filter and
 * sort, with every matching row (not only the page on screen).
 */
export function ExportButton({ fetch }: { fetch(): Promise<DocumentFile> }) {
  const t = useT()
  const hintId = useId()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  return (
    <span className="export-button">
      <button
        type="button"
        className="button"
        aria-describedby={hintId}
        title={t('export.hint')}
        disabled={busy}
        onClick={() => {
          setBusy(true)
          setError('')
          fetch()
            .then(saveFile, (e: unknown) => setError(messageOf(e, t)))
            .finally(() => setBusy(false))
        }}
      >
        {busy ? t('export.working') : t('export.button')}
      </button>
      <span id={hintId} className="sr-only">
        {t('export.hint')}
      </span>
      {error ? (
        <span role="alert" className="error-text">
          {error}
        </span>
      ) : null}
    </span>
  )
}

/** A grid's list input without its page: what its export takes. */
export function withoutPage<T extends { offset?: number; limit?: number }>(input: T): Omit<T, 'offset' | 'limit'> {
  const { offset: _offset, limit: _limit, ...filter } = input
  return filter
}
