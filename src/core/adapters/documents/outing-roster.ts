import { formatInstant, formatSchoolDate } from '../../../shared/format'
import type { Locale, MessageKey } from '../../../shared/i18n'
import type { BusLoad, Instant, SchoolDate } from '../../domain/outings'
import { translate } from '../../i18n'
import { footPages, newPdf, pdfBuffer, type Pdf } from './pdf'

/*
 * The outing's documents that go on the bus (DOMAIN.md, "Reports and printing"): the roster by
 * bus here, the day's sheet and the chaperone list in outing-sheets.ts. Plain data in, a
 * Buffer out. Headings and labels carry both languages, the caller's first; names, alerts
 * and phone numbers are the families' own words.
 */

export interface OutingDocHeader {
  schoolName: string
  titleFr: string
  titleEn: string | null
  date: SchoolDate
  /** The last day of an outing over several days. */
  endDate?: SchoolDate | null
  destination: string
  /** 'HH:MM', the school's time. */
  startTime?: string | null
  endTime?: string | null
}

export interface RosterContact {
  name: string
  phone: string | null
  /** "Mère", "Grand-père"… as the board's roster has it. */
  relationship?: string | null
}

export interface RosterStudent {
  lastName: string
  firstName: string
  className: string | null
  medicalAlert: string | null
  /** The guardians to call, first to call first. */
  contacts: readonly RosterContact[]
}

export interface RosterBus {
  /** 1 for the first bus; null for a walk (everyone together), or for students left without a seat. */
  number: number | null
  label?: string | null
  /** Set on the group of students without a bus seat (should the seats not suffice). */
  unseated?: boolean
  /** Staff and chaperones riding it. */
  adults: number
  students: readonly RosterStudent[]
}

export interface OutingRosterModel {
  outing: OutingDocHeader
  buses: readonly RosterBus[]
  generatedAt: Instant
}

type Values = Record<string, string | number>

/** "Autobus 1 / Bus 1": the caller's language first, the other after; once when they agree. */
export function bothIn(locale: Locale, key: MessageKey, values?: Values | ((locale: Locale) => Values)): string {
  const other: Locale = locale === 'fr-CA' ? 'en-CA' : 'fr-CA'
  const valuesIn = (l: Locale) => (typeof values === 'function' ? values(l) : values)
  const first = translate(locale, key, valuesIn(locale))
  const second = translate(other, key, valuesIn(other))
  return first === second ? first : `${first} / ${second}`
}

/** The roster's sections from the domain's seating (`assignBuses`) and the students' details. */
export function rosterBusesOf(loads: readonly BusLoad[], studentOf: (id: string) => RosterStudent | undefined): RosterBus[] {
  let number = 0
  const walk = loads.every((l) => l.busId === null)
  return loads.map((l) => ({
    number: l.busId === null ? null : ++number,
    label: l.label,
    unseated: l.busId === null && !walk,
    adults: l.adults,
    students: l.studentIds.map(studentOf).filter((s): s is RosterStudent => s !== undefined),
  }))
}

export function busHeading(bus: RosterBus, locale: Locale): string {
  if (bus.number === null) return bothIn(locale, bus.unseated ? 'doc.outing.unseated' : 'doc.outing.onFoot')
  const name = bothIn(locale, 'doc.outing.bus', { number: bus.number })
  return bus.label ? `${name} — ${bus.label}` : name
}

export const studentName = (s: { lastName: string; firstName: string }) => `${s.lastName}, ${s.firstName}`

const outingTitle = (o: OutingDocHeader, locale: Locale) => {
  const [first, second] = locale === 'en-CA' && o.titleEn ? [o.titleEn, o.titleFr] : [o.titleFr, o.titleEn]
  return second && second !== first ? `${first} / ${second}` : first
}

const outingDates = (o: OutingDocHeader, locale: Locale) =>
  o.endDate && o.endDate !== o.date ? `${formatSchoolDate(o.date, locale)} – ${formatSchoolDate(o.endDate, locale)}` : formatSchoolDate(o.date, locale)

/** The top of each page: the document, the school, the outing, its day and times. */
export function outingHeading(doc: Pdf, titleKey: MessageKey, o: OutingDocHeader, locale: Locale): void {
  const left = doc.page.margins.left
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(15).text(bothIn(locale, titleKey), left)
  doc.font('Helvetica').fontSize(10).text(o.schoolName)
  doc.font('Helvetica-Bold').fontSize(11).text(outingTitle(o, locale))
  doc.font('Helvetica').fontSize(10).text(outingDates(o, locale))
  doc.text(bothIn(locale, 'doc.outing.destination', { destination: o.destination }))
  if (o.startTime && o.endTime) doc.text(bothIn(locale, 'doc.outing.times', { start: o.startTime, end: o.endTime }))
  doc.moveDown(0.5)
}

export function generatedNote(generatedAt: Instant, locale: Locale): string {
  return bothIn(locale, 'doc.generated', (l) => ({ date: formatInstant(generatedAt, l) }))
}

export interface Column {
  header: string
  /** A share of the page's width; the shares add up to 1. */
  width: number
  align?: 'left' | 'right' | 'center'
}

/** A cell: text, text in red and bold (an alert), or a box to tick by hand. */
export type Cell = string | { text: string; alert?: boolean } | { box: true }

const ROW_GAP = 4

/**
 * A table that breaks across pages: the column headings come again on each page, after
 * whatever `onNewPage` writes (the section's heading).
 */
