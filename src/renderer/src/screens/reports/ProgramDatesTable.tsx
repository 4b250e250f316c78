import { createColumnHelper, metaHelper, tableFeatures, useTable } from '@tanstack/react-table'
import type { Output } from '../../../../shared/contract'
import type { MessageKey } from '../../../../shared/i18n'
import { useLocale, useT } from '../../i18n/I18n'
import { formatSchoolDate } from '../../../../shared/format'

export type ProgramDateRow = Output<'reports.programDates'>[number]
export type DocumentKind = 'pdf' | 'xlsx' | 'delivery'

const features = tableFeatures({ columnMeta: metaHelper<{ label: MessageKey; numeric?: boolean }>() })
const helper = createColumnHelper<typeof features, ProgramDateRow>()

interface Props {
  rows: ProgramDateRow[]
  busy: string | null
  onDocument(row: ProgramDateRow, kind: DocumentKind): void
}

/** The period's program dates: one row a date, its documents a click away. */
export function ProgramDatesTable({ rows, busy, onDocument }: Props) {
  const t = useT()
  const locale = useLocale()
  const title = (r: ProgramDateRow) => (locale === 'en-CA' ? (r.titleEn ?? r.titleFr) : r.titleFr)
  const columns = helper.columns([
    helper.accessor('date', { meta: { label: 'reports.col.date' }, cell: ({ getValue }) => formatSchoolDate(getValue(), locale, 'short') }),
    helper.accessor((r) => title(r), {
      id: 'item',
      meta: { label: 'reports.col.item' },
      cell: ({ row }) => (
        <>
          {title(row.original)}
          {row.original.dateStatus === 'cancelled' ? <span className="tag tag-warning">{t('reports.cancelledDate')}</span> : null}
        </>
      ),
    }),
    helper.accessor('schoolName', { meta: { label: 'reports.col.school' } }),
    helper.accessor('supplier', { meta: { label: 'reports.col.supplier' }, cell: ({ getValue }) => getValue() ?? '—' }),
    helper.accessor('ordered', { meta: { label: 'reports.col.ordered', numeric: true } }),
    helper.display({
      id: 'actions',
      meta: { label: 'reports.col.actions' },
      cell: ({ row }) => {
        const r = row.original
        const what = (document: string) => t('reports.downloadFor', { document, item: title(r), date: formatSchoolDate(r.date, locale, 'short') })
        return (
          <span className="report-actions">
            {(['pdf', 'xlsx', 'delivery'] as const).map((kind) => {
              const label = t(kind === 'pdf' ? 'reports.pdf' : kind === 'xlsx' ? 'reports.xlsx' : 'reports.delivery')
              return (
                <button key={kind} type="button" className="button button-quiet" aria-label={what(label)} disabled={busy !== null} onClick={() => onDocument(r, kind)}>
                  {busy === `${r.programDateId}:${kind}` ? t('reports.working') : label}
                </button>
              )
            })}
          </span>
        )
      },
    }),
  ])
  const table = useTable({ features, columns, data: rows, getRowId: (r) => r.programDateId })

  return (
    <table className="data-table">
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col" className={header.column.columnDef.meta?.numeric ? 'numeric' : undefined}>
                {t(header.column.columnDef.meta!.label)}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={cell.column.columnDef.meta?.numeric ? 'numeric' : undefined}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
