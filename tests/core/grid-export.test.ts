import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { excelLocalDateTime } from '../../src/core/adapters/documents/grid-xlsx'
import type { Input, Output } from '../../src/shared/contract'
import { FAST_SCRYPT, ok, testCore } from './fixtures'

/**
 * Every grid exports as it is filtered: the workbook of the Commandes and Élèves grids is read
 * back and compared, row for row and cell for cell, with what their list methods return page by
 * page for the same filter and sort.
 */

let t: Awaited<ReturnType<typeof testCore>>
let session: string
let schoolId: string

beforeAll(async () => {
  t = await testCore()
  seedDemoBoard(t.core.connection.raw, { anchor: new Date(t.clock.ms), passwordParams: FAST_SCRYPT })
  session = (await ok(t.core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
  schoolId = (t.core.connection.raw.prepare('SELECT id FROM schools ORDER BY name LIMIT 1').get() as { id: string }).id
})
afterAll(() => t.cleanup())

async function sheetOf(file: { base64: string }): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
  expect(wb.worksheets).toHaveLength(1)
  return wb.worksheets[0]!
}

/** A row's cells under the header, an empty cell as null. */
const values = (ws: ExcelJS.Worksheet, r: number) => Array.from({ length: ws.getRow(1).cellCount }, (_, c) => ws.getRow(r).getCell(c + 1).value ?? null)

async function allOrders(filter: Omit<Input<'orders.list'>, 'offset' | 'limit'>): Promise<Output<'orders.list'>['rows']> {
  const rows: Output<'orders.list'>['rows'] = []
  for (let offset = 0; ; offset += 200) {
    const page = await ok(t.core, 'orders.list', { ...filter, offset, limit: 200 }, session)
    rows.push(...page.rows)
    if (rows.length >= page.total) return rows
  }
}

async function allStudents(filter: Omit<Input<'students.search'>, 'offset' | 'limit'>): Promise<Output<'students.search'>['rows']> {
  const rows: Output<'students.search'>['rows'] = []
  for (let offset = 0; ; offset += 200) {
    const page = await ok(t.core, 'students.search', { ...filter, offset, limit: 200 }, session)
    rows.push(...page.rows)
    if (rows.length >= page.total) return rows
  }
}

describe('reports.ordersXlsx', () => {
  const filters: Array<Omit<Input<'orders.list'>, 'offset' | 'limit'>> = [
    {},
    { schoolId, channel: 'kiosk', sort: { field: 'totalCents', direction: 'desc' } },
    { status: 'partially_refunded' },
    { query: 'mar', from: '2026-09-01', to: '2026-10-15', sort: { field: 'guardianName', direction: 'asc' } },
  ]

  it.each(filters)('holds every row of the filter %j, in its order, with real numbers and dates', async (filter) => {
    const rows = await allOrders(filter)
    expect(rows.length).toBeGreaterThan(0)
    const file = await ok(t.core, 'reports.ordersXlsx', filter, session)
    expect(file).toMatchObject({ fileName: 'commandes-2026-11-20.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
    const ws = await sheetOf(file)
    expect(ws.name).toBe('Commandes')
    expect(values(ws, 1)).toEqual(['Date', 'Reçu', 'École', 'Famille', 'Élèves', 'Articles', 'Canal', 'Total', 'Remboursé', 'Remboursement en cours', 'État'])
    expect(ws.rowCount).toBe(rows.length + 1)
    const channel = { online: 'En ligne', kiosk: 'Kiosque' }
    const status = { paid: 'Payée', partially_refunded: 'Remboursée en partie', refunded: 'Remboursée', unpaid: 'Non payée' }
    rows.forEach((o, i) => {
      expect(values(ws, i + 2), o.orderId).toEqual([
        excelLocalDateTime(o.createdAt),
        // A board receipt is its number; the office kiosk's series is text, « K-000123 ».
        o.receiptSeries === 'office' ? `K-${String(o.receiptNumber).padStart(6, '0')}` : o.receiptNumber,
        o.schoolName,
        o.guardianName,
        o.students.join(', '),
        o.items.join(', '),
        channel[o.channel],
        o.totalCents / 100,
        o.refundedCents / 100,
        o.pendingRefundCents / 100,
        status[o.status],
      ])
    })
    // Money is a number with a currency format, the date a date with a date format.
    expect(ws.getRow(2).getCell(8).numFmt).toBe('#,##0.00 "$"')
    expect(ws.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm')
    // Summed back in cents, the cells give the list's totals for the filter.
    const list = await ok(t.core, 'orders.list', { ...filter, limit: 1 }, session)
    let paid = 0
    for (let r = 2; r <= ws.rowCount; r++) if (values(ws, r)[10] !== status.unpaid) paid += Math.round((ws.getRow(r).getCell(8).value as number) * 100)
    expect(paid).toBe(list.totals.totalCents)
  })

  it('writes the wall-clock time of the school, not UTC', () => {
    // 15:00 UTC on a November day is 10:00 in Ottawa.
    expect(excelLocalDateTime('2026-11-20T15:00:00.000Z').toISOString()).toBe('2026-11-20T10:00:00.000Z')
    expect(excelLocalDateTime('2026-07-02T15:30:00.000Z').toISOString()).toBe('2026-07-02T11:30:00.000Z')
  })

  it('speaks the caller’s language', async () => {
    // The staff member's language, kept by auth.setLanguage.
    await ok(t.core, 'auth.setLanguage', { language: 'en' }, session)
    const file = await ok(t.core, 'reports.ordersXlsx', { channel: 'kiosk' }, session)
    await ok(t.core, 'auth.setLanguage', { language: 'fr' }, session)
    const ws = await sheetOf(file)
    expect(ws.name).toBe('Orders')
    expect(values(ws, 1)[0]).toBe('Date')
    expect(values(ws, 1)[9]).toBe('Refund in progress')
    expect(values(ws, 2)[6]).toBe('Kiosk')
  })
})

describe('reports.studentsXlsx', () => {
  const filters: Array<Omit<Input<'students.search'>, 'offset' | 'limit'>> = [
    {},
    { schoolId, grade: '3', sort: { field: 'firstName', direction: 'desc' } },
    { query: 'ma', status: 'all', sort: { field: 'className', direction: 'asc' } },
  ]

  it.each(filters)('holds every student of the filter %j, in its order', async (filter) => {
    const rows = await allStudents(filter)
    expect(rows.length).toBeGreaterThan(0)
    const file = await ok(t.core, 'reports.studentsXlsx', filter, session)
    expect(file.fileName).toBe('eleves-2026-11-20.xlsx')
    const ws = await sheetOf(file)
    expect(values(ws, 1)).toEqual(['Nom', 'Prénom', 'Année', 'Classe', 'École', 'Statut', 'Alerte médicale'])
    expect(ws.rowCount).toBe(rows.length + 1)
    const grade = (g: string) => (g === 'JK' ? 'Maternelle' : g === 'SK' ? 'Jardin' : g === '1' ? '1re année' : `${g}e année`)
    rows.forEach((s, i) => {
      expect(values(ws, i + 2), s.id).toEqual([s.lastName, s.firstName, grade(s.grade), s.className, s.schoolName, s.status === 'active' ? 'Actif' : 'Retiré', s.hasMedicalAlert ? 'Oui' : null])
    })
  })

  it('exports the whole board beyond one page of the grid', async () => {
    const total = (await ok(t.core, 'students.search', { status: 'all', limit: 1 }, session)).total
    expect(total).toBeGreaterThan(200)
    const ws = await sheetOf(await ok(t.core, 'reports.studentsXlsx', { status: 'all' }, session))
    expect(ws.rowCount).toBe(total + 1)
  })
})
