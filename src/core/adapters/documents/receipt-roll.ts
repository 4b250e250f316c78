import PDFDocument from 'pdfkit'
import { formatInstant, formatMoney, formatReceiptNumber } from '../../../shared/format'
import { bilingual, pdfBuffer, type Pdf } from './pdf'
import type { ReceiptModel } from './receipt'

/** 80 mm thermal paper, 72 mm of it printable (the usual 576 dots at 203 dpi). */
const MM = 72 / 25.4
export const ROLL_WIDTH_MM = 80
const WIDTH = ROLL_WIDTH_MM * MM
const MARGIN = 4 * MM
/** PDF's own limit on a page's side (200 inches); a longer receipt goes on to a second length. */
const MAX_HEIGHT = 14_400

const both = (cents: number) => `${formatMoney(cents, 'fr-CA')} / ${formatMoney(cents, 'en-CA')}`

function rollPdf(title: string, height: number): Pdf {
  return new PDFDocument({ size: [WIDTH, height], margin: MARGIN, info: { Title: title, Producer: 'Guichet', Creator: 'Guichet' }, lang: 'fr-CA' })
}

/** One line of text, wrapped to the roll. */
function line(doc: Pdf, text: string, options: { bold?: boolean; size?: number; align?: 'left' | 'right' | 'center' } = {}): void {
  doc.font(options.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(options.size ?? 8)
  doc.text(text, MARGIN, doc.y, { width: WIDTH - 2 * MARGIN, align: options.align ?? 'left' })
}

function rule(doc: Pdf): void {
  doc.moveDown(0.3)
  doc.moveTo(MARGIN, doc.y).lineTo(WIDTH - MARGIN, doc.y).lineWidth(0.5).dash(1.5, { space: 1.5 }).stroke().undash()
  doc.moveDown(0.3)
}

function draw(doc: Pdf, r: ReceiptModel): void {
  const number = formatReceiptNumber(r.number, r.series)
  line(doc, r.school.name, { bold: true, size: 11, align: 'center' })
  if (r.school.address) line(doc, r.school.address, { align: 'center' })
  if (r.school.phone) line(doc, r.school.phone, { align: 'center' })
  rule(doc)
  line(doc, bilingual('doc.receipt.number', { number }), { bold: true, size: 10 })
  if (r.demo) line(doc, bilingual('doc.receipt.demo'), { bold: true })
  line(doc, `${bilingual('doc.receipt.date')} : ${formatInstant(r.paidAt, 'fr-CA')}`)
  line(doc, `${bilingual('doc.receipt.family')} : ${r.family}`)
  if (r.card) {
    const card = bilingual('doc.receipt.card', { brand: r.card.brand.toUpperCase(), last4: r.card.last4 })
    line(doc, r.creditCents > 0 ? `${card} : ${both(r.totalCents - r.creditCents)}` : card)
  }
  if (r.creditCents > 0) line(doc, `${bilingual('doc.receipt.credit')} : ${both(r.creditCents)}`)
  line(doc, bilingual('doc.receipt.channel', { channel: r.channel }))
  rule(doc)
  for (const l of r.lines) {
    line(doc, l.student, { bold: true })
    line(doc, [l.itemFr, l.itemEn && l.itemEn !== l.itemFr ? l.itemEn : null, l.detail].filter(Boolean).join('\n'))
    line(doc, `${bilingual('doc.receipt.quantity')} ${l.quantity} — ${both(l.amountCents)}`, { align: 'right' })
    doc.moveDown(0.3)
  }
  rule(doc)
  line(doc, `${bilingual('doc.receipt.total')} : ${both(r.totalCents)}`, { bold: true, size: 9, align: 'right' })
  if (r.refunds.length) {
    rule(doc)
    line(doc, bilingual('doc.receipt.refunds'), { bold: true })
    for (const f of r.refunds) {
      const status = bilingual('doc.receipt.refundStatus', { status: f.tender === 'credit' && f.status === 'succeeded' ? 'credited' : f.status })
      line(doc, `${formatInstant(f.at, 'fr-CA')} — ${f.reason} — ${status} : -${both(f.amountCents)}`)
    }
    const refunded = r.refunds.filter((f) => f.status === 'succeeded').reduce((sum, f) => sum + f.amountCents, 0)
    line(doc, `${bilingual('doc.receipt.net')} : ${both(r.totalCents - refunded)}`, { bold: true, align: 'right' })
  }
  rule(doc)
  line(doc, bilingual('doc.receipt.footer', { phone: r.school.phone ?? '' }))
  line(doc, bilingual('doc.generated', { date: formatInstant(r.generatedAt, 'fr-CA') }), { size: 7 })
}

/**
 * The receipt on an 80 mm roll for a thermal receipt printer: one column, the same lines as
 * the letter-size receipt, and a page exactly as long as its content (the printer cuts there).
 * Laid out twice: once on a page as long as PDF allows, to measure, then on its own length.
 */
export async function receiptRollPdf(r: ReceiptModel): Promise<{ pdf: Buffer; widthPt: number; heightPt: number }> {
  const title = `${r.school.name} — ${bilingual('doc.receipt.number', { number: formatReceiptNumber(r.number, r.series) })}`
  const measure = rollPdf(title, MAX_HEIGHT)
  let pages = 1
  measure.on('pageAdded', () => pages++)
  draw(measure, r)
  const height = pages > 1 ? MAX_HEIGHT : Math.ceil(measure.y + MARGIN)
  measure.end()
  const doc = rollPdf(title, height)
  draw(doc, r)
  return { pdf: await pdfBuffer(doc), widthPt: WIDTH, heightPt: height }
}
