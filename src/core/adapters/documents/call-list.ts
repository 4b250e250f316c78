import { formatInstant } from '../../../shared/format'
import { translate } from '../../i18n'
import type { CallList, CallListChild, CallListFamily, CallListItem } from '../../services/reports/call-list'
import { gridWorkbook, type GridColumn } from './grid-xlsx'
import { bilingual, footPages, newPdf, pdfBuffer } from './pdf'

/** An item's title in the language the family prefers (they are called in it). */
const titleIn = (item: CallListItem, language: 'fr' | 'en') => (language === 'en' ? (item.titleEn ?? item.titleFr) : item.titleFr)
const both = (item: CallListItem) => (item.titleEn && item.titleEn !== item.titleFr ? `${item.titleFr} / ${item.titleEn}` : item.titleFr)
const grade = (g: string) => translate('fr-CA', 'grade.label', { grade: g })
const languageName = (l: 'fr' | 'en') => bilingual(l === 'fr' ? 'doc.callList.french' : 'doc.callList.english')

/**
 * The call list on paper: the open items and how many have not answered, then one block per
 * family (who, their language, their phones) with each child and the items still to answer,
 * named in the family's language.
 */
export async function callListPdf(list: CallList, generatedAt: string): Promise<Buffer> {
  const doc = newPdf(bilingual('doc.callList.title'))
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const byId = new Map(list.items.map((i) => [i.offeringId, i]))
  const students = new Set(list.families.flatMap((f) => f.children.map((c) => c.studentId)))

  doc.font('Helvetica-Bold').fontSize(16).text(bilingual('doc.callList.title'))
  doc.font('Helvetica').fontSize(10).text(bilingual('doc.callList.intro'))
  doc.text(bilingual('doc.callList.summary', { families: list.families.length, students: students.size + list.withoutGuardian.length }))
  doc.moveDown(0.5)

  // The open items: what is asked, until when, how many have not answered.
  doc.font('Helvetica-Bold').fontSize(11).text(bilingual('doc.callList.items'))
  doc.font('Helvetica').fontSize(9)
  for (const item of list.items) {
    const y = doc.y + 2
    doc.text(`${both(item)} — ${item.schoolName}`, left, y, { width: width * 0.6 })
    const after = doc.y
    doc.text(formatInstant(item.deadlineAt, 'fr-CA'), left + width * 0.6, y, { width: width * 0.22 })
    doc.text(bilingual('doc.callList.unanswered', { unanswered: item.unanswered, eligible: item.eligible }), left + width * 0.82, y, { width: width * 0.18, align: 'right' })
    doc.y = Math.max(after, doc.y)
  }
  doc.moveDown()

  if (list.families.length === 0 && list.withoutGuardian.length === 0) {
    doc.font('Helvetica-Bold').fontSize(11).text(bilingual('doc.callList.none'), left)
  }
  const childLine = (c: CallListChild, language: 'fr' | 'en') =>
    `${c.firstName} ${c.lastName} (${[grade(c.grade), c.className, c.schoolName].filter(Boolean).join(', ')}) : ${c.offeringIds.map((id) => titleIn(byId.get(id)!, language)).join(' ; ')}`
  const block = (f: CallListFamily) => {
    // Keep a family on one page: its heading, phones and children.
    const need = 40 + f.children.length * 26
    if (doc.y + need > doc.page.height - doc.page.margins.bottom) doc.addPage()
    const phones = [f.phone, f.phoneAlt].filter(Boolean).join(' · ') || bilingual('doc.callList.noPhone')
    doc.font('Helvetica-Bold').fontSize(11).text(`${f.lastName}, ${f.firstName}`, left, doc.y + 6, { continued: true })
    doc.font('Helvetica').fontSize(10).text(`   ${phones}   ·   ${languageName(f.language)}`)
    if (f.email) doc.fontSize(8).fillColor('#444').text(f.email).fillColor('#000')
    doc.fontSize(9)
    for (const c of f.children) doc.text(`• ${childLine(c, f.language)}`, left + 12, doc.y + 1, { width: width - 12 })
    doc.rect(left + width - 12, doc.y - 10, 10, 10).stroke()
  }
  for (const f of list.families) block(f)
  if (list.withoutGuardian.length > 0) {
    doc.moveDown().font('Helvetica-Bold').fontSize(11).text(bilingual('doc.callList.withoutGuardian'), left)
    doc.font('Helvetica').fontSize(9)
    for (const c of list.withoutGuardian) doc.text(`• ${childLine(c, 'fr')}`, left + 12, doc.y + 1, { width: width - 12 })
  }
  footPages(doc, bilingual('doc.generated', { date: formatInstant(generatedAt, 'fr-CA') }))
  return pdfBuffer(doc)
}

