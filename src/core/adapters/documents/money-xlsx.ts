import ExcelJS from 'exceljs'
import type { MoneyReport, MoneyRow } from '../../services/reports/money'
import { bilingual } from './pdf'

const MONEY = '#,##0.00 "$"'

/**
 * The money report as a workbook an accountant can work with: amounts are numbers in dollars
 * (formatted, never text), each net is a formula, and each sheet's totals are SUM formulas
 * with their computed result cached, so the file reads right even before Excel recalculates.
 */
export async function moneyXlsx(report: MoneyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Guichet'
  const views: Array<[string, MoneyRow[], (r: MoneyRow) => string]> = [
    [bilingual('doc.money.byItem'), report.byItem, (r) => (r.labelEn && r.labelEn !== r.labelFr ? `${r.labelFr} / ${r.labelEn}` : r.labelFr)],
    [bilingual('doc.money.byDay'), report.byDay, (r) => r.labelFr],
    [bilingual('doc.money.byChannel'), report.byChannel, (r) => bilingual('doc.money.channel', { channel: r.key })],
    [bilingual('doc.money.bySchool'), report.bySchool, (r) => r.labelFr],
  ]
  for (const [name, rows, label] of views) {
    // Excel limits sheet names to 31 characters and forbids a few of them.
    const ws = wb.addWorksheet(name.replace(/[\\/?*[\]:]/g, '-').slice(0, 31))
    ws.addRow([bilingual('doc.money.title')]).font = { bold: true, size: 13 }
    ws.addRow([bilingual('doc.money.period', { from: report.from, to: report.to })])
    ws.addRow([])
    const head = ws.addRow([bilingual('doc.money.label'), bilingual('doc.money.school'), bilingual('doc.money.paid'), bilingual('doc.money.refunded'), bilingual('doc.money.waived'), bilingual('doc.money.net')])
    head.font = { bold: true }
    const first = head.number + 1
    for (const r of rows) {
      const row = ws.addRow([label(r), r.schoolName, r.paidCents / 100, r.refundedCents / 100, r.waivedCents / 100])
      row.getCell(6).value = { formula: `C${row.number}-D${row.number}`, result: r.netCents / 100 }
    }
    const last = Math.max(first, ws.lastRow!.number)
    const totals = ws.addRow([bilingual('doc.money.total')])
    totals.font = { bold: true }
    const sums = { C: report.totals.paidCents, D: report.totals.refundedCents, E: report.totals.waivedCents, F: report.totals.netCents }
    // By channel, waivers are a row of their own; every view sums to the same totals.
    for (const [letter, cents] of Object.entries(sums)) {
      totals.getCell(letter).value = { formula: `SUM(${letter}${first}:${letter}${last})`, result: cents / 100 }
    }
    for (const c of ['C', 'D', 'E', 'F']) ws.getColumn(c).numFmt = MONEY
    ws.getColumn('A').width = 44
    ws.getColumn('B').width = 40
    for (const c of ['C', 'D', 'E', 'F']) ws.getColumn(c).width = 14
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
