import ExcelJS from 'exceljs'
import { formatInstant, formatSchoolDate } from '../../../shared/format'
import type { DeliveryClass, OrderSheet } from '../../services/reports/order-sheet'
import { NO_VARIANT } from '../../services/reports/order-sheet'
import { translate } from '../../i18n'
import { bilingual, footPages, newPdf, pdfBuffer, type Pdf } from './pdf'

const dateBoth = (date: string) => `${formatSchoolDate(date, 'fr-CA')} / ${formatSchoolDate(date, 'en-CA')}`
const variantLabel = (v: { labelFr: string; labelEn: string | null }) => (v.labelEn && v.labelEn !== v.labelFr ? `${v.labelFr} / ${v.labelEn}` : v.labelFr)

/**
 * The sheets faxed or emailed to the supplier, one page per date (a week at once for the
 * supplier who delivers every day): the counts to make, by choice and by class.
 */
export async function orderSheetPdf(sheets: readonly OrderSheet[], generatedAt: string): Promise<Buffer> {
  const doc = newPdf(`${bilingual('doc.orderSheet.title')} — ${sheets.map((s) => s.date).join(', ')}`)
  sheets.forEach((sheet, i) => {
    if (i > 0) doc.addPage()
    orderSheetPage(doc, sheet)
  })
  footPages(doc, bilingual('doc.generated', { date: formatInstant(generatedAt, 'fr-CA') }))
  return pdfBuffer(doc)
}

function orderSheetPage(doc: Pdf, sheet: OrderSheet): void {
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  doc.font('Helvetica-Bold').fontSize(16).text(bilingual('doc.orderSheet.title'))
  doc.font('Helvetica').fontSize(10).text(sheet.schoolName)
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(12).text(`${sheet.titleFr}${sheet.titleEn && sheet.titleEn !== sheet.titleFr ? ` / ${sheet.titleEn}` : ''}`)
  doc.text(dateBoth(sheet.date))
  doc.font('Helvetica').fontSize(10)
  doc.text(sheet.supplier ? bilingual('doc.orderSheet.supplier', { supplier: sheet.supplier }) : bilingual('doc.orderSheet.noSupplier'))
  doc.text(bilingual('doc.orderSheet.cutoff', { cutoff: formatInstant(sheet.cutoffAt, 'fr-CA') }))
  if (sheet.dateStatus === 'cancelled') doc.moveDown(0.5).fillColor('#a00').font('Helvetica-Bold').text(bilingual('doc.orderSheet.cancelled')).fillColor('#000')
  doc.moveDown()

  // Choices in rows, counts in large type: what the supplier needs first.
  doc.font('Helvetica-Bold').fontSize(11)
  for (const v of sheet.variants) {
    const y = doc.y
    doc.font('Helvetica').text(variantLabel(v), left, y, { width: width * 0.75 })
    doc.font('Helvetica-Bold').text(String(v.total), left + width * 0.75, y, { width: width * 0.25, align: 'right' })
  }
  doc.moveTo(left, doc.y + 4).lineTo(left + width, doc.y + 4).stroke().moveDown(0.6)
  doc.fontSize(14).text(bilingual('doc.orderSheet.toOrder', { total: sheet.total }), left, doc.y, { width, align: 'right' })
  doc.font('Helvetica').fontSize(10).text(bilingual('doc.orderSheet.students', { count: sheet.students }), left, doc.y, { width, align: 'right' })

  doc.moveDown().font('Helvetica-Bold').fontSize(11).text(bilingual('doc.orderSheet.sheetByClass'), left)
  const keys = sheet.variants.map((v) => v.variantId ?? NO_VARIANT)
  const colW = (width * 0.7) / Math.max(1, keys.length + 1)
  const header = doc.y + 4
  doc.fontSize(8).text(bilingual('doc.orderSheet.class'), left, header, { width: width * 0.3 - 4 })
  sheet.variants.forEach((v, i) => doc.text(v.labelFr, left + width * 0.3 + i * colW, header, { width: colW - 4, align: 'right' }))
  doc.text(bilingual('doc.orderSheet.total'), left + width * 0.3 + keys.length * colW, header, { width: colW - 4, align: 'right' })
  // Choice names wrap over several lines: the rows start below the tallest heading.
  doc.y = header + Math.max(...sheet.variants.map((v) => doc.heightOfString(v.labelFr, { width: colW - 4 })), doc.heightOfString('X')) + 2
  doc.font('Helvetica').fontSize(9)
  for (const c of sheet.classes) {
    if (doc.y > doc.page.height - 100) doc.addPage()
    const y = doc.y + 4
    doc.text(c.className ?? translate('fr-CA', 'doc.orderSheet.noClass'), left, y, { width: width * 0.3 - 4 })
    keys.forEach((k, i) => doc.text(String(c.counts[k] ?? 0), left + width * 0.3 + i * colW, y, { width: colW - 4, align: 'right' }))
    doc.text(String(c.total), left + width * 0.3 + keys.length * colW, y, { width: colW - 4, align: 'right' })
  }
}