interface FamilyChildRow {
  family: CallListFamily | null
  child: CallListChild
}

/**
 * The call list as a workbook: one row per family and child (so it sorts and filters by class or
 * by item), the items still to answer in one cell and their count as a number; a second sheet of
 * the open items.
 */
export async function callListXlsx(list: CallList): Promise<Buffer> {
  const byId = new Map(list.items.map((i) => [i.offeringId, i]))
  const rows: FamilyChildRow[] = [...list.families.flatMap((family) => family.children.map((child) => ({ family, child }))), ...list.withoutGuardian.map((child) => ({ family: null, child }))]
  const familyColumns: GridColumn<FamilyChildRow>[] = [
    { header: bilingual('doc.callList.family'), kind: 'text', width: 28, value: (r) => (r.family ? `${r.family.lastName}, ${r.family.firstName}` : null) },
    { header: bilingual('doc.callList.phone'), kind: 'text', width: 16, value: (r) => r.family?.phone ?? null },
    { header: bilingual('doc.callList.phoneAlt'), kind: 'text', width: 16, value: (r) => r.family?.phoneAlt ?? null },
    { header: bilingual('doc.callList.email'), kind: 'text', width: 28, value: (r) => r.family?.email ?? null },
    { header: bilingual('doc.callList.language'), kind: 'text', width: 18, value: (r) => (r.family ? languageName(r.family.language) : null) },
    { header: bilingual('doc.callList.student'), kind: 'text', width: 26, value: (r) => `${r.child.lastName}, ${r.child.firstName}` },
    { header: bilingual('doc.callList.grade'), kind: 'text', width: 12, value: (r) => grade(r.child.grade) },
    { header: bilingual('doc.callList.class'), kind: 'text', width: 14, value: (r) => r.child.className },
    { header: bilingual('doc.callList.school'), kind: 'text', width: 26, value: (r) => r.child.schoolName },
    { header: bilingual('doc.callList.toAnswer'), kind: 'text', width: 50, value: (r) => r.child.offeringIds.map((id) => titleIn(byId.get(id)!, r.family?.language ?? 'fr')).join(' ; ') },
    { header: bilingual('doc.callList.count'), kind: 'integer', value: (r) => r.child.offeringIds.length },
    { header: bilingual('doc.callList.nextDeadline'), kind: 'datetime', value: (r) => byId.get(r.child.offeringIds[0]!)!.deadlineAt },
  ]
  const itemColumns: GridColumn<CallListItem>[] = [
    { header: bilingual('doc.callList.item'), kind: 'text', width: 44, value: both },
    { header: bilingual('doc.callList.school'), kind: 'text', width: 26, value: (i) => i.schoolName },
    { header: bilingual('doc.callList.deadline'), kind: 'datetime', value: (i) => i.deadlineAt },
    { header: bilingual('doc.callList.eligible'), kind: 'integer', value: (i) => i.eligible },
    { header: bilingual('doc.callList.noAnswer'), kind: 'integer', value: (i) => i.unanswered },
  ]
  return gridWorkbook([
    { name: bilingual('doc.callList.familiesSheet'), columns: familyColumns, rows },
    { name: bilingual('doc.callList.itemsSheet'), columns: itemColumns, rows: list.items },
  ])
}
