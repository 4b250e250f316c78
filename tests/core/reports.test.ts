import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { LedgerModel } from '../support/ledger-model'
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
  // The pizza Friday where the demo board's voided payments, reversed refunds and refunds settled
  // as credit fall (the most of them), then the most lines: where a naive count would go wrong.
  friday = all<{ id: string; date: string; school_id: string }>(
    `SELECT d.id, d.date, o.school_id FROM program_dates d JOIN offerings o ON o.id = d.offering_id
     JOIN order_lines l ON l.program_date_id = d.id WHERE o.title_fr LIKE 'Pizza%' GROUP BY d.id
     ORDER BY sum(l.order_id IN (SELECT p.order_id FROM payments p JOIN payment_voids v ON v.payment_id = p.id)
       OR l.id IN (SELECT order_line_id FROM refunds WHERE status <> 'pending' AND id IN (SELECT refund_id FROM family_credits UNION SELECT refund_id FROM refund_events))) DESC,
       count(*) DESC LIMIT 1`,
  )[0]!
})
afterAll(() => t.cleanup())

/** The lines of the Friday, with what the supplier sheet groups them by. */
function fridayLines() {
  return all<{ id: string; order_id: string; amount_cents: number; quantity: number; class_name: string | null; variant_id: string | null }>(
    `SELECT l.id, l.order_id, l.amount_cents, l.quantity, c.name AS class_name, l.variant_id
     FROM order_lines l JOIN students s ON s.id = l.student_id LEFT JOIN classes c ON c.id = s.class_id WHERE l.program_date_id = ?`,
    friday.id,
  )
}

/** What a supplier must deliver, by class and choice: the held lines, from the ledger model. */
function ledgerCounts() {
  const model = new LedgerModel(t.core.connection.raw)
  const counts = new Map<string, { class_name: string | null; variant_id: string | null; n: number }>()
  for (const l of fridayLines().filter((line) => model.isHeld(line))) {
    const key = `${l.class_name}|${l.variant_id}`
    const row = counts.get(key) ?? { class_name: l.class_name, variant_id: l.variant_id, n: 0 }
    row.n += l.quantity
    counts.set(key, row)
  }
  return [...counts.values()]
}

describe('the supplier order sheet', () => {
  it('matches the ledger count for count, by class and by choice', async () => {
    const sheet = await ok(t.core, 'reports.orderSheet', { programDateId: friday.id }, session)
    const counts = ledgerCounts()
    expect(counts.length).toBeGreaterThan(3)
    // The Friday holds the cases a naive reading gets wrong: a line of a voided payment, one whose
    // card refund failed (or was reversed) and was settled as credit.
    const model = new LedgerModel(t.core.connection.raw)
    const lines = fridayLines()
    expect(lines.filter((l) => !model.isPaid(l.order_id) && all(`SELECT 1 FROM payments WHERE order_id = ?`, l.order_id).length > 0).length, 'a voided payment').toBeGreaterThan(0)
    expect(lines.filter((l) => model.isPaid(l.order_id) && !model.isHeld(l) && all(`SELECT 1 FROM refunds WHERE order_line_id = ? AND status = 'succeeded'`, l.id).length === 0).length, 'given back as credit only').toBeGreaterThan(0)
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
    const model = new LedgerModel(t.core.connection.raw)
    const alerted = all<{ id: string; order_id: string; amount_cents: number; quantity: number; first_name: string; last_name: string; medical_alert: string }>(
      `SELECT l.id, l.order_id, l.amount_cents, l.quantity, s.first_name, s.last_name, s.medical_alert FROM order_lines l JOIN students s ON s.id = l.student_id
       WHERE l.program_date_id = ? AND s.medical_alert IS NOT NULL`,
      friday.id,
    ).filter((l) => model.isHeld(l))
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
    // The school year's dates as instants at Toronto (EDT, UTC−4, on 1 August).
    const ledger = new LedgerModel(t.core.connection.raw).money('2026-08-01T04:00:00.000Z', '2027-08-01T04:00:00.000Z', school)
    expect(report.totals).toEqual({ ...ledger, netCents: ledger.paidCents - ledger.refundedCents })
    expect(ledger.waivedCents, 'the school gave waivers').toBeGreaterThan(0)
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
