import ExcelJS from 'exceljs'
import { formatSchoolDate } from '../../../shared/format'
import type { Locale } from '../../../shared/i18n'
import type { ChaperoneOutcome, ClassCounts, Instant } from '../../domain/outings'
import { bothIn, busHeading, drawTable, generatedNote, outingHeading, studentName, type Cell, type Column, type OutingDocHeader, type OutingRosterModel } from './outing-roster'
import { footPages, newPdf, pdfBuffer } from './pdf'

/**
 * The day's sign-out and sign-in sheet: a page per bus, a row per student with a box to tick
 * when they leave and one when they are back, the headcounts and the signature of the adult
 * in charge. It takes the roster's model (contacts and alerts are the roster's business).
 */
export async function outingSignSheetPdf(model: OutingRosterModel, locale: Locale): Promise<Buffer> {
  const { outing } = model
  const doc = newPdf(`${bothIn(locale, 'doc.outing.signSheet.title')} — ${outing.titleFr} — ${outing.date}`)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const columns: Column[] = [
    { header: bothIn(locale, 'doc.outing.signSheet.number'), width: 0.07, align: 'right' },
    { header: bothIn(locale, 'doc.outing.student'), width: 0.31 },
    { header: bothIn(locale, 'doc.outing.class'), width: 0.14 },
    { header: bothIn(locale, 'doc.outing.signSheet.out'), width: 0.1, align: 'center' },
    { header: bothIn(locale, 'doc.outing.signSheet.back'), width: 0.1, align: 'center' },
    { header: bothIn(locale, 'doc.outing.signSheet.note'), width: 0.28 },
  ]
  const sections = model.buses.length > 0 ? model.buses : [{ number: null, adults: 0, students: [] }]
  sections.forEach((bus, index) => {
    if (index > 0) doc.addPage()
    const heading = (continued: boolean) => {
      outingHeading(doc, 'doc.outing.signSheet.title', outing, locale)
      const name = busHeading(bus, locale)
      doc.font('Helvetica-Bold').fontSize(13).text(continued ? `${name} (${bothIn(locale, 'doc.outing.continued')})` : name, left)
      doc.font('Helvetica').fontSize(10).text(bothIn(locale, 'doc.outing.busCounts', { students: bus.students.length, adults: bus.adults })).moveDown(0.3)
    }
    heading(false)
    if (bus.students.length === 0) doc.font('Helvetica').fontSize(10).text(bothIn(locale, 'doc.outing.empty'))
    else {
      const rows: Cell[][] = bus.students.map((s, i) => [String(i + 1), studentName(s), s.className ?? bothIn(locale, 'doc.outing.noClass'), { box: true }, { box: true }, ''])
      drawTable(doc, columns, rows, () => heading(true), { ruled: true, minRowHeight: 14 })
    }
    // The headcounts and the signature stay together, on a new page if they must.
    if (doc.y > doc.page.height - doc.page.margins.bottom - 110) {
      doc.addPage()
      heading(true)
    }
    doc.moveDown(1.5).font('Helvetica').fontSize(10).fillColor('#000').text(bothIn(locale, 'doc.outing.signSheet.headcount'), left)
    doc.moveDown(2)
    const y = doc.y
    doc.moveTo(left, y).lineTo(left + width * 0.62, y).lineWidth(0.8).stroke()
    doc.moveTo(left + width * 0.7, y).lineTo(left + width, y).stroke()
    doc.fontSize(8).text(bothIn(locale, 'doc.outing.signSheet.signature'), left, y + 3, { width: width * 0.62 })
    doc.text(bothIn(locale, 'doc.outing.signSheet.time'), left + width * 0.7, y + 3, { width: width * 0.3 })
  })
  footPages(doc, generatedNote(model.generatedAt, locale))
  return pdfBuffer(doc)
}

export interface OutingChaperonesModel {
  outing: OutingDocHeader
  /** From the capacity engine's snapshot, with a phone number when the office has one. */
  chaperones: readonly (Pick<ChaperoneOutcome, 'name' | 'expiresOn' | 'covers' | 'reason'> & { phone?: string | null })[]
  /** Chaperones needed for the confirmed students; null when the outing has no ratio. */
  needed: number | null
  covering: number
  staffCount: number
  generatedAt: Instant
}

