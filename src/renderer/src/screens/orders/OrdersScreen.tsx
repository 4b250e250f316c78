import { createColumnHelper, type SortingState } from '@tanstack/react-table'
import { createContext, useContext, useEffect, useId, useMemo, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { OrderRow, OrdersListInput } from '../../../../shared/contract/money'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatInstant, formatMoney, formatReceiptNumber } from '../../../../shared/format'
import type { MessageKey } from '../../../../shared/i18n'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { saveFile } from '../../ui/download'
import { messageOf } from '../../ui/errors'
import { PrintButton } from '../../ui/PrintButton'
import { ExportButton, withoutPage } from '../../ui/ExportButton'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { FailedRefunds } from '../money/FailedRefunds'
import { RefundJobs } from '../money/RefundJobs'
import { RefundDialog } from '../money/RefundDialog'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { Pager } from '../../ui/Pager'
import { SortableTable, useServerSortedTable, type SortedGridFeatures } from '../../ui/SortableTable'
import { useDebounced } from '../../ui/useDebounced'

const PAGE_SIZE = 50
type SortField = NonNullable<OrdersListInput['sort']>['field']
const SORTABLE: Record<string, SortField> = { createdAt: 'createdAt', receiptNumber: 'receiptNumber', guardianName: 'guardianName', totalCents: 'totalCents' }
const STATUSES = ['paid', 'partially_refunded', 'refunded', 'unpaid'] as const

const helper = createColumnHelper<SortedGridFeatures, OrderRow>()

function ReceiptCell({ row }: { row: { original: OrderRow } }) {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const o = row.original
  if (!o.paymentId || o.receiptNumber === null) return <span className="muted">—</span>
  const number = formatReceiptNumber(o.receiptNumber, o.receiptSeries ?? 'board')
  return (
    <>
      <button
        type="button"
        className="button button-quiet"
        disabled={busy}
        aria-label={t('orders.receiptLabel', { number, family: o.guardianName })}
        onClick={() => {
          setBusy(true)
          call('receipts.pdf', { paymentId: o.paymentId! })
            .then((f) => saveFile({ ...f, mimeType: 'application/pdf' }))
            .catch(() => undefined)
            .finally(() => setBusy(false))
        }}
      >
        {t('orders.receiptButton', { number })}
        {o.processor === 'demo' ? <span className="tag tag-warning">{t('orders.demo')}</span> : null}
      </button>
      <PrintButton what={{ receipt: o.paymentId }} label={t('orders.receiptButton', { number })} />
      {/* Beside the button, not in it: the button's name is its aria-label, and the tender must be heard. */}
      <CreditTag order={o} />
    </>
  )
}

/** The part the family paid with its credit (a failed refund kept for it); all of it when the processor is 'credit'. */
function CreditTag({ order }: { order: OrderRow }) {
  const t = useT()
  const locale = useLocale()
  if (order.creditCents <= 0) return null
  return (
    <span className="tag tag-info">
      {order.processor === 'credit' || order.creditCents >= order.totalCents ? t('orders.familyCredit') : t('orders.familyCreditPart', { amount: formatMoney(order.creditCents, locale) })}
    </span>
  )
}

/** Opens the refund dialog of a row. */
const RefundContext = createContext<(order: OrderRow) => void>(() => undefined)

function RefundActionCell({ row }: { row: { original: OrderRow } }) {
  const t = useT()
  const open = useContext(RefundContext)
  const o = row.original
  if (!o.paymentId || o.status === 'refunded') return null
  return (
    <button type="button" className="button button-quiet" onClick={() => open(o)} aria-label={t('money.openLabel', { number: o.receiptNumber === null ? '' : formatReceiptNumber(o.receiptNumber, o.receiptSeries ?? 'board'), family: o.guardianName })}>
      {t('money.open')}
    </button>
  )
}

function MoneyCell({ cents }: { cents: number }) {
  return <>{formatMoney(cents, useLocale())}</>
}

const columns = helper.columns([
  helper.accessor('createdAt', { meta: { label: 'orders.col.date' }, cell: ({ getValue }) => <DateCell iso={getValue()} /> }),
  helper.accessor('receiptNumber', { meta: { label: 'orders.col.receipt' }, cell: ReceiptCell }),
  helper.accessor('guardianName', { meta: { label: 'orders.col.family' } }),
  helper.accessor((o) => o.students.join(', '), { id: 'students', enableSorting: false, meta: { label: 'orders.col.students' } }),
  helper.accessor((o) => o.items.join(', '), { id: 'items', enableSorting: false, meta: { label: 'orders.col.items' } }),
  helper.accessor('channel', { enableSorting: false, meta: { label: 'orders.col.channel' }, cell: ({ getValue }) => <Label k={`orders.channel.${getValue()}`} /> }),
  helper.accessor('totalCents', { meta: { label: 'orders.col.total', numeric: true }, cell: ({ getValue }) => <MoneyCell cents={getValue()} /> }),
  helper.accessor('refundedCents', { enableSorting: false, meta: { label: 'orders.col.refunded', numeric: true }, cell: RefundCell }),
  helper.accessor('status', { enableSorting: false, meta: { label: 'orders.col.status' }, cell: ({ getValue }) => <Label k={`orders.status.${getValue()}`} /> }),
  helper.display({ id: 'refund', meta: { label: 'money.col.actions' }, cell: RefundActionCell }),
])

