import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { outingRosterPdf, rosterBusesOf, type OutingDocHeader, type OutingRosterModel, type RosterStudent } from '../../src/core/adapters/documents/outing-roster'
import { outingChaperonesPdf, outingClassBreakdownXlsx, outingSignSheetPdf } from '../../src/core/adapters/documents/outing-sheets'
import { assignBuses, classBreakdown, computeOuting, type CapacityInput, type OutingStudent } from '../../src/core/domain/outings'
import { pdfPages } from '../support/pdf-text'

const outing: OutingDocHeader = {
  schoolName: 'École élémentaire catholique Saint-Guillaume',
  titleFr: 'Sortie au Musée canadien de la nature',
  titleEn: 'Outing to the Canadian Museum of Nature',
  date: '2026-05-20',
  destination: 'Musée canadien de la nature, Ottawa',
  startTime: '09:00',
  endTime: '14:30',
}
const generatedAt = '2026-05-19T13:00:00.000Z'
const flat = (text: string) => text.replace(/\s+/g, ' ')

const emma: RosterStudent = {
  lastName: 'Bélanger',
  firstName: 'Emma',
  className: '4A',
  medicalAlert: 'Allergie aux arachides — ÉpiPen dans le sac',
  contacts: [
    { name: 'Isabelle Bélanger', phone: '613-555-0101', relationship: 'Mère' },
    { name: 'Marc Bélanger', phone: null },
  ],
}
const noah: RosterStudent = { lastName: 'Tremblay', firstName: 'Noah', className: '4A', medicalAlert: null, contacts: [{ name: 'Julie Tremblay', phone: '613-555-0102' }] }
const lea: RosterStudent = { lastName: 'Gagnon', firstName: 'Léa', className: '5B', medicalAlert: 'Asthme — pompe', contacts: [] }
const roster: OutingRosterModel = {
  outing,
  generatedAt,
  buses: [
    { number: 1, label: 'Transco 214', adults: 3, students: [emma, noah] },
    { number: 2, adults: 2, students: [lea] },
  ],
}

