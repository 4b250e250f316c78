import ExcelJS from 'exceljs'
import { receiptCell } from '../../../shared/format'
import type { MessageKey } from '../../../shared/i18n'
import { localDateOf } from '../../domain/catalogue/dates'
import type { ReconciliationDetail } from '../../services/reports/reconciliation'
import { bilingual } from './pdf'

const MONEY = '#,##0.00 "$"'
const DATE = 'yyyy-mm-dd'
const TZ = 'America/Toronto'

/**
 * The reconciliation as a workbook an accountant can check: amounts are numbers in dollars
 * (formatted, never text), dates are dates, totals are SUM formulas with their result cached,
 * and the summary's expected and unexplained amounts are formulas over the cells they come from.
 *
 * Sheets: the payouts (one row each; a failed or cancelled one is marked not counted and left out
 * of the totals by SUMIF), every line of them matched to the ledger, the differences, and the
 * payments paid out to the board (counted apart).
 */
export async function reconciliationXlsx(report: ReconciliationDetail): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Guichet'
  const h = (key: MessageKey, values?: Record<string, string | number>) => bilingual(key, values)

  // -- Payouts and the summary -----------------------------------------------------------------
  const ws = sheet(wb, h('doc.reconciliation.payouts'), report)
  const head = ws.addRow([
    h('doc.reconciliation.payout'),
    h('doc.reconciliation.arrival'),
    h('doc.reconciliation.status'),
    h('doc.reconciliation.counted'),
    h('doc.reconciliation.amount'),
    h('doc.reconciliation.charges'),
    h('doc.reconciliation.refunds'),
    h('doc.reconciliation.fees'),
    h('doc.reconciliation.adjustments'),
    h('doc.reconciliation.matched'),
    h('doc.reconciliation.differenceCount'),
  ])
  head.font = { bold: true }
  const first = head.number + 1
  for (const p of report.payouts) {
    ws.addRow([
      p.id,
      dateCell(p.arrivalDate),
      h('reconciliation.status', { status: p.status }),
      p.counted ? 1 : 0,
      p.amountCents / 100,
      p.chargesCents / 100,
      p.refundsCents / 100,
      p.feesCents / 100,
      p.adjustmentsCents / 100,
      p.matchedCount,
      p.differenceCount,
    ])
  }
  const last = Math.max(first, ws.lastRow!.number)
  const totals = ws.addRow([h('doc.reconciliation.total')])
  totals.font = { bold: true }
  const counted = report.payouts.filter((p) => p.counted)
  const sums: Array<[string, number]> = [
    ['E', report.totals.payoutsCents / 100],
    ['F', sumOf(counted.map((p) => p.chargesCents)) / 100],
    ['G', sumOf(counted.map((p) => p.refundsCents)) / 100],
    ['H', report.totals.feesCents / 100],
    ['I', report.totals.adjustmentsCents / 100],
    ['J', report.totals.matchedCount],
    ['K', sumOf(counted.map((p) => p.differenceCount))],
  ]
  for (const [c, result] of sums) totals.getCell(c).value = { formula: `SUMIF(D${first}:D${last},1,${c}${first}:${c}${last})`, result }
  for (const c of ['E', 'F', 'G', 'H', 'I']) ws.getColumn(c).numFmt = MONEY
  ws.getColumn('B').numFmt = DATE
  widths(ws, [24, 12, 22, 10, 14, 14, 14, 14, 14, 14, 12])

  ws.addRow([])
  ws.addRow([h('doc.reconciliation.summary')]).font = { bold: true }
  const line = (key: MessageKey, value: ExcelJS.CellValue) => {
    const row = ws.addRow([h(key)])
    row.getCell('E').value = value
    row.getCell('E').numFmt = MONEY
    return row.number
  }
  const paymentsRow = line('reconciliation.total.ledgerPayments', report.totals.ledgerPaymentsCents / 100)
  const refundsRow = line('reconciliation.total.ledgerRefunds', report.totals.ledgerRefundsCents / 100)
  const feesRow = line('reconciliation.total.fees', { formula: `H${totals.number}`, result: report.totals.feesCents / 100 })
  const expectedRow = line('reconciliation.total.expected', { formula: `E${paymentsRow}-E${refundsRow}-E${feesRow}`, result: report.totals.expectedCents / 100 })
  const depositedRow = line('reconciliation.total.payouts', { formula: `E${totals.number}`, result: report.totals.payoutsCents / 100 })
  line('reconciliation.total.unexplained', { formula: `E${depositedRow}-E${expectedRow}`, result: report.totals.unexplainedCents / 100 })

  // -- Every line ------------------------------------------------------------------------------
  const ls = sheet(wb, h('doc.reconciliation.lines'), report)
  const lhead = ls.addRow([
    h('doc.reconciliation.payout'),
    h('doc.reconciliation.arrival'),
    h('doc.reconciliation.kind'),
    h('doc.reconciliation.line'),
    h('doc.reconciliation.paymentRef'),
    h('doc.reconciliation.refundRef'),
    h('doc.reconciliation.gross'),
    h('doc.reconciliation.fees'),
    h('doc.reconciliation.net'),
    h('doc.reconciliation.ledger'),
    h('doc.reconciliation.match'),
    h('doc.reconciliation.receipt'),
    h('doc.reconciliation.family'),
    h('doc.reconciliation.school'),
  ])
  lhead.font = { bold: true }
  const lfirst = lhead.number + 1
  for (const l of report.lines) {
    ls.addRow([
      l.payoutId,
      dateCell(l.arrivalDate),
      h('doc.reconciliation.lineKind', { kind: l.kind }),
      l.balanceTransactionId,
      l.paymentRef,
      l.refundRef,
      l.grossCents / 100,
      l.feeCents / 100,
      l.netCents / 100,
      l.ledgerCents === null ? null : l.ledgerCents / 100,
      h('doc.reconciliation.matchState', { match: l.match }),
      l.payment ? receiptCell(l.payment.receiptNumber, l.payment.receiptSeries) : null,
      l.payment?.familyName ?? null,
      l.payment?.schoolName ?? null,
    ])
  }
  const llast = Math.max(lfirst, ls.lastRow!.number)
  const ltotals = ls.addRow([h('doc.reconciliation.total')])
  ltotals.font = { bold: true }
  const lsum = (c: string, cents: number) => (ltotals.getCell(c).value = { formula: `SUM(${c}${lfirst}:${c}${llast})`, result: cents / 100 })
  lsum('G', sumOf(report.lines.map((l) => l.grossCents)))
  lsum('H', sumOf(report.lines.map((l) => l.feeCents)))
  lsum('I', sumOf(report.lines.map((l) => l.netCents)))
  lsum('J', sumOf(report.lines.map((l) => l.ledgerCents ?? 0)))
  for (const c of ['G', 'H', 'I', 'J']) ls.getColumn(c).numFmt = MONEY
  ls.getColumn('B').numFmt = DATE
  widths(ls, [24, 12, 22, 30, 30, 30, 12, 12, 12, 12, 20, 10, 28, 28])

  // -- The differences -------------------------------------------------------------------------
  const ds = sheet(wb, h('doc.reconciliation.differences'), report)
  const dhead = ds.addRow([
    h('doc.reconciliation.kind'),
    h('doc.reconciliation.payout'),
    h('doc.reconciliation.arrival'),
    h('doc.reconciliation.paymentRef'),
    h('doc.reconciliation.refundRef'),
    h('doc.reconciliation.processorAmount'),
    h('doc.reconciliation.ledger'),
    h('doc.reconciliation.receipt'),
    h('doc.reconciliation.family'),
    h('doc.reconciliation.school'),
    h('doc.reconciliation.date'),
  ])
  dhead.font = { bold: true }
  for (const d of report.differences) {
    ds.addRow([
      h('reconciliation.kind', { kind: d.kind }),
      d.payoutId,
      d.arrivalDate ? dateCell(d.arrivalDate) : null,
      d.paymentRef,
      d.refundRef,
      d.processorCents === null ? null : d.processorCents / 100,
      d.ledgerCents === null ? null : d.ledgerCents / 100,
      d.payment ? receiptCell(d.payment.receiptNumber, d.payment.receiptSeries) : null,
      d.payment?.familyName ?? null,
      d.payment?.schoolName ?? null,
      dateCell(localDateOf(d.at, TZ)),
    ])
  }
  for (const c of ['F', 'G']) ds.getColumn(c).numFmt = MONEY
  for (const c of ['C', 'K']) ds.getColumn(c).numFmt = DATE
  widths(ds, [40, 24, 12, 30, 30, 14, 14, 10, 28, 28, 12])

  // -- The board's payments --------------------------------------------------------------------
  const bs = sheet(wb, h('doc.reconciliation.board'), report)
  const bhead = bs.addRow([h('doc.reconciliation.date'), h('doc.reconciliation.receipt'), h('doc.reconciliation.family'), h('doc.reconciliation.school'), h('doc.reconciliation.amount')])
  bhead.font = { bold: true }
  const bfirst = bhead.number + 1
  for (const p of report.boardPayments) bs.addRow([dateCell(localDateOf(p.createdAt, TZ)), receiptCell(p.receiptNumber, p.receiptSeries), p.familyName, p.schoolName, p.amountCents / 100])
  const blast = Math.max(bfirst, bs.lastRow!.number)
  const btotals = bs.addRow([h('doc.reconciliation.total')])
  btotals.font = { bold: true }
  btotals.getCell('E').value = { formula: `SUM(E${bfirst}:E${blast})`, result: report.board.paidCents / 100 }
  bs.getColumn('E').numFmt = MONEY
  bs.getColumn('A').numFmt = DATE
  widths(bs, [12, 10, 30, 30, 14])

  return Buffer.from(await wb.xlsx.writeBuffer())
}

function sheet(wb: ExcelJS.Workbook, name: string, report: ReconciliationDetail): ExcelJS.Worksheet {
  // Excel limits sheet names to 31 characters and forbids a few of them.
  const ws = wb.addWorksheet(name.replace(/[\\/?*[\]:]/g, '-').slice(0, 31))
  ws.addRow([bilingual('doc.reconciliation.title')]).font = { bold: true, size: 13 }
  ws.addRow([bilingual('doc.reconciliation.period', { from: report.from, to: report.to })])
  ws.addRow([bilingual('doc.reconciliation.processorLine', { processor: report.processor })])
  ws.addRow([])
  return ws
}

/** A school date as the Date Excel shows as that day. */
function dateCell(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d))
}

function widths(ws: ExcelJS.Worksheet, values: number[]): void {
  values.forEach((w, i) => (ws.getColumn(i + 1).width = w))
}

function sumOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
