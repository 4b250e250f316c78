import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { pdfPages } from '../support/pdf-text'
import { FAST_SCRYPT, ok, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let session: string
let friday: { id: string; date: string; school_id: string }
const all = <T>(sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).all(...args) as T[]

beforeAll(async () => {
  t = await testCore()
  seedDemoBoard(t.core.connection.raw, { anchor: new Date('2026-11-20T15:00:00Z'), passwordParams: FAST_SCRYPT })
  session = (await ok(t.core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
  // The pizza Friday of the demo school with the most portions ordered.
  friday = all<{ id: string; date: string; school_id: string }>(
    `SELECT d.id, d.date, o.school_id FROM program_dates d JOIN offerings o ON o.id = d.offering_id
     JOIN order_lines l ON l.program_date_id = d.id WHERE o.title_fr LIKE 'Pizza%' GROUP BY d.id ORDER BY count(*) DESC LIMIT 1`,
  )[0]!
})
afterAll(() => t.cleanup())

/** The lines a supplier must deliver, counted straight from the ledger. */
function ledgerCounts() {
  return all<{ class_name: string | null; variant_id: string | null; n: number }>(
    `SELECT c.name AS class_name, l.variant_id, sum(l.quantity) AS n
     FROM order_lines l JOIN students s ON s.id = l.student_id LEFT JOIN classes c ON c.id = s.class_id
     WHERE l.program_date_id = ? AND l.order_id IN (SELECT order_id FROM payments)
       AND l.amount_cents > (SELECT coalesce(sum(amount_cents), 0) FROM refunds r WHERE r.order_line_id = l.id AND r.status IN ('succeeded', 'pending'))
     GROUP BY c.name, l.variant_id`,
    friday.id,
  )
}

describe('the supplier order sheet', () => {
  it('matches the ledger count for count, by class and by choice', async () => {
    const sheet = await ok(t.core, 'reports.orderSheet', { programDateId: friday.id }, session)
    const counts = ledgerCounts()
    expect(counts.length).toBeGreaterThan(3)
    for (const row of counts) {
      const cls = sheet.classes.find((c) => c.className === row.class_name)!
      expect(cls.counts[row.variant_id ?? '-'], `${row.class_name} ${row.variant_id}`).toBe(row.n)
    }
    expect(sheet.total).toBe(counts.reduce((s, r) => s + r.n, 0))
    expect(sheet.variants.reduce((s, v) => s + v.total, 0)).toBe(sheet.total)
    expect(sheet.classes.reduce((s, c) => s + c.total, 0)).toBe(sheet.total)
  })

  it('writes a workbook of real numbers with totals as formulas', async () => {
    const sheet = await ok(t.core, 'reports.orderSheet', { programDateId: friday.id }, session)
    const file = await ok(t.core, 'reports.orderSheetFile', { programDateIds: [friday.id], format: 'xlsx' }, session)
    expect(file.fileName).toBe(`commande-${friday.date}.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    const ws = wb.getWorksheet(friday.date)!
    const last = ws.getRow(ws.rowCount)
    const grand = last.getCell(sheet.variants.length + 2).value as ExcelJS.CellFormulaValue
    expect(grand.formula).toMatch(/^SUM\(/)
    expect(grand.result).toBe(sheet.total)
    const firstClass = ws.getRow(5)
    expect(typeof firstClass.getCell(2).value).toBe('number')
  })

  it('prints the counts on a PDF page per date, a week at once', async () => {
    const week = await ok(t.core, 'reports.programDates', { schoolId: friday.school_id, from: friday.date, to: friday.date }, session)
    const sheet = await ok(t.core, 'reports.orderSheet', { programDateId: friday.id }, session)
    const file = await ok(t.core, 'reports.orderSheetFile', { programDateIds: week.map((w) => w.programDateId), format: 'pdf' }, session)
    const pages = await pdfPages(Buffer.from(file.base64, 'base64'))
    expect(pages).toHaveLength(week.length)
    const page = pages.find((p) => p.includes('Pizza'))!.replace(/\s+/g, ' ')
    expect(page).toContain(`Total à commander : ${sheet.total} / Total to order: ${sheet.total}`)
    for (const v of sheet.variants) expect(page).toContain(v.labelFr)
  })
})

describe('class delivery lists', () => {
  it('give each class its own page, with every student, their choice and their alert', async () => {
    const sheet = await ok(t.core, 'reports.orderSheet', { programDateId: friday.id }, session)
    const file = await ok(t.core, 'reports.deliveryLists', { programDateId: friday.id }, session)
    const pages = (await pdfPages(Buffer.from(file.base64, 'base64'))).map((p) => p.replace(/\s+/g, ' '))
    expect(pages.length).toBeGreaterThanOrEqual(sheet.classes.length)
    const alerted = all<{ first_name: string; last_name: string; medical_alert: string }>(
      `SELECT s.first_name, s.last_name, s.medical_alert FROM order_lines l JOIN students s ON s.id = l.student_id
       WHERE l.program_date_id = ? AND s.medical_alert IS NOT NULL AND l.order_id IN (SELECT order_id FROM payments)`,
      friday.id,
    )
    expect(alerted.length, 'a student with an alert orders that Friday').toBeGreaterThan(0)
    for (const a of alerted) {
      const page = pages.find((p) => p.includes(`${a.last_name}, ${a.first_name}`))
      expect(page, `${a.first_name} ${a.last_name}`).toBeDefined()
      expect(page).toContain(a.medical_alert.slice(0, 20))
    }
  })
})

describe('the money report', () => {
  const year = { from: '2026-08-01', to: '2027-07-31' }

  it('nets the ledger to the cent, the same whichever way it is cut', async () => {
    const school = friday.school_id
    const report = await ok(t.core, 'reports.money', { schoolId: school, ...year }, session)
    const ledger = all<{ paid: number; refunded: number; waived: number }>(
      `SELECT (SELECT sum(amount_cents) FROM payments WHERE school_id = ?) AS paid,
              (SELECT sum(r.amount_cents) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.school_id = ? AND r.status = 'succeeded') AS refunded,
              (SELECT sum(w.amount_cents) FROM waivers w JOIN offerings o ON o.id = w.offering_id WHERE o.school_id = ?) AS waived`,
      school,
      school,
      school,
    )[0]!
    expect(report.totals).toEqual({ paidCents: ledger.paid, refundedCents: ledger.refunded, waivedCents: ledger.waived, netCents: ledger.paid - ledger.refunded })
    for (const view of [report.byItem, report.byDay, report.byChannel, report.bySchool]) {
      expect(view.reduce((s, r) => s + r.netCents, 0)).toBe(report.totals.netCents)
      expect(view.reduce((s, r) => s + r.waivedCents, 0)).toBe(report.totals.waivedCents)
    }
    expect(report.byChannel.map((r) => r.key).sort()).toEqual(['kiosk', 'online', 'waiver'])
  })

  it('exports numbers, not text, with nets and totals as formulas', async () => {
    const report = await ok(t.core, 'reports.money', year, session)
    const file = await ok(t.core, 'reports.moneyFile', year, session)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Par article - By item', 'Par jour - By day', 'Par canal - By channel', 'Par école - By school'])
    for (const ws of wb.worksheets) {
      const firstData = ws.getRow(5)
      expect(typeof firstData.getCell(3).value).toBe('number')
      expect((firstData.getCell(6).value as ExcelJS.CellFormulaValue).formula).toBe('C5-D5')
      const totals = ws.getRow(ws.rowCount)
      const net = totals.getCell(6).value as ExcelJS.CellFormulaValue
      expect(net.formula).toMatch(/^SUM\(F5:F\d+\)$/)
      expect(Math.round((net.result as number) * 100)).toBe(report.totals.netCents)
      // The cells themselves add up to the cached total, to the cent.
      let sum = 0
      for (let r = 5; r < ws.rowCount; r++) sum += Math.round((ws.getRow(r).getCell(3).value as number) * 100)
      expect(sum).toBe(report.totals.paidCents)
    }
  })

  it('refuses a period that ends before it starts', async () => {
    const result = await t.core.dispatch({ method: 'reports.money', input: { from: '2027-01-01', to: '2026-01-01' }, session })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'to', message: 'La fin de la période doit venir après son début.' }] } })
  })
})
