import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoFeeCents, nextBusinessDay } from '../../src/core/adapters/processors'
import { addDays, localDateOf, startOfLocalDay } from '../../src/core/domain/catalogue/dates'
import { SETTLEMENT_DELAY_DAYS } from '../../src/shared/contract/reconciliation'
import { ANCHOR, expectAccessible, signIn, startApp, type App } from './harness'

/**
 * The reconciliation on the demo board, in the browser: the demo processor's payouts of a period
 * (its generated kiosk history), reconciled against the ledger. The figures on the screen are
 * computed here again from the database alone, by the demo's documented schedule: each day's
 * kiosk payments and refunds are paid out on the next business day, less 2.9 % + 30 ¢ a payment.
 */
let app: App
const TZ = 'America/Toronto'
/**
 * The demo processor's history ends at the anchor, the day the demo board was made; the app is
 * used ten days later (the settlement delay and three), so a payment recorded after the anchor is past the settlement delay.
 */
let anchorDay = ''
/** The school year from September 1 to two weeks before the anchor. */
let FROM = ''
let TO = ''

beforeAll(async () => {
  app = await startApp({ now: new Date(Date.parse(ANCHOR) + (SETTLEMENT_DELAY_DAYS + 3) * 86_400_000).toISOString() })
  anchorDay = localDateOf(app.anchor, TZ)
  FROM = `${Number(anchorDay.slice(0, 4)) - (anchorDay.slice(5, 7) < '09' ? 1 : 0)}-09-01`
  TO = addDays(anchorDay, -14)
  await signIn(app.page)
  await app.page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
})
afterAll(() => app?.close())

const money = (cents: number) => new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'CAD' }).format(cents / 100)
const inPeriod = (instant: string) => {
  const arrival = nextBusinessDay(localDateOf(instant, TZ))
  return arrival >= FROM && arrival <= TO
}

