import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pdfPages } from '../support/pdf-text'
import { applyPage, ReceiptCollisionError } from '../../src/core/services/sync/apply'
import { formatReceiptNumber, receiptCell } from '../../src/shared/format'
import type { ChangesPage } from '../../src/shared/sync/protocol'
import { APPROVED, DECLINED, kioskWorld, type KioskWorld } from './kiosk/helpers'

/**
 * Receipt series (migration 0011): the board numbers its payments ('board'), this PC's kiosk its
 * sales ('office'); each is gapless and unique per school, and a board payment pulled with a number
 * the kiosk already used is kept beside it, never a collision.
 */
let w: KioskWorld
beforeEach(async () => {
  w = await kioskWorld()
})
afterEach(() => w.cleanup())

const card = (number: string) => ({ kind: 'test_card' as const, number })
const NOW = '2026-11-20T15:00:00.000Z'

/** One page from the board: an online order and its payment, numbered by the board. */
function boardPayment(seq: number, id: string, receiptNumber: number, guardianId: string, studentId: string, offeringId: string): ChangesPage {
  const orderId = `${id}-order`
  return {
    changes: [
      {
        seq,
        entity: 'order',
        id: orderId,
        op: 'upsert',
        version: 1,
        data: {
          id: orderId,
          schoolId: w.schoolA,
          guardianId,
          channel: 'online',
          createdAt: NOW,
          lines: [{ id: `${id}-line`, studentId, offeringId, variantId: null, programDateId: null, quantity: 1, unitPriceCents: 2500, amountCents: 2500 }],
        },
      },
      {
        seq: seq + 1,
        entity: 'payment',
        id,
        op: 'upsert',
        version: 1,
        data: { id, schoolId: w.schoolA, orderId, processor: 'board', processorRef: `board-${id}`, cardBrand: 'visa', last4: '4242', amountCents: 2500, channel: 'online', receiptNumber, createdAt: NOW },
      },
    ],
    lastSeq: seq + 1,
    hasMore: false,
    headSeq: seq + 1,
  } as ChangesPage
}

async function kioskFamilies(n: number) {
  const families = [] as Array<{ kiosk: string; card: string }>
  for (let i = 0; i < n; i++) {
    const student = w.board.student(w.schoolA, `Enfant${i}`, `Famille${i}`, '5')
    const guardian = w.board.guardian(`Parent${i}`, `Famille${i}`, [student])
    const kiosk = await w.startKiosk(guardian)
    await w.ok('kiosk.cartAdd', { studentId: student, offeringId: w.fee }, kiosk)
    families.push({ kiosk, card: i % 3 === 1 ? DECLINED : APPROVED })
  }
  return families
}

