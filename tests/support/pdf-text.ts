import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

const fonts = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/'

/** The text of each page of a PDF, as a reader would copy it: tests check what a document says. */
export async function pdfPages(data: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: fonts }).promise
  const pages: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .replace(/[ \t]+/g, ' '),
    )
  }
  await doc.destroy()
  return pages
}

/** Each page's width and height in points (1/72 in), as a printer would get them. */
export async function pdfPageSizes(data: Uint8Array): Promise<Array<{ width: number; height: number }>> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: fonts }).promise
  const sizes: Array<{ width: number; height: number }> = []
  for (let i = 1; i <= doc.numPages; i++) {
    const [x0, y0, x1, y1] = (await doc.getPage(i)).view as [number, number, number, number]
    sizes.push({ width: x1 - x0, height: y1 - y0 })
  }
  await doc.destroy()
  return sizes
}