describe('the roster by bus', () => {
  it('lists each bus’s confirmed students on its own pages, with their alerts and emergency contacts', async () => {
    const pages = (await pdfPages(await outingRosterPdf(roster, 'fr-CA'))).map(flat)
    expect(pages).toHaveLength(2)
    const [bus1, bus2] = pages as [string, string]
    for (const text of [
      'Liste des élèves par autobus / Roster by bus',
      'École élémentaire catholique Saint-Guillaume',
      'Sortie au Musée canadien de la nature / Outing to the Canadian Museum of Nature',
      'mercredi 20 mai 2026',
      'Départ 09:00 — retour 14:30 / Leaves 09:00 — back 14:30',
      '3 élèves confirmés / 3 confirmed students — 2 alertes médicales / 2 medical alerts',
      'Autobus 1 / Bus 1 — Transco 214',
      '2 élèves, 3 adultes / 2 students, 3 adults',
      'Bélanger, Emma',
      'Allergie aux arachides — ÉpiPen dans le sac',
      'Isabelle Bélanger (Mère) — 613-555-0101',
      'Marc Bélanger — pas de téléphone / no phone',
      'Tremblay, Noah',
      'Julie Tremblay — 613-555-0102',
      'Page 1 de 2 / Page 1 of 2',
    ])
      expect(bus1).toContain(text)
    expect(bus1).not.toContain('Gagnon')
    for (const text of ['Autobus 2 / Bus 2', '1 élève, 2 adultes / 1 student, 2 adults', 'Gagnon, Léa', '5B', 'Asthme — pompe', 'Aucun contact au dossier / No contact on file'])
      expect(bus2).toContain(text)
    expect(bus2).not.toContain('Bélanger')
    expect(bus2).not.toContain('Tremblay')
  })

  it('puts the caller’s language first', async () => {
    const [page] = (await pdfPages(await outingRosterPdf(roster, 'en-CA'))).map(flat)
    for (const text of ['Roster by bus / Liste des élèves par autobus', 'Outing to the Canadian Museum of Nature / Sortie au Musée canadien de la nature', 'Wednesday, May 20, 2026', 'Bus 1 / Autobus 1 — Transco 214'])
      expect(page).toContain(text)
  })

  it('carries a long bus over pages, headings again, nobody lost', async () => {
    const many = Array.from({ length: 70 }, (_, i) => ({ ...noah, firstName: `Élève${String(i + 1).padStart(2, '0')}`, medicalAlert: i % 10 === 0 ? `Alerte ${i + 1}` : null }))
    const pages = (await pdfPages(await outingRosterPdf({ outing, generatedAt, buses: [{ number: 1, adults: 4, students: many }] }, 'fr-CA'))).map(flat)
    expect(pages.length).toBeGreaterThan(1)
    expect(pages[1]).toContain('Autobus 1 / Bus 1 (suite / continued)')
    expect(pages[1]).toContain('Élève / Student')
    const all = pages.join(' ')
    for (const s of many) expect(all).toContain(`Tremblay, ${s.firstName}`)
    for (let i = 1; i <= 70; i += 10) expect(all).toContain(`Alerte ${i}`)
  })

  it('is built from the capacity engine: only the confirmed, each on the bus the seating gives', async () => {
    const students: OutingStudent[] = Array.from({ length: 30 }, (_, i) => ({ id: `s${String(i + 1).padStart(2, '0')}`, grade: '5', classId: i < 15 ? '5A' : '5B' }))
    const input: CapacityInput = {
      plan: {
        date: outing.date,
        buses: [
          { id: 'b1', seats: 14 },
          { id: 'b2', seats: 14 },
        ],
        staffCount: 2,
        chaperones: [],
        ratios: [{ grades: ['5'], studentsPerAdult: 10 }],
        venueLimit: null,
        costCents: 0,
      },
      students,
      consents: students.map((s, i) => ({ id: `r${i}`, studentId: s.id, decision: 'granted', recordedAt: new Date(Date.UTC(2026, 4, 1, 12, i)).toISOString() })),
      payments: {},
      today: '2026-05-10',
    }
    const snapshot = computeOuting(input)
    expect(snapshot.confirmed).toBe(26)
    const details = new Map(students.map((s) => [s.id, { lastName: 'Nom', firstName: s.id, className: s.classId, medicalAlert: null, contacts: [] }]))
    const buses = rosterBusesOf(assignBuses(input.plan, students, snapshot.confirmedIds), (id) => details.get(id))
    const pages = (await pdfPages(await outingRosterPdf({ outing, generatedAt, buses }, 'fr-CA'))).map(flat)
    expect(pages).toHaveLength(2)
    expect(pages[0]).toContain('Autobus 1 / Bus 1')
    for (const id of snapshot.confirmedIds) expect(pages.filter((p) => p.includes(`Nom, ${id} `))).toHaveLength(1)
    for (const id of snapshot.waitlist) expect(pages.join(' ')).not.toContain(`Nom, ${id} `)
    // Class 5A whole on the first bus.
    for (let i = 1; i <= 13; i++) expect(pages[0]).toContain(`Nom, s${String(i).padStart(2, '0')} 5A`)
  })

  it('says so on a walk', async () => {
    const [page] = (await pdfPages(await outingRosterPdf({ outing, generatedAt, buses: [{ number: null, adults: 2, students: [noah] }] }, 'fr-CA'))).map(flat)
    expect(page).toContain('À pied / On foot')
    expect(page).toContain('Tremblay, Noah')
  })
})

describe('the day’s sign-out and sign-in sheet', () => {
  it('has a numbered row per student with boxes to tick out and back, per bus, and a signature line', async () => {
    const pages = (await pdfPages(await outingSignSheetPdf(roster, 'fr-CA'))).map(flat)
    expect(pages).toHaveLength(2)
    for (const text of [
      'Feuille de départ et de retour / Sign-out and sign-in sheet',
      'Autobus 1 / Bus 1 — Transco 214',
      'No / No. Élève / Student Classe / Class Départ / Out Retour / Back Remarque / Note',
      '1 Bélanger, Emma 4A',
      '2 Tremblay, Noah 4A',
      'Élèves comptés au départ : ______ au retour : ______ / Students counted leaving: ______ returning: ______',
      'Signature de l’adulte responsable / Signature of the adult in charge',
      'Heure / Time',
    ])
      expect(pages[0]).toContain(text)
    expect(pages[1]).toContain('1 Gagnon, Léa 5B')
    expect(pages[1]).toContain('Signature de l’adulte responsable')
    // The sheet is for ticking, not for medical details.
    expect(pages.join(' ')).not.toContain('Allergie')
  })
})

