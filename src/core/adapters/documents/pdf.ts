import PDFDocument from 'pdfkit'
import type { MessageKey } from '../../../shared/i18n'
import { translate } from '../../i18n'

export type Pdf = InstanceType<typeof PDFDocument>

/** A letter-size page with the margins of an office printer. */
export function newPdf(title: string): Pdf {
  return new PDFDocument({ size: 'LETTER', margin: 54, bufferPages: true, info: { Title: title, Producer: 'Guichet', Creator: 'Guichet' }, lang: 'fr-CA' })
}

/** The whole document, once pdfkit has written it. */
export function pdfBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.end()
  })
}

/** "Reçu / Receipt": documents go home to families of either language, so they carry both. */
export function bilingual(key: MessageKey, values?: Record<string, string | number>): string {
  const fr = translate('fr-CA', key, values)
  const en = translate('en-CA', key, values)
  return fr === en ? fr : `${fr} / ${en}`
}

/** Numbers each page "Page 1 de 2 / Page 1 of 2" at the foot, once all pages exist. */
export function footPages(doc: Pdf, note: string): void {
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    // Writing inside the bottom margin would make pdfkit start a new page: lift it meanwhile.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - bottom + 18
    const values = { page: i + 1, pages: range.count }
    doc.font('Helvetica').fontSize(8).fillColor('#555')
    doc.text(`${note}   ·   ${bilingual('doc.page', values)}`, doc.page.margins.left, y, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right, align: 'center', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
}
