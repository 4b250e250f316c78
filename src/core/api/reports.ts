import { sql } from 'kysely'
import { deliveryListsPdf, orderSheetPdf, orderSheetXlsx } from '../adapters/documents/order-sheet'
import { moneyXlsx } from '../adapters/documents/money-xlsx'
import { moneyReport } from '../services/reports/money'
import { deliveryLists, orderSheet } from '../services/reports/order-sheet'
import type { Handlers } from './types'

const PDF = 'application/pdf'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export const reportHandlers: Handlers<'reports.programDates' | 'reports.orderSheet' | 'reports.orderSheetFile' | 'reports.deliveryLists' | 'reports.money' | 'reports.moneyFile'> = {
  async 'reports.money'(input, ctx) {
    return moneyReport(ctx.db, input)
  },

  async 'reports.moneyFile'(input, ctx) {
    const report = await moneyReport(ctx.db, input)
    return { fileName: `argent-${input.from}-au-${input.to}.xlsx`, mimeType: XLSX, base64: (await moneyXlsx(report)).toString('base64') }
  },

  async 'reports.programDates'({ schoolId, from, to }, ctx) {
    let q = ctx.db
      .selectFrom('program_dates as d')
      .innerJoin('offerings as o', 'o.id', 'd.offering_id')
      .innerJoin('schools as sc', 'sc.id', 'o.school_id')
      .select([
        'd.id',
        'd.offering_id',
        'o.school_id',
        'sc.name',
        'd.date',
        'd.cutoff_at',
        'd.supplier',
        'd.status',
        'o.title_fr',
        'o.title_en',
        sql<number>`(SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.program_date_id = d.id
          AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = l.order_id))`.as('ordered'),
      ])
      .where('d.date', '>=', from)
      .where('d.date', '<=', to)
      .where('o.status', '<>', 'draft')
      .orderBy('d.date')
      .orderBy('o.title_fr')
    if (schoolId) q = q.where('o.school_id', '=', schoolId)
    const rows = await q.execute()
    return rows.map((r) => ({
      programDateId: r.id,
      offeringId: r.offering_id,
      schoolId: r.school_id,
      schoolName: r.name,
      date: r.date,
      cutoffAt: r.cutoff_at,
      supplier: r.supplier,
      dateStatus: r.status,
      titleFr: r.title_fr,
      titleEn: r.title_en,
      ordered: Number(r.ordered),
    }))
  },

  async 'reports.orderSheet'({ programDateId }, ctx) {
    return orderSheet(ctx.db, programDateId)
  },

  async 'reports.orderSheetFile'({ programDateIds, format }, ctx) {
    const sheets = []
    for (const id of programDateIds) sheets.push(await orderSheet(ctx.db, id))
    sheets.sort((a, b) => a.date.localeCompare(b.date))
    const name = `commande-${sheets[0]!.date}${sheets.length > 1 ? `-au-${sheets.at(-1)!.date}` : ''}`
    return format === 'pdf'
      ? { fileName: `${name}.pdf`, mimeType: PDF, base64: (await orderSheetPdf(sheets, ctx.now)).toString('base64') }
      : { fileName: `${name}.xlsx`, mimeType: XLSX, base64: (await orderSheetXlsx(sheets)).toString('base64') }
  },

  async 'reports.deliveryLists'({ programDateId }, ctx) {
    const { sheet, classes } = await deliveryLists(ctx.db, programDateId)
    const pdf = await deliveryListsPdf({ fr: sheet.title_fr, en: sheet.title_en, date: sheet.date, school: sheet.school_name }, classes, ctx.now)
    return { fileName: `distribution-${sheet.date}.pdf`, mimeType: PDF, base64: pdf.toString('base64') }
  },
}
