import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createCore } from '../src/core'
import { seedDemoBoard } from '../src/core/demo/seed'
import type { Input, MethodName } from '../src/shared/contract'
import type { BenchResult } from './types'

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

const round = (x: number) => Math.round(x * 10) / 10

/**
 * A school year of reports for a 1,500-student school (and its 100-student neighbour): every
 * supplier order sheet of the year as a PDF and as a workbook, one program date at a time as the
 * office prints them, then the year's money report and its workbook, the whole-board grid exports
 * and the dashboard; then, on the same school generated in February (its catalogue under way),
 * the dashboard and the call list. Each call goes through the whole core (validation, session,
 * transaction, output check), as the window makes it.
 */
export async function benchReportsYear(dir: string): Promise<BenchResult> {
  const file = join(dir, 'reports-year.sqlite')
  const anchor = Date.parse('2027-06-18T16:00:00Z')
  // The core's clock: the board's last school day for the year's documents.
  const clock = { ms: anchor }
  let core = await createCore({ file, appVersion: 'bench', nowMs: () => clock.ms })
  try {
    const seeded = seedDemoBoard(core.connection.raw, { anchor: new Date(anchor), studentsPerSchool: [1500, 100], fullYear: true })
    const signIn = async () => {
      const r = await core.dispatch({ method: 'auth.signIn', input: { username: 'secretaire', password: 'guichet' } })
      if (!r.ok) throw new Error(r.error.message)
      return (r.value as { token: string }).token
    }
    let session = await signIn()
    const time = async <M extends MethodName>(method: M, input: Input<M>): Promise<{ ms: number; bytes: number }> => {
      const t = performance.now()
      const r = await core.dispatch({ method, input, session })
      const ms = performance.now() - t
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
      const base64 = (r.value as { base64?: string }).base64
      return { ms, bytes: base64 ? Math.floor((base64.length * 3) / 4) : 0 }
    }

    const school = core.connection.raw
      .prepare(`SELECT s.id, count(*) AS n FROM schools s JOIN students st ON st.school_id = s.id GROUP BY s.id ORDER BY n DESC LIMIT 1`)
      .get() as { id: string; n: number }
    const year = core.connection.raw.prepare('SELECT starts_on, ends_on FROM school_years WHERE school_id = ? ORDER BY starts_on DESC LIMIT 1').get(school.id) as { starts_on: string; ends_on: string }
    const dates = core.connection.raw
      .prepare(`SELECT d.id FROM program_dates d JOIN offerings o ON o.id = d.offering_id WHERE o.school_id = ? AND o.status <> 'draft' AND d.date BETWEEN ? AND ? ORDER BY d.date, o.title_fr`)
      .all(school.id, year.starts_on, year.ends_on) as Array<{ id: string }>
    const lines = core.connection.raw
      .prepare(`SELECT count(*) AS n FROM order_lines l JOIN program_dates d ON d.id = l.program_date_id JOIN offerings o ON o.id = d.offering_id WHERE o.school_id = ?`)
      .get(school.id) as { n: number }

    const sheets = async (format: 'pdf' | 'xlsx') => {
      const each: number[] = []
      let bytes = 0
      const started = performance.now()
      for (const d of dates) {
        const r = await time('reports.orderSheetFile', { programDateIds: [d.id], format })
        each.push(r.ms)
        bytes += r.bytes
      }
      const total = performance.now() - started
      each.sort((a, b) => a - b)
      return { total, each, bytes }
    }
    const pdf = await sheets('pdf')
    const xlsx = await sheets('xlsx')
    const period = { schoolId: school.id, from: year.starts_on, to: year.ends_on }
    const money = await time('reports.money', period)
    const moneyFile = await time('reports.moneyFile', period)
    const orders = await time('reports.ordersXlsx', {})
    const students = await time('reports.studentsXlsx', { status: 'all' })
    const dashboardYearEnd = await time('dashboard.summary', { days: 7 })
    const orderCount = (core.connection.raw.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n
    await core.close()

    // The same school in February, its catalogue under way: items open, deliveries that day.
    const midYear = Date.parse('2027-02-10T15:00:00Z')
    clock.ms = midYear
    core = await createCore({ file: join(dir, 'reports-midyear.sqlite'), appVersion: 'bench', nowMs: () => clock.ms })
    seedDemoBoard(core.connection.raw, { anchor: new Date(midYear), studentsPerSchool: [1500, 100] })
    session = await signIn()
    const dashboard = await time('dashboard.summary', { days: 7 })
    const callList = await time('reports.callList', {})
    const callListPdf = await time('reports.callListFile', { format: 'pdf' })
    const callListXlsx = await time('reports.callListFile', { format: 'xlsx' })
    const families = ((await core.dispatch({ method: 'reports.callList', input: {}, session })) as { ok: true; value: { families: unknown[] } }).value.families.length

    return {
      name: 'A school year of reports (1,500-student school, whole year)',
      figures: {
        students: seeded.students,
        'program dates in the year': dates.length,
        'their order lines': lines.n,
        'sheets PDF, all (ms)': Math.round(pdf.total),
        'sheet PDF p50 ms': round(percentile(pdf.each, 50)),
        'sheet PDF p95 ms': round(percentile(pdf.each, 95)),
        'sheet PDF max ms': round(pdf.each.at(-1)!),
        'sheets PDF, all (kB)': Math.round(pdf.bytes / 1024),
        'sheets Excel, all (ms)': Math.round(xlsx.total),
        'sheet Excel p50 ms': round(percentile(xlsx.each, 50)),
        'sheet Excel p95 ms': round(percentile(xlsx.each, 95)),
        'sheet Excel max ms': round(xlsx.each.at(-1)!),
        'money report, year (ms)': round(money.ms),
        'money workbook, year (ms)': round(moneyFile.ms),
        'dashboard, year end (ms)': round(dashboardYearEnd.ms),
        'dashboard, February (ms)': round(dashboard.ms),
        'call list, families': families,
        'call list ms': round(callList.ms),
        'call list PDF ms': round(callListPdf.ms),
        'call list Excel ms': round(callListXlsx.ms),
        orders: orderCount,
        'orders grid to Excel (ms)': Math.round(orders.ms),
        'students grid to Excel (ms)': Math.round(students.ms),
      },
    }
  } finally {
    await core.close()
  }
}
