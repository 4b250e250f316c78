import { describe, expect, it } from 'vitest'
import { planPrint, receiptLayoutOf, type PrintKind } from '../../src/core/domain/print-plan'

describe('planPrint', () => {
  const cases: Array<[PrintKind, boolean, string | null, ReturnType<typeof planPrint>]> = [
    ['receipt', false, 'EPSON_TM_T20', { ok: true, dialog: false, printer: 'EPSON_TM_T20' }],
    ['receipt', false, null, { ok: true, dialog: true, printer: null }],
    ['sheet', false, 'EPSON_TM_T20', { ok: true, dialog: true, printer: null }],
    ['sheet', false, null, { ok: true, dialog: true, printer: null }],
    ['receipt', true, 'EPSON_TM_T20', { ok: true, dialog: false, printer: 'EPSON_TM_T20' }],
    ['receipt', true, null, { ok: false, reason: 'kioskNoReceiptPrinter' }],
    ['sheet', true, 'EPSON_TM_T20', { ok: false, reason: 'kioskSheet' }],
    ['sheet', true, null, { ok: false, reason: 'kioskSheet' }],
  ]
  it.each(cases)('%s, kiosk %s, receipt printer %s', (kind, kiosk, printer, plan) => {
    expect(planPrint(kind, kiosk, printer)).toEqual(plan)
  })

  it('never plans a dialog at the kiosk', () => {
    for (const kind of ['receipt', 'sheet'] as const) for (const printer of ['P', null]) {
      const plan = planPrint(kind, true, printer)
      expect(plan.ok && plan.dialog).toBe(false)
    }
  })

  it('reads the layout setting, letter unless roll80', () => {
    expect(receiptLayoutOf('roll80')).toBe('roll80')
    expect(receiptLayoutOf('letter')).toBe('letter')
    expect(receiptLayoutOf(undefined)).toBe('letter')
    expect(receiptLayoutOf('a4')).toBe('letter')
  })
})