/** The same sheet as a workbook: real numbers, totals as formulas, one sheet per view. */
export async function orderSheetXlsx(sheets: readonly OrderSheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Guichet'
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.date)
    ws.addRow([`${sheet.titleFr} — ${sheet.date}`]).font = { bold: true, size: 13 }
    ws.addRow([sheet.supplier ? bilingual('doc.orderSheet.supplier', { supplier: sheet.supplier }) : bilingual('doc.orderSheet.noSupplier')])
    ws.addRow([])
    const keys = sheet.variants.map((v) => v.variantId ?? NO_VARIANT)
    const head = ws.addRow([bilingual('doc.orderSheet.class'), ...sheet.variants.map(variantLabel), bilingual('doc.orderSheet.total')])
    head.font = { bold: true }
    const first = head.number + 1
    for (const c of sheet.classes) {
      const row = ws.addRow([c.className ?? bilingual('doc.orderSheet.noClass'), ...keys.map((k) => c.counts[k] ?? 0)])
      row.getCell(keys.length + 2).value = { formula: `SUM(${col(2)}${row.number}:${col(keys.length + 1)}${row.number})`, result: c.total }
    }
    const last = ws.lastRow!.number
    const totals = ws.addRow([bilingual('doc.orderSheet.total')])
    totals.font = { bold: true }
    for (let i = 0; i <= keys.length; i++) {
      const letter = col(i + 2)
      const result = i < keys.length ? sheet.variants[i]!.total : sheet.total
      totals.getCell(i + 2).value = { formula: `SUM(${letter}${first}:${letter}${Math.max(first, last)})`, result }
    }
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 24 : 16))
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

function col(n: number): string {
  let s = ''
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  return s
}

/** One page per class, for the volunteers: who gets what, allergies flagged, a box to tick. */
export async function deliveryListsPdf(title: { fr: string; en: string | null; date: string; school: string }, classes: readonly DeliveryClass[], generatedAt: string): Promise<Buffer> {
  const doc = newPdf(`${bilingual('doc.delivery.title')} — ${title.date}`)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const heading = () => {
    doc.font('Helvetica-Bold').fontSize(15).text(bilingual('doc.delivery.title'), left)
    doc.font('Helvetica').fontSize(10).text(`${title.school} — ${title.fr}${title.en && title.en !== title.fr ? ` / ${title.en}` : ''}`)
    doc.text(dateBoth(title.date)).moveDown(0.5)
  }
  if (classes.length === 0) {
    heading()
    doc.text(bilingual('doc.delivery.empty'))
  }
  classes.forEach((c, index) => {
    if (index > 0) doc.addPage()
    heading()
    doc.font('Helvetica-Bold').fontSize(13).text(bilingual('doc.delivery.class', { className: c.className ?? translate('fr-CA', 'doc.orderSheet.noClass') }))
    if (c.teacher) doc.font('Helvetica').fontSize(10).text(bilingual('doc.delivery.teacher', { teacher: c.teacher }))
    doc.moveDown(0.5)
    const cols = [0, 0.34, 0.62, 0.7, 0.92].map((f) => left + width * f)
    const y0 = doc.y
    doc.font('Helvetica-Bold').fontSize(8)
    ;(['doc.delivery.student', 'doc.delivery.choice', 'doc.delivery.quantity', 'doc.delivery.alert', 'doc.delivery.given'] as const).forEach((k, i) =>
      doc.text(bilingual(k), cols[i]!, y0, { width: (cols[i + 1] ?? left + width) - cols[i]! - 4 }),
    )
    doc.font('Helvetica').fontSize(10)
    for (const l of c.lines) {
      if (doc.y > doc.page.height - 90) doc.addPage()
      const y = doc.y + 5
      doc.text(`${l.lastName}, ${l.firstName}`, cols[0]!, y, { width: cols[1]! - cols[0]! - 4 })
      doc.text(l.variantFr ?? '—', cols[1]!, y, { width: cols[2]! - cols[1]! - 4 })
      doc.text(String(l.quantity), cols[2]!, y, { width: cols[3]! - cols[2]! - 4 })
      if (l.medicalAlert) doc.fillColor('#a00').font('Helvetica-Bold').text(l.medicalAlert, cols[3]!, y, { width: cols[4]! - cols[3]! - 6 }).fillColor('#000').font('Helvetica')
      doc.rect(cols[4]! + 8, y, 10, 10).stroke()
      doc.y = Math.max(doc.y, y + 12)
    }
    doc.moveDown().font('Helvetica-Bold').text(bilingual('doc.delivery.count', { count: c.lines.reduce((s, l) => s + l.quantity, 0) }), left)
  })
  footPages(doc, bilingual('doc.generated', { date: formatInstant(generatedAt, 'fr-CA') }))
  return pdfBuffer(doc)
}
