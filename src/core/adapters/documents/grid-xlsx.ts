import ExcelJS from 'exceljs'

/** How a column's cells are written: never numbers or dates as text. */
export type GridCellKind = 'text' | 'integer' | 'money' | 'date' | 'datetime'

export interface GridColumn<R> {
  header: string
  kind: GridCellKind
  width?: number
  /** text: a string; integer: a number; money: integer cents; date: 'YYYY-MM-DD'; datetime: an ISO instant. */
  value(row: R): string | number | null
}

export const MONEY_FORMAT = '#,##0.00 "$"'
export const DATE_FORMAT = 'yyyy-mm-dd'
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm'

const WIDTH: Record<GridCellKind, number> = { text: 24, integer: 10, money: 14, date: 12, datetime: 17 }

/**
 * The wall-clock time of an instant in the school's zone, as the Date Excel will show: Excel
 * dates have no zone, and ExcelJS writes a Date's UTC fields, so the local fields go there.
 */
export function excelLocalDateTime(iso: string, timeZone = 'America/Toronto'): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  )
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)))
}

/** A school date ('2026-11-20') as the Date Excel shows as that day. */
export function excelDate(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d))
}

function cellValue(kind: GridCellKind, value: string | number | null): ExcelJS.CellValue {
  if (value === null) return null
  switch (kind) {
    case 'text':
      return String(value)
    case 'integer':
      // A label that is not a number (an office receipt, « K-000123 ») stays text.
      return typeof value === 'number' || /^-?\d+$/.test(value) ? Number(value) : value
    case 'money':
      return Number(value) / 100
    case 'date':
      return excelDate(String(value))
    case 'datetime':
      return excelLocalDateTime(String(value))
  }
}

export interface GridSheet<R> {
  name: string
  columns: readonly GridColumn<R>[]
  rows: Iterable<R>
}

/**
 * A grid as it is filtered on screen, as a workbook: one header row (frozen, with filters), then
 * one row per record with real numbers and dates; money in dollars with a currency format.
 */
export async function gridXlsx<R>(sheetName: string, columns: readonly GridColumn<R>[], rows: Iterable<R>): Promise<Buffer> {
  return gridWorkbook([{ name: sheetName, columns, rows }])
}

/** Several grids, one sheet each. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function gridWorkbook(sheets: ReadonlyArray<GridSheet<any>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Guichet'
  for (const sheet of sheets) addGrid(wb, sheet)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

function addGrid<R>(wb: ExcelJS.Workbook, { name, columns, rows }: GridSheet<R>): void {
  // Excel limits sheet names to 31 characters and forbids a few of them.
  const ws = wb.addWorksheet(name.replace(/[\\/?*[\]:]/g, '-').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map((c) => ({
    width: c.width ?? WIDTH[c.kind],
    style: c.kind === 'money' ? { numFmt: MONEY_FORMAT } : c.kind === 'date' ? { numFmt: DATE_FORMAT } : c.kind === 'datetime' ? { numFmt: DATETIME_FORMAT } : {},
  }))
  const head = ws.addRow(columns.map((c) => c.header))
  head.font = { bold: true }
  for (const row of rows) ws.addRow(columns.map((c) => cellValue(c.kind, c.value(row))))
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, columns.length) } }
}
