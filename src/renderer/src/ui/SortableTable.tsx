import {
  metaHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type Column_RowSorting,
  type ColumnDef,
  type ReactTable,
  type RowData,
  type SortingState,
  type TableFeatures,
} from '@tanstack/react-table'
import type { MessageKey } from '../../../shared/i18n'
import { useT } from '../i18n/I18n'
import { SortIcon } from './Icons'

export interface ColumnLabel {
  label: MessageKey
  numeric?: boolean
}

/** What a grid sorted by the core needs of TanStack Table: sorting, and each column's label. */
export const sortedGridFeatures = tableFeatures({ rowSortingFeature, columnMeta: metaHelper<ColumnLabel>() })
export type SortedGridFeatures = typeof sortedGridFeatures

/**
 * The table of a grid whose rows the core sorts and pages: one column at a time, never unsorted,
 * and a new sort starts again at the first page (page 3 under another order is other rows).
 */
export function useServerSortedTable<D extends RowData>(options: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a grid's columns hold values of every type
  columns: ReadonlyArray<ColumnDef<SortedGridFeatures, D, any>>
  data: D[]
  getRowId(row: D): string
  sorting: SortingState
  setSorting(next: SortingState): void
  setPage(page: number): void
}): ReactTable<SortedGridFeatures, D> {
  const { sorting, setSorting, setPage } = options
  return useTable({
    features: sortedGridFeatures,
    columns: options.columns as Array<ColumnDef<SortedGridFeatures, D>>,
    data: options.data,
    getRowId: options.getRowId,
    state: { sorting },
    onSortingChange: (updater) => {
      setSorting(typeof updater === 'function' ? updater(sorting) : updater)
      setPage(0)
    },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
  })
}

/**
 * A grid sorted by the core: headers are buttons that say their sort to screen readers
 * (aria-sort), numbers are right-aligned. Each screen keeps its own columns and data.
 */
export function SortableTable<F extends TableFeatures, D extends RowData>({ table, describedBy }: { table: ReactTable<F, D>; describedBy?: string }) {
  const t = useT()
  return (
    <div className="table-scroll">
      <table className="data-table" aria-describedby={describedBy}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const column = header.column as typeof header.column & Column_RowSorting<F, D>
                const meta = column.columnDef.meta as ColumnLabel
                const sorted = column.getIsSorted()
                const toggle = column.getToggleSortingHandler()
                return (
                  <th key={header.id} scope="col" className={meta.numeric ? 'numeric' : undefined} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                    {column.getCanSort() && toggle ? (
                      <button type="button" className="sort-button" onClick={toggle}>
                        {t(meta.label)}
                        <SortIcon direction={sorted} />
                      </button>
                    ) : (
                      t(meta.label)
                    )}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={(cell.column.columnDef.meta as ColumnLabel | undefined)?.numeric ? 'numeric' : undefined}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