describe('the chaperone list', () => {
  it('gives each chaperone’s check, whether they count and why not, against the need', async () => {
    const pdf = await outingChaperonesPdf(
      {
        outing,
        generatedAt,
        needed: 3,
        covering: 1,
        staffCount: 2,
        chaperones: [
          { name: 'Marie Roy', phone: '613-555-0199', expiresOn: '2027-06-30', covers: true, reason: null },
          { name: 'Luc Roy', expiresOn: null, covers: false, reason: 'checkMissing' },
          { name: 'Paul Dion', expiresOn: '2026-05-10', covers: false, reason: 'checkExpiresBeforeOuting' },
        ],
      },
      'fr-CA',
    )
    const [page, more] = (await pdfPages(pdf)).map(flat)
    expect(more).toBeUndefined()
    for (const text of [
      'Liste des accompagnateurs / Chaperone list',
      'Accompagnateurs requis : 3 — qui comptent : 1 / Chaperones needed: 3 — who count: 1',
      'Il manque 2 accompagnateurs. / 2 chaperones short.',
      '2 membres du personnel de l’école / 2 school staff members',
      'Marie Roy 613-555-0199 30 juin 2027 Oui / Yes',
      'Luc Roy Aucune / None Non / No Aucune vérification des antécédents au dossier / No police records check on file',
      'Paul Dion 10 mai 2026 Non / No Vérification expirant avant la sortie / Check expires before the outing',
    ])
      expect(page).toContain(text)
  })

  it('says when there is no chaperone and no ratio', async () => {
    const [page] = (await pdfPages(await outingChaperonesPdf({ outing, generatedAt, needed: null, covering: 0, staffCount: 1, chaperones: [] }, 'en-CA'))).map(flat)
    expect(page).toContain('No number of students per adult: the need is unknown.')
    expect(page).toContain('No chaperone listed. / Aucun accompagnateur inscrit.')
    expect(page).not.toContain('short')
  })
})

describe('the per-class breakdown in Excel', () => {
  it('has numbers per class and SUM formulas with the right results', async () => {
    const students: OutingStudent[] = [
      { id: 'a1', grade: '4', classId: '4A' },
      { id: 'a2', grade: '4', classId: '4A' },
      { id: 'a3', grade: '4', classId: '4A' },
      { id: 'b1', grade: '5', classId: '5B' },
      { id: 'b2', grade: '5', classId: '5B' },
    ]
    const snapshot = computeOuting({
      plan: { date: outing.date, buses: [], staffCount: 1, chaperones: [], ratios: [{ grades: ['4', '5'], studentsPerAdult: 10 }], venueLimit: 2, costCents: 1500 },
      students,
      consents: [
        { id: 'r1', studentId: 'a1', decision: 'granted', recordedAt: '2026-05-01T12:00:00.000Z' },
        { id: 'r2', studentId: 'a2', decision: 'granted', recordedAt: '2026-05-01T12:01:00.000Z' },
        { id: 'r3', studentId: 'a3', decision: 'declined', recordedAt: '2026-05-01T12:02:00.000Z' },
        { id: 'r4', studentId: 'b1', decision: 'granted', recordedAt: '2026-05-01T12:03:00.000Z' },
      ],
      payments: { a1: 'paid', a2: 'waived', b1: 'paid' },
      today: '2026-05-10',
    })
    const { rows } = classBreakdown(students, snapshot)
    const names: Record<string, string> = { '4A': '4A — Mme Roy', '5B': '5B — M. Dion' }
    const xlsx = await outingClassBreakdownXlsx({ outing, rows: rows.map((r) => ({ ...r, className: names[r.classId!]! })) }, 'fr-CA')

    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.name).toBe('Par classe - By class')
    expect(ws.getCell('A1').value).toBe('Répartition par classe / Breakdown by class — Sortie au Musée canadien de la nature')
    const head = ws.getRow(4).values as unknown[]
    expect(head.slice(1)).toEqual([
      'Classe / Class',
      'Admissibles / Eligible',
      'Consentis / Consented',
      'Refusés / Declined',
      'Sans réponse / No answer',
      'Payés / Paid',
      'Exemptés / Waived',
      'Confirmés / Confirmed',
      'En attente / Waitlisted',
    ])
    expect((ws.getRow(5).values as unknown[]).slice(1)).toEqual(['4A — Mme Roy', 3, 2, 1, 0, 1, 1, 2, 0])
    expect((ws.getRow(6).values as unknown[]).slice(1)).toEqual(['5B — M. Dion', 2, 1, 0, 1, 1, 0, 0, 1])
    const totals = ws.getRow(7)
    expect(totals.getCell(1).value).toBe('Total')
    const expected = [5, 3, 1, 1, 2, 1, 2, 1]
    expected.forEach((result, i) => {
      const letter = String.fromCharCode(66 + i)
      expect(totals.getCell(i + 2).value).toEqual({ formula: `SUM(${letter}5:${letter}6)`, result })
    })
  })

  it('totals 0 without a formula over itself when there is no class', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await outingClassBreakdownXlsx({ outing, rows: [] }, 'en-CA')) as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.name).toBe('By class - Par classe')
    expect(ws.getRow(5).getCell(1).value).toBe('Total')
    expect(ws.getRow(5).getCell(2).value).toBe(0)
  })
})