describe('receipt series', () => {
  it('numbers concurrent kiosk checkouts 1..n in the office series, whatever the board has numbered', async () => {
    // The board's online payments at school A are at 41 already: the kiosk does not follow them.
    w.board.order(w.schoolA, w.marc, [{ student: w.emma, offering: w.fee, cents: 2500 }], true, 41)
    const families = await kioskFamilies(9)
    const results = await Promise.all(
      families.map(async (f, i) => w.settle(f.kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: `req-series-${i}`, card: card(f.card) }, f.kiosk)).chargeId)),
    )
    const approved = results.filter((r) => r.status === 'approved')
    expect(approved).toHaveLength(families.filter((f) => f.card === APPROVED).length)
    expect(approved.every((r) => r.receiptSeries === 'office')).toBe(true)
    const expected = Array.from({ length: approved.length }, (_, i) => i + 1)
    expect(approved.map((r) => r.receiptNumber!).sort((a, b) => a - b)).toEqual(expected)
    expect(w.all(`SELECT receipt_series AS s, receipt_number AS n FROM payments WHERE school_id = ? ORDER BY s, n`, w.schoolA)).toEqual([
      { s: 'board', n: 41 },
      ...expected.map((n) => ({ s: 'office', n })),
    ])
  })

  it('keeps a pulled board payment whose number an office receipt already has, and both show apart', async () => {
    const [f] = await kioskFamilies(1)
    const sold = await w.settle(f!.kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-office-1', card: card(APPROVED) }, f!.kiosk)).chargeId)
    expect(sold).toMatchObject({ status: 'approved', receiptNumber: 1, receiptSeries: 'office' })

    // The board numbered its own first online payment 1 too; sync pulls it.
    const stats = applyPage(w.raw, w.schoolA, boardPayment(1, 'board-pay-1', 1, w.marc, w.emma, w.fee), NOW)
    expect(stats.applied).toBe(2)
    expect(w.all(`SELECT id, receipt_series AS s, receipt_number AS n FROM payments WHERE school_id = ? ORDER BY s`, w.schoolA)).toEqual([
      { id: 'board-pay-1', s: 'board', n: 1 },
      { id: sold.paymentId, s: 'office', n: 1 },
    ])
    expect(w.one<{ last_error: string | null }>(`SELECT last_error FROM sync_state WHERE school_id = ?`, w.schoolA)).toEqual({ last_error: null })

    // The next kiosk sale carries on in its series; the board's 1 changes nothing there.
    const [g] = await kioskFamilies(1)
    const next = await w.settle(g!.kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-office-2', card: card(APPROVED) }, g!.kiosk)).chargeId)
    expect(next).toMatchObject({ receiptNumber: 2, receiptSeries: 'office' })

    // A second board payment numbered 1 is the board's own duplicate: still refused, the page rolled back.
    expect(() => applyPage(w.raw, w.schoolA, boardPayment(3, 'board-pay-dup', 1, w.marc, w.emma, w.fee), NOW)).toThrow(ReceiptCollisionError)
    expect(w.one<{ n: number }>(`SELECT count(*) AS n FROM payments WHERE id = 'board-pay-dup'`)).toEqual({ n: 0 })

    // Shown apart everywhere: the grid, the history, the PDF's file name.
    const orders = await w.ok('orders.list', { schoolId: w.schoolA, offset: 0, limit: 50 }, w.staff)
    const labels = orders.rows.filter((r) => r.receiptNumber !== null).map((r) => formatReceiptNumber(r.receiptNumber!, r.receiptSeries!))
    expect(labels.sort()).toEqual(['1', 'K-000001', 'K-000002'])
    const pdf = await w.ok('receipts.pdf', { paymentId: sold.paymentId! }, w.staff)
    expect(pdf.fileName).toMatch(/-K-000001\.pdf$/)
    const text = (await pdfPages(Buffer.from(pdf.base64, 'base64'))).join(' ').replace(/\s+/g, ' ')
    expect(text).toContain('Reçu no K-000001 / Receipt no. K-000001')
    const boardPdf = await w.ok('receipts.pdf', { paymentId: 'board-pay-1' }, w.staff)
    expect(boardPdf.fileName).toMatch(/-1\.pdf$/)
    const history = await w.ok('families.history', { studentId: w.emma }, w.staff)
    expect(history.events.filter((e) => e.kind === 'payment' && e.paymentId === 'board-pay-1').map((e) => e.detail)).toEqual(['1'])
    // The grid's workbook: the board's receipt a number, the office's its label.
    const file = await w.ok('reports.ordersXlsx', { schoolId: w.schoolA }, w.staff)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer)
    const cells = [] as unknown[]
    book.worksheets[0]!.eachRow((row, n) => void (n > 1 && cells.push(row.getCell(2).value)))
    expect(cells.sort()).toEqual([1, 'K-000001', 'K-000002'])
  })

  it('formats the board’s number as is and the office’s with its prefix', () => {
    expect(formatReceiptNumber(123)).toBe('123')
    expect(formatReceiptNumber(123, 'board')).toBe('123')
    expect(formatReceiptNumber(123, 'office')).toBe('K-000123')
    expect(formatReceiptNumber(1234567, 'office')).toBe('K-1234567')
    expect(receiptCell(7, 'board')).toBe(7)
    expect(receiptCell(7, 'office')).toBe('K-000007')
  })
})