/** The chaperone list: each volunteer, the check's expiry, whether they count and why not; the need against it. */
export async function outingChaperonesPdf(model: OutingChaperonesModel, locale: Locale): Promise<Buffer> {
  const { outing } = model
  const doc = newPdf(`${bothIn(locale, 'doc.outing.chaperones.title')} — ${outing.titleFr} — ${outing.date}`)
  const heading = () => outingHeading(doc, 'doc.outing.chaperones.title', outing, locale)
  heading()
  doc.font('Helvetica-Bold').fontSize(11)
  if (model.needed === null) doc.text(bothIn(locale, 'doc.outing.chaperones.noRatio'))
  else doc.text(bothIn(locale, 'doc.outing.chaperones.summary', { needed: model.needed, covering: model.covering }))
  if (model.needed !== null && model.needed > model.covering)
    doc.fillColor('#a00').text(bothIn(locale, 'doc.outing.chaperones.short', { count: model.needed - model.covering })).fillColor('#000')
  doc.font('Helvetica').fontSize(10).text(bothIn(locale, 'doc.outing.chaperones.staff', { count: model.staffCount })).moveDown(0.5)

  if (model.chaperones.length === 0) doc.text(bothIn(locale, 'doc.outing.chaperones.empty'))
  else {
    const columns: Column[] = [
      { header: bothIn(locale, 'doc.outing.chaperones.name'), width: 0.25 },
      { header: bothIn(locale, 'doc.outing.chaperones.phone'), width: 0.15 },
      { header: bothIn(locale, 'doc.outing.chaperones.expiry'), width: 0.2 },
      { header: bothIn(locale, 'doc.outing.chaperones.covers'), width: 0.1 },
      { header: bothIn(locale, 'doc.outing.chaperones.reason'), width: 0.3 },
    ]
    const rows: Cell[][] = model.chaperones.map((c) => [
      c.name,
      c.phone ?? '',
      // An unreadable date is shown as written: the office has to see what to correct.
      c.expiresOn === null ? bothIn(locale, 'doc.outing.chaperones.noCheck') : c.reason === 'checkDateInvalid' ? c.expiresOn : formatSchoolDate(c.expiresOn, locale, 'short'),
      c.covers ? bothIn(locale, 'doc.outing.yesNo', { value: 'yes' }) : { text: bothIn(locale, 'doc.outing.yesNo', { value: 'no' }), alert: true },
      c.reason === null ? '' : { text: bothIn(locale, 'outing.chaperoneReason', { reason: c.reason }), alert: true },
    ])
    drawTable(doc, columns, rows, heading, { ruled: true })
  }
  footPages(doc, generatedNote(model.generatedAt, locale))
  return pdfBuffer(doc)
}

export interface OutingBreakdownModel {
  outing: OutingDocHeader
  /** One row per class, from `classBreakdown`, with the class's name. */
  rows: readonly (ClassCounts & { className: string | null })[]
}

const COUNT_COLUMNS = ['eligible', 'consented', 'declined', 'noAnswer', 'paid', 'waived', 'confirmed', 'waitlisted'] as const

/**
 * The per-class breakdown as a workbook: a row per class with real numbers, and a total row of
 * SUM formulas whose results are cached, so the file reads right before Excel recalculates.
 */
export async function outingClassBreakdownXlsx(model: OutingBreakdownModel, locale: Locale): Promise<Buffer> {
  const { outing } = model
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Guichet'
  // Excel limits sheet names to 31 characters and forbids a few of them.
  const ws = wb.addWorksheet(bothIn(locale, 'doc.outing.breakdown.sheet').replace(/[\\/?*[\]:]/g, '-').slice(0, 31))
  const title = locale === 'en-CA' && outing.titleEn ? outing.titleEn : outing.titleFr
  ws.addRow([`${bothIn(locale, 'doc.outing.breakdown.title')} — ${title}`]).font = { bold: true, size: 13 }
  ws.addRow([`${outing.schoolName} — ${formatSchoolDate(outing.date, locale)} — ${outing.destination}`])
  ws.addRow([])
  const head = ws.addRow([bothIn(locale, 'doc.outing.class'), ...COUNT_COLUMNS.map((k) => bothIn(locale, `doc.outing.breakdown.${k}`))])
  head.font = { bold: true }
  head.alignment = { wrapText: true, vertical: 'top' }
  const first = head.number + 1
  for (const r of model.rows) ws.addRow([r.className ?? bothIn(locale, 'doc.outing.noClass'), ...COUNT_COLUMNS.map((k) => r[k])])
  const last = ws.lastRow!.number
  const totals = ws.addRow([bothIn(locale, 'doc.outing.breakdown.total')])
  totals.font = { bold: true }
  COUNT_COLUMNS.forEach((k, i) => {
    const letter = String.fromCharCode(66 + i)
    const result = model.rows.reduce((sum, r) => sum + r[k], 0)
    // Without a class there is nothing to sum, and a SUM over its own row would be circular.
    totals.getCell(i + 2).value = last >= first ? { formula: `SUM(${letter}${first}:${letter}${last})`, result } : 0
  })
  ws.getColumn(1).width = 28
  for (let i = 2; i <= COUNT_COLUMNS.length + 1; i++) {
    ws.getColumn(i).width = 14
    ws.getColumn(i).numFmt = '0'
  }
  ws.views = [{ state: 'frozen', ySplit: head.number, xSplit: 1 }]
  return Buffer.from(await wb.xlsx.writeBuffer())
}
