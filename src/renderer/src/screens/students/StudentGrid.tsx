import {
  createColumnHelper,
  metaHelper,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { StudentRow } from '../../../../shared/contract/students'
import type { MessageKey } from '../../../../shared/i18n'
import { useT } from '../../i18n/I18n'
import { AlertIcon, SortIcon } from '../../ui/Icons'
import { GradeLabel } from './labels'

const features = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  columnMeta: metaHelper<{ label: MessageKey }>(),
})

const helper = createColumnHelper<typeof features, StudentRow>()

function NameCell({ row }: { row: { original: StudentRow } }) {
  const t = useT()
  const s = row.original
  return (
    <>
      <span className="cell-strong">{s.lastName}</span>
      {s.status === 'withdrawn' ? <span className="tag tag-muted">{t('students.withdrawnTag')}</span> : null}
    </>
  )
}

function ClassCell({ row }: { row: { original: StudentRow } }) {
  const t = useT()
  return row.original.className ?? <span className="muted">{t('students.noClass')}</span>
}

function AlertCell({ row }: { row: { original: StudentRow } }) {
  const t = useT()
  if (!row.original.hasMedicalAlert) return null
  return (
    <span className="medical-flag" title={t('students.medicalAlert')}>
      <AlertIcon />
      <span className="sr-only">{t('students.medicalAlert')}</span>
    </span>
  )
}

/** Module scope: the columns must keep their identity between renders. */
const columns = helper.columns([
  helper.accessor('lastName', { meta: { label: 'students.col.lastName' }, cell: NameCell }),
  helper.accessor('firstName', { meta: { label: 'students.col.firstName' } }),
  helper.accessor('grade', { meta: { label: 'students.col.grade' }, cell: ({ getValue }) => <GradeLabel grade={getValue()} /> }),
  helper.accessor('className', { meta: { label: 'students.col.class' }, cell: ClassCell }),
  helper.accessor('schoolName', { meta: { label: 'students.col.school' } }),
  helper.accessor('hasMedicalAlert', { id: 'alert', enableSorting: false, meta: { label: 'students.col.alert' }, cell: AlertCell }),
])

const ROW_HEIGHT = 44
/** Rows moved by Page Up / Page Down. */
const PAGE_JUMP = 10

interface Props {
  rows: StudentRow[]
  total: number
  loading: boolean
  sorting: SortingState
  onSortingChange(updater: Updater<SortingState>): void
  pagination: PaginationState
  onPaginationChange(updater: Updater<PaginationState>): void
  labelledBy: string
  describedBy: string
  /** Shown in the grid's frame when there is no row (no match). */
  empty: ReactNode
  /** A student was chosen (click, Enter or Space); `from` gets focus back when the family closes. */
  onOpen(student: StudentRow, from: HTMLElement): void
}

/**
 * The students of one page, as a grid: the core has already filtered, sorted and paged them
 * (manual sorting and pagination); TanStack Table holds the columns and that state, TanStack
 * Virtual renders only the rows in view. Rows are focusable (one tab stop, arrows move).
 */
export function StudentGrid(props: Props) {
  const { rows: data, total, loading, sorting, pagination, labelledBy, describedBy, empty, onOpen } = props
  const t = useT()
  const table = useTable({
    features,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { sorting, pagination },
    onSortingChange: props.onSortingChange,
    onPaginationChange: props.onPaginationChange,
    manualSorting: true,
    manualPagination: true,
    rowCount: total,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
  })

  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 10,
  })

  // The row that holds the grid's single tab stop.
  const [active, setActive] = useState(0)
  const activeIndex = Math.min(active, Math.max(rows.length - 1, 0))

  // A new page or a new search starts at the top.
  const firstId = rows[0]?.id
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
    setActive(0)
  }, [firstId, pagination.pageIndex])

  function focusRow(index: number) {
    const target = Math.max(0, Math.min(index, rows.length - 1))
    setActive(target)
    virtualizer.scrollToIndex(target, { align: 'auto' })
    // The row may only exist once the virtualizer has scrolled to it.
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${target}"]`)?.focus())
  }

  function onRowKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, student: StudentRow) {
    switch (event.key) {
      case 'ArrowDown':
        focusRow(index + 1)
        break
      case 'ArrowUp':
        focusRow(index - 1)
        break
      case 'PageDown':
        focusRow(index + PAGE_JUMP)
        break
      case 'PageUp':
        focusRow(index - PAGE_JUMP)
        break
      case 'Home':
        focusRow(0)
        break
      case 'End':
        focusRow(rows.length - 1)
        break
      case 'Enter':
      case ' ':
        onOpen(student, event.currentTarget)
        break
      default:
        return
    }
    event.preventDefault()
  }

  const offset = pagination.pageIndex * pagination.pageSize

  return (
    <div className="grid-scroll" ref={scrollRef}>
      <table
        className="student-grid"
        role="grid"
        aria-readonly="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        aria-rowcount={total + 1}
        aria-busy={loading}
      >
        <thead role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} role="row" aria-rowindex={1}>
              {group.headers.map((header) => {
                const column = header.column
                const label = t(column.columnDef.meta?.label ?? 'students.col.lastName')
                const sorted = column.getIsSorted()
                const toggle = column.getToggleSortingHandler()
                return (
                  <th
                    key={header.id}
                    role="columnheader"
                    scope="col"
                    className={`col-${column.id}`}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {column.getCanSort() && toggle ? (
                      <button type="button" className="sort-button" onClick={toggle}>
                        {label}
                        <SortIcon direction={sorted} />
                      </button>
                    ) : (
                      <span className="header-label">{label}</span>
                    )}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]
            if (!row) return null
            return (
              <tr
                key={row.id}
                role="row"
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-rowindex={offset + item.index + 2}
                tabIndex={item.index === activeIndex ? 0 : -1}
                className={row.original.status === 'withdrawn' ? 'row-withdrawn' : undefined}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={(e) => {
                  setActive(item.index)
                  onOpen(row.original, e.currentTarget)
                }}
                onFocus={() => setActive(item.index)}
                onKeyDown={(e) => onRowKeyDown(e, item.index, row.original)}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} role="gridcell" className={`col-${cell.column.id}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            )
          })}
        </tbody>
      </table>
      {empty}
    </div>
  )
}