function DateCell({ iso }: { iso: string }) {
  return <>{formatInstant(iso, useLocale())}</>
}

function Label({ k }: { k: MessageKey }) {
  return <>{useT()(k)}</>
}

function RefundCell({ row }: { row: { original: OrderRow } }) {
  const t = useT()
  const locale = useLocale()
  const o = row.original
  return (
    <>
      {formatMoney(o.refundedCents, locale)}
      {o.pendingRefundCents > 0 ? <span className="muted"> ({t('orders.pendingRefund', { amount: formatMoney(o.pendingRefundCents, locale) })})</span> : null}
    </>
  )
}

/** The orders of the board, filtered, sorted and paged by the core; totals of the whole filter. */
export function OrdersScreen() {
  const t = useT()
  const locale = useLocale()
  const { epoch } = useSession()
  const ids = { search: useId(), channel: useId(), status: useId(), from: useId(), to: useId(), count: useId() }
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [query, setQuery] = useState('')
  const debounced = useDebounced(query.trim(), 200)
  const [filters, setFilters] = useState({ schoolId: '', channel: '', status: '', from: '', to: '' })
  const [sorting, setSorting] = useState<SortingState>([{ id: 'createdAt', desc: true }])
  const [page, setPage] = useState(0)
  const [result, setResult] = useState<Output<'orders.list'> | null>(null)
  const [error, setError] = useState('')
  const [refunding, setRefunding] = useState<OrderRow | null>(null)
  const [refreshed, setRefreshed] = useState(0)

  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])

  const sort = sorting[0]
  const input = useMemo<OrdersListInput>(
    () => ({
      query: debounced,
      sort: { field: (sort && SORTABLE[sort.id]) || 'createdAt', direction: sort?.desc ? 'desc' : 'asc' },
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(filters.schoolId ? { schoolId: filters.schoolId } : {}),
      ...(filters.channel ? { channel: filters.channel as 'online' | 'kiosk' } : {}),
      ...(filters.status ? { status: filters.status as (typeof STATUSES)[number] } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
    }),
    [debounced, sort, page, filters],
  )

  useEffect(() => {
    let current = true
    call('orders.list', input).then(
      (r) => current && (setResult(r), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [input, epoch, t, refreshed])

  const setFilter = (key: keyof typeof filters, value: string) => {
    setFilters((f) => ({ ...f, [key]: value }))
    setPage(0)
  }

  const table = useServerSortedTable({ columns, data: result?.rows ?? [], getRowId: (o) => o.orderId, sorting, setSorting, setPage })

  const total = result?.total ?? 0
  const money = (c: number) => formatMoney(c, locale)
  return (
    <div className="screen screen-orders">
      <ScreenHeading>{t('nav.orders')}</ScreenHeading>
      <p className="muted">{t('orders.intro')}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor={ids.search}>{t('orders.search')}</label>
          <input id={ids.search} type="search" value={query} onChange={(e) => (setQuery(e.target.value), setPage(0))} />
        </div>
        <SchoolSelect schools={schools} value={filters.schoolId} onChange={(v) => setFilter('schoolId', v)} label={t('orders.school')} allLabel={t('orders.allSchools')} />
        <div className="field">
          <label htmlFor={ids.channel}>{t('orders.channel')}</label>
          <select id={ids.channel} value={filters.channel} onChange={(e) => setFilter('channel', e.target.value)}>
            <option value="">{t('orders.channel.all')}</option>
            <option value="online">{t('orders.channel.online')}</option>
            <option value="kiosk">{t('orders.channel.kiosk')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('orders.status')}</label>
          <select id={ids.status} value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">{t('orders.status.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orders.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.from}>{t('orders.from')}</label>
          <input id={ids.from} type="date" value={filters.from} onChange={(e) => setFilter('from', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('orders.to')}</label>
          <input id={ids.to} type="date" value={filters.to} onChange={(e) => setFilter('to', e.target.value)} />
        </div>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <div className="orders-bar">
        <p id={ids.count} role="status" className="report-count">
          {result ? (total === 0 ? t('orders.none') : t('orders.count', { from: page * PAGE_SIZE + 1, to: Math.min(total, (page + 1) * PAGE_SIZE), total })) : ''}
        </p>
        {result ? <p className="orders-totals">{t('orders.totals', { paid: money(result.totals.totalCents), refunded: money(result.totals.refundedCents), net: money(result.totals.netCents) })}</p> : null}
        <ExportButton fetch={() => call('reports.ordersXlsx', withoutPage(input))} />
        <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />
      </div>
      <RefundContext.Provider value={setRefunding}>
        <SortableTable table={table} describedBy={ids.count} />
      </RefundContext.Provider>
      {refunding ? (
        <RefundDialog
          order={refunding}
          onClose={() => {
            setRefunding(null)
            setRefreshed((n) => n + 1)
          }}
        />
      ) : null}
      <FailedRefunds refresh={refreshed} />
      <RefundJobs refresh={refreshed} />
    </div>
  )
}