export function drawTable(doc: Pdf, columns: readonly Column[], rows: readonly Cell[][], onNewPage: () => void, options: { ruled?: boolean; minRowHeight?: number } = {}): void {
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const xs: number[] = []
  columns.reduce((x, c) => (xs.push(x), x + c.width * width), left)
  const widthOf = (i: number) => columns[i]!.width * width - 6
  const bottom = () => doc.page.height - doc.page.margins.bottom - 12

  const cellHeight = (cell: Cell, i: number) => {
    if (typeof cell === 'object' && 'box' in cell) return 12
    const text = typeof cell === 'string' ? cell : cell.text
    doc.font(typeof cell === 'object' && cell.alert ? 'Helvetica-Bold' : 'Helvetica').fontSize(9)
    return text === '' ? 10 : doc.heightOfString(text, { width: widthOf(i) })
  }

  const header = () => {
    doc.font('Helvetica-Bold').fontSize(8).fillColor('#000')
    const y = doc.y
    const h = Math.max(...columns.map((c, i) => doc.heightOfString(c.header, { width: widthOf(i) })))
    columns.forEach((c, i) => doc.text(c.header, xs[i]!, y, { width: widthOf(i), align: c.align ?? 'left' }))
    doc.y = y + h + 2
    doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.8).strokeColor('#000').stroke()
  }

  header()
  for (const row of rows) {
    const h = Math.max(options.minRowHeight ?? 0, ...row.map(cellHeight))
    if (doc.y + ROW_GAP + h > bottom()) {
      doc.addPage()
      onNewPage()
      header()
    }
    const y = doc.y + ROW_GAP
    row.forEach((cell, i) => {
      const x = xs[i]!
      const align = columns[i]!.align ?? 'left'
      if (typeof cell === 'object' && 'box' in cell) {
        const bx = align === 'center' ? x + (widthOf(i) - 11) / 2 : x
        doc.rect(bx, y, 11, 11).lineWidth(0.8).strokeColor('#000').stroke()
        return
      }
      const alert = typeof cell === 'object' && cell.alert === true
      doc.font(alert ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor(alert ? '#a00' : '#000')
      doc.text(typeof cell === 'string' ? cell : cell.text, x, y, { width: widthOf(i), align })
    })
    doc.fillColor('#000')
    doc.y = y + h + ROW_GAP / 2
    if (options.ruled) doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.3).strokeColor('#999').stroke().strokeColor('#000')
  }
}

function contactLines(s: RosterStudent, locale: Locale): string {
  if (s.contacts.length === 0) return bothIn(locale, 'doc.outing.noContact')
  return s.contacts
    .map((c) => `${c.name}${c.relationship ? ` (${c.relationship})` : ''} — ${c.phone ?? bothIn(locale, 'doc.outing.noPhone')}`)
    .join('\n')
}

/**
 * The roster by bus: a section (from a new page) per bus, its confirmed students with their
 * class, medical alert and emergency contacts, for the adult in charge of that bus.
 */
export async function outingRosterPdf(model: OutingRosterModel, locale: Locale): Promise<Buffer> {
  const { outing } = model
  const doc = newPdf(`${bothIn(locale, 'doc.outing.roster.title')} — ${outing.titleFr} — ${outing.date}`)
  const total = model.buses.reduce((sum, b) => sum + b.students.length, 0)
  const alerts = model.buses.reduce((sum, b) => sum + b.students.filter((s) => s.medicalAlert).length, 0)
  const columns: Column[] = [
    { header: bothIn(locale, 'doc.outing.student'), width: 0.24 },
    { header: bothIn(locale, 'doc.outing.class'), width: 0.12 },
    { header: bothIn(locale, 'doc.outing.alert'), width: 0.28 },
    { header: bothIn(locale, 'doc.outing.contacts'), width: 0.36 },
  ]

  const sections = model.buses.length > 0 ? model.buses : [{ number: null, adults: 0, students: [] }]
  sections.forEach((bus, index) => {
    if (index > 0) doc.addPage()
    const heading = (continued: boolean) => {
      outingHeading(doc, 'doc.outing.roster.title', outing, locale)
      if (index === 0 && !continued) {
        doc.font('Helvetica').fontSize(10).text(`${bothIn(locale, 'doc.outing.students', { count: total })} — ${bothIn(locale, 'doc.outing.alerts', { count: alerts })}`)
        doc.fontSize(8).fillColor('#a00').text(bothIn(locale, 'doc.outing.confidential')).fillColor('#000').moveDown(0.5)
      }
      const name = busHeading(bus, locale)
      doc.font('Helvetica-Bold').fontSize(13).text(continued ? `${name} (${bothIn(locale, 'doc.outing.continued')})` : name, doc.page.margins.left)
      doc.font('Helvetica').fontSize(10).text(bothIn(locale, 'doc.outing.busCounts', { students: bus.students.length, adults: bus.adults })).moveDown(0.3)
    }
    heading(false)
    if (bus.students.length === 0) {
      doc.font('Helvetica').fontSize(10).text(bothIn(locale, 'doc.outing.empty'))
      return
    }
    const rows: Cell[][] = bus.students.map((s) => [
      studentName(s),
      s.className ?? bothIn(locale, 'doc.outing.noClass'),
      s.medicalAlert ? { text: s.medicalAlert, alert: true } : '',
      s.contacts.length === 0 ? { text: contactLines(s, locale), alert: true } : contactLines(s, locale),
    ])
    drawTable(doc, columns, rows, () => heading(true), { ruled: true })
  })
  footPages(doc, generatedNote(model.generatedAt, locale))
  return pdfBuffer(doc)
}
