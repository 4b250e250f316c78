import { useT } from '../i18n/I18n'

/** Previous and next for a grid the core pages: `total` rows in pages of `pageSize`. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage(page: number): void }) {
  const t = useT()
  return (
    <div className="pager">
      <button type="button" className="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t('orders.previous')}
      </button>
      <button type="button" className="button" disabled={(page + 1) * pageSize >= total} onClick={() => onPage(page + 1)}>
        {t('orders.next')}
      </button>
    </div>
  )
}
