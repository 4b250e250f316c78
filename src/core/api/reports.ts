import { sql } from 'kysely'
import type { OrderRow } from '../../shared/contract/money'
import type { StudentRow } from '../../shared/contract/students'
import { receiptCell } from '../../shared/format'
import { callListPdf, callListXlsx } from '../adapters/documents/call-list'
import { gridXlsx, type GridColumn } from '../adapters/documents/grid-xlsx'
import { deliveryListsPdf, orderSheetPdf, orderSheetXlsx } from '../adapters/documents/order-sheet'
import { moneyXlsx } from '../adapters/documents/money-xlsx'
import { localDateOf } from '../domain/catalogue'
import { translate } from '../i18n'
import { callList } from '../services/reports/call-list'
import { moneyReport } from '../services/reports/money'
import { deliveryLists, orderSheet } from '../services/reports/order-sheet'
import { orderRowsOf, sortedOrders } from './orders'
import { studentHandlers } from './students'
import type { Handlers } from './types'
import { LINE_HELD } from '../services/held-lines'

const PDF = 'application/pdf'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** Rows asked of a grid's list method at a time when exporting it whole. */
const EXPORT_PAGE = 500

type Methods =
  | 'reports.programDates'
  | 'reports.orderSheet'
  | 'reports.orderSheetFile'
  | 'reports.deliveryLists'
  | 'reports.money'
  | 'reports.moneyFile'
  | 'reports.callList'
  | 'reports.callListFile'
  | 'reports.ordersXlsx'
  | 'reports.studentsXlsx'

export const reportHandlers: Handlers<Methods> = {
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
        // The order sheet's total: paid lines not refunded (the dashboard's portions too).
        sql<number>`(SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.offering_id = d.offering_id AND l.program_date_id = d.id
          AND ${LINE_HELD})`.as('ordered'),
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

  async 'reports.callList'(input, ctx) {
    return callList(ctx.db, ctx.now, input)
  },

  async 'reports.callListFile'({ format, ...filter }, ctx) {
    const list = await callList(ctx.db, ctx.now, filter)
    const name = `appels-${localDateOf(ctx.now, 'America/Toronto')}`
    return format === 'pdf'
      ? { fileName: `${name}.pdf`, mimeType: PDF, base64: (await callListPdf(list, ctx.now)).toString('base64') }
      : { fileName: `${name}.xlsx`, mimeType: XLSX, base64: (await callListXlsx(list)).toString('base64') }
  },

  /** The list method's own query and rows (orders.ts), every row of the filter in its sort: the same figures. */
  async 'reports.ordersXlsx'(input, ctx) {
    const rows = await orderRowsOf(ctx.db, await sortedOrders(ctx.db, input).execute(), ctx.locale)
    const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(ctx.locale, key, values)
    const columns: GridColumn<OrderRow>[] = [
      { header: t('orders.col.date'), kind: 'datetime', value: (r) => r.createdAt },
      { header: t('orders.col.receipt'), kind: 'integer', value: (r) => (r.receiptNumber === null ? null : receiptCell(r.receiptNumber, r.receiptSeries ?? 'board')) },
      { header: t('export.col.school'), kind: 'text', width: 26, value: (r) => r.schoolName },
      { header: t('orders.col.family'), kind: 'text', width: 26, value: (r) => r.guardianName },
      { header: t('orders.col.students'), kind: 'text', width: 30, value: (r) => r.students.join(', ') },
      { header: t('orders.col.items'), kind: 'text', width: 40, value: (r) => r.items.join(', ') },
      { header: t('orders.col.channel'), kind: 'text', width: 12, value: (r) => t(`orders.channel.${r.channel}`) },
      { header: t('orders.col.total'), kind: 'money', value: (r) => r.totalCents },
      { header: t('orders.col.refunded'), kind: 'money', value: (r) => r.refundedCents },
      { header: t('export.col.pendingRefund'), kind: 'money', value: (r) => r.pendingRefundCents },
      { header: t('orders.col.status'), kind: 'text', width: 20, value: (r) => t(`orders.status.${r.status}`) },
    ]
    const file = await gridXlsx(t('export.orders.sheet'), columns, rows)
    return { fileName: `commandes-${localDateOf(ctx.now, 'America/Toronto')}.xlsx`, mimeType: XLSX, base64: file.toString('base64') }
  },

  /** The students, page after page of the list method itself in this one transaction. */
  async 'reports.studentsXlsx'(input, ctx) {
    const rows: StudentRow[] = []
    for (let offset = 0; ; offset += EXPORT_PAGE) {
      const page = await studentHandlers['students.search']({ ...input, offset, limit: EXPORT_PAGE }, ctx)
      rows.push(...page.rows)
      if (page.rows.length < EXPORT_PAGE || rows.length >= page.total) break
    }
    const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(ctx.locale, key, values)
    const columns: GridColumn<StudentRow>[] = [
      { header: t('students.col.lastName'), kind: 'text', value: (r) => r.lastName },
      { header: t('students.col.firstName'), kind: 'text', value: (r) => r.firstName },
      { header: t('students.col.grade'), kind: 'text', width: 18, value: (r) => t('grade.label', { grade: r.grade }) },
      { header: t('students.col.class'), kind: 'text', width: 14, value: (r) => r.className },
      { header: t('students.col.school'), kind: 'text', width: 30, value: (r) => r.schoolName },
      { header: t('export.col.status'), kind: 'text', width: 12, value: (r) => t('export.student.status', { status: r.status }) },
      { header: t('export.col.medicalAlert'), kind: 'text', width: 16, value: (r) => (r.hasMedicalAlert ? t('export.yes') : null) },
    ]
    const file = await gridXlsx(t('export.students.sheet'), columns, rows)
    return { fileName: `eleves-${localDateOf(ctx.now, 'America/Toronto')}.xlsx`, mimeType: XLSX, base64: file.toString('base64') }
  },
}