describe('Rapprochement des dépôts', () => {
  it('reconciles the demo processor’s payouts of a period, with the database’s figures, and exports them', async () => {
    const { page } = app
    const db = app.core.connection.raw
    const payments = db.prepare(`SELECT amount_cents, created_at FROM payments WHERE processor = 'demo'`).all() as Array<{ amount_cents: number; created_at: string }>
    const refunds = db
      .prepare(`SELECT r.amount_cents, r.requested_at FROM refund_states r JOIN payments p ON p.id = r.payment_id WHERE p.processor = 'demo' AND r.status = 'succeeded'`)
      .all() as Array<{ amount_cents: number; requested_at: string }>
    const paid = payments.filter((p) => inPeriod(p.created_at))
    const paidCents = paid.reduce((s, p) => s + p.amount_cents, 0)
    const feesCents = paid.reduce((s, p) => s + demoFeeCents(p.amount_cents), 0)
    const refundedCents = refunds.filter((r) => inPeriod(r.requested_at)).reduce((s, r) => s + r.amount_cents, 0)
    const days = new Set([...paid.map((p) => nextBusinessDay(localDateOf(p.created_at, TZ))), ...refunds.filter((r) => inPeriod(r.requested_at)).map((r) => nextBusinessDay(localDateOf(r.requested_at, TZ)))])
    expect(paid.length).toBeGreaterThan(0)
    const board = db
      .prepare(`SELECT count(*) AS n FROM payments WHERE processor = 'board' AND created_at >= ? AND created_at < ?`)
      .get(startOfLocalDay(FROM, TZ), startOfLocalDay(addDays(TO, 1), TZ)) as { n: number }

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Rapports' }).click()
    await page.getByRole('heading', { level: 1, name: 'Rapports' }).waitFor()
    const section = page.getByRole('region', { name: 'Rapprochement des dépôts' })
    await section.getByLabel('Du', { exact: true }).fill(FROM)
    await section.getByLabel('Au', { exact: true }).fill(TO)
    await section.getByRole('button', { name: 'Rapprocher' }).click()
    await section.getByRole('status').filter({ hasText: `${days.size} dépôts` }).waitFor()
    await expect.poll(() => section.getByRole('status').textContent()).toContain('aucun écart')

    const total = (label: string) => section.locator('.reconciliation-totals > div').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd').textContent()
    expect(await total('Déposé')).toBe(money(paidCents - refundedCents - feesCents))
    expect(await total('Paiements au registre')).toBe(money(paidCents))
    expect(await total('Remboursements au registre')).toBe(money(refundedCents))
    expect(await total('Frais du processeur')).toBe(money(feesCents))
    expect(await total('Écart non expliqué')).toBe(money(0))

    const table = section.getByRole('table', { name: 'Dépôts de la période' })
    await expect.poll(() => table.locator('tbody tr').count()).toBe(days.size)
    await expect(section.getByText('Tout concorde', { exact: false }).count()).resolves.toBe(1)
    await expect(section.getByText(new RegExp(`^${board.n.toLocaleString("fr-CA")} paiements? en ligne`)).count()).resolves.toBe(1)
    await expect(section.getByText('Processeur de démonstration — aucun paiement réel.').count()).resolves.toBe(1)
    await expectAccessible(page, 'Rapprochement des dépôts')

    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Exporter le rapprochement en Excel' }).click()])
    expect(download.suggestedFilename()).toBe(`rapprochement-${FROM}-au-${TO}.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await download.path())!)
    const payouts = wb.worksheets[0]!
    let totals: ExcelJS.Row | undefined
    payouts.eachRow((row) => {
      if (row.getCell(1).value === 'Total') totals = row
    })
    expect(Math.round(((totals!.getCell(5).value as ExcelJS.CellFormulaValue).result as number) * 100)).toBe(paidCents - refundedCents - feesCents)
    expect(Math.round(((totals!.getCell(8).value as ExcelJS.CellFormulaValue).result as number) * 100)).toBe(feesCents)
  })

  it('points at a kiosk payment the processor never paid out, by its receipt and its family', async () => {
    const { page } = app
    const db = app.core.connection.raw
    // Recorded after the board's generated history as taken by the demo processor, which never saw it.
    const order = db
      .prepare(`SELECT o.id, o.school_id, g.first_name, g.last_name FROM orders o JOIN guardians g ON g.id = o.guardian_id JOIN payments p ON p.order_id = o.id WHERE p.processor = 'demo' ORDER BY p.created_at DESC LIMIT 1`)
      .get() as { id: string; school_id: string; first_name: string; last_name: string }
    const receipt = (db.prepare(`SELECT max(receipt_number) AS n FROM payments WHERE school_id = ?`).get(order.school_id) as { n: number }).n + 1
    const at = new Date(app.anchor.getTime() + 3_600_000).toISOString()
    db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) SELECT 'e2e-order', school_id, guardian_id, 'kiosk', ? FROM orders WHERE id = ?`).run(at, order.id)
    db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES ('e2e-payment', ?, 'e2e-order', 'demo', 'demo_pi_never_taken', 'visa', '4242', 1234, 'kiosk', ?, ?)`,
    ).run(order.school_id, receipt, at)

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Rapports' }).click()
    await page.getByRole('heading', { level: 1, name: 'Rapports' }).waitFor()
    const section = page.getByRole('region', { name: 'Rapprochement des dépôts' })
    await section.getByLabel('Du', { exact: true }).fill(addDays(anchorDay, -11))
    await section.getByLabel('Au', { exact: true }).fill(anchorDay)
    await section.getByRole('button', { name: 'Rapprocher' }).click()
    await section.getByRole('status').filter({ hasText: '1 écart' }).waitFor()
    const differences = section.getByRole('list', { name: 'Écarts à vérifier' }).getByRole('listitem')
    await expect(differences.count()).resolves.toBe(1)
    const text = (await differences.first().textContent())!.replace(/\s+/g, ' ')
    expect(text).toContain('Paiement jamais versé')
    expect(text).toContain(`Paiement de ${money(1234).replace(/\s/g, ' ')} au registre`)
    expect(text).toContain(`Reçu no ${receipt} — ${order.first_name} ${order.last_name}`)
    expect(text).toContain('Au registre, pas dans un dépôt')
    expect(await section.locator('.reconciliation-totals > div').filter({ has: page.locator('dt', { hasText: 'Écart non expliqué' }) }).locator('dd').textContent()).toBe(money(0))
    await expectAccessible(page, 'Rapprochement des dépôts, un écart')
  })
})
