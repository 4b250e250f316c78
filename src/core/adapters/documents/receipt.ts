import { formatInstant, formatMoney, formatReceiptNumber, type ReceiptSeries } from '../../../shared/format'
import { bilingual, footPages, newPdf, pdfBuffer } from './pdf'

export interface ReceiptLine {
  student: string
  itemFr: string
  itemEn: string | null
  /** A program date and a variant, already written for people ("vendredi 11 déc. — Fromage"). */
  detail: string | null
  quantity: number
  amountCents: number
}

export interface ReceiptRefund {
  at: string
  reason: string
  amountCents: number
  status: 'pending' | 'succeeded' | 'failed'
  /** 'credit': went back to the family's credit (the part it had paid with credit). */
  tender: 'card' | 'credit'
}

export interface ReceiptModel {
  school: { name: string; address: string | null; phone: string | null }
  number: number
  /** 'office': numbered by this PC's kiosk, printed with its prefix (« K-000123 »). */
  series?: ReceiptSeries
  paidAt: string
  family: string
  channel: 'online' | 'kiosk'
  demo: boolean
  /** Null when the family's credit paid the whole. */
  card: { brand: string; last4: string } | null
  /** The part paid with the family's credit (a refund settled as credit earlier). */
  creditCents: number
  lines: ReceiptLine[]
  totalCents: number
  refunds: ReceiptRefund[]
  generatedAt: string
}

const both = (cents: number) => `${formatMoney(cents, 'fr-CA')} / ${formatMoney(cents, 'en-CA')}`

/** One payment's receipt, bilingual, with the refunds made on it since. */
export async function receiptPdf(r: ReceiptModel): Promise<Buffer> {
  const number = formatReceiptNumber(r.number, r.series)
  const doc = newPdf(`${r.school.name} — ${bilingual('doc.receipt.number', { number })}`)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right

  doc.font('Helvetica-Bold').fontSize(16).text(r.school.name)
  doc.font('Helvetica').fontSize(9).fillColor('#333')
  if (r.school.address) doc.text(r.school.address)
  if (r.school.phone) doc.text(r.school.phone)
  doc.moveDown()
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(14).text(bilingual('doc.receipt.number', { number }))
  if (r.demo) doc.fillColor('#a00').fontSize(11).text(bilingual('doc.receipt.demo')).fillColor('#000')
  doc.font('Helvetica').fontSize(10).moveDown(0.5)
  doc.text(`${bilingual('doc.receipt.date')} : ${formatInstant(r.paidAt, 'fr-CA')}`)
  doc.text(`${bilingual('doc.receipt.family')} : ${r.family}`)
  // Each tender with its part when there are two; the card alone otherwise, as before.
  if (r.card) {
    const card = bilingual('doc.receipt.card', { brand: r.card.brand.toUpperCase(), last4: r.card.last4 })
    doc.text(r.creditCents > 0 ? `${card} : ${both(r.totalCents - r.creditCents)}` : card)
  }
  if (r.creditCents > 0) doc.text(`${bilingual('doc.receipt.credit')} : ${both(r.creditCents)}`)
  doc.text(bilingual('doc.receipt.channel', { channel: r.channel }))
  doc.moveDown()

  const cols = [
    { key: 'doc.receipt.student', x: left, w: width * 0.22 },
    { key: 'doc.receipt.item', x: left + width * 0.22, w: width * 0.42 },
    { key: 'doc.receipt.quantity', x: left + width * 0.64, w: width * 0.08 },
    { key: 'doc.receipt.amount', x: left + width * 0.72, w: width * 0.28 },
  ] as const
  const header = doc.y
  doc.font('Helvetica-Bold').fontSize(8)
  for (const c of cols) doc.text(bilingual(c.key), c.x, header, { width: c.w - 6, align: c.key === 'doc.receipt.amount' ? 'right' : 'left' })
  doc.moveTo(left, doc.y + 2).lineTo(left + width, doc.y + 2).stroke()
  doc.font('Helvetica').fontSize(9)
  for (const line of r.lines) {
    if (doc.y > doc.page.height - 140) doc.addPage()
    const y = doc.y + 6
    const item = [line.itemFr, line.itemEn && line.itemEn !== line.itemFr ? line.itemEn : null, line.detail].filter(Boolean).join('\n')
    doc.text(line.student, cols[0].x, y, { width: cols[0].w - 6 })
    const afterStudent = doc.y
    doc.text(item, cols[1].x, y, { width: cols[1].w - 6 })
    const afterItem = doc.y
    doc.text(String(line.quantity), cols[2].x, y, { width: cols[2].w - 6 })
    doc.text(both(line.amountCents), cols[3].x, y, { width: cols[3].w - 6, align: 'right' })
    doc.y = Math.max(afterStudent, afterItem, doc.y)
  }
  doc.moveTo(left, doc.y + 4).lineTo(left + width, doc.y + 4).stroke()
  doc.moveDown()
  doc.font('Helvetica-Bold').fontSize(11).text(`${bilingual('doc.receipt.total')} : ${both(r.totalCents)}`, left, doc.y, { width, align: 'right' })

  if (r.refunds.length) {
    doc.moveDown().font('Helvetica-Bold').fontSize(11).text(bilingual('doc.receipt.refunds'), left)
    doc.font('Helvetica').fontSize(9)
    for (const f of r.refunds) {
      // The reason is the staff's own words, in the language they wrote it.
      doc.text(`${formatInstant(f.at, 'fr-CA')} — ${f.reason} — ${bilingual('doc.receipt.refundStatus', { status: f.tender === 'credit' && f.status === 'succeeded' ? 'credited' : f.status })} : -${both(f.amountCents)}`)
    }
    const refunded = r.refunds.filter((f) => f.status === 'succeeded').reduce((sum, f) => sum + f.amountCents, 0)
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(10).text(`${bilingual('doc.receipt.net')} : ${both(r.totalCents - refunded)}`, left, doc.y, { width, align: 'right' })
  }

  doc.moveDown(2).font('Helvetica').fontSize(9).fillColor('#333').text(bilingual('doc.receipt.footer', { phone: r.school.phone ?? '' }), left)
  footPages(doc, bilingual('doc.generated', { date: formatInstant(r.generatedAt, 'fr-CA') }))
  return pdfBuffer(doc)
}
