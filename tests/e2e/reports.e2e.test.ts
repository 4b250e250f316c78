import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, isoWeekday, localDateOf } from '../../src/core/domain/catalogue/dates'
import { pdfPages } from '../support/pdf-text'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App

beforeAll(async () => {
  app = await startApp()
  await signIn(app.page)
  await app.page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
})
afterAll(() => app?.close())

describe('Rapports', () => {
  it('prints a Friday’s pizza order sheet whose total is the ledger’s', async () => {
    const { page } = app
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Rapports' }).click()
    await page.getByRole('heading', { level: 1, name: 'Rapports' }).waitFor()
    const sheets = page.getByRole('region', { name: 'Bons de commande et listes de distribution' })
    // Last week, Monday to Friday.
    const today = localDateOf(new Date(app.now()), 'America/Toronto')
    const friday = addDays(today, -((isoWeekday(today) + 2) % 7) - 7)
    await sheets.getByLabel('Du', { exact: true }).fill(addDays(friday, -4))
    await sheets.getByLabel('Au', { exact: true }).fill(friday)
    await sheets.getByRole('status').filter({ hasText: /dates? dans la période/ }).waitFor()
    const row = sheets.getByRole('row').filter({ hasText: 'Pizza' }).first()
    await row.waitFor()
    await expectAccessible(page, 'Rapports')

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Bon \(PDF\)/ }).click()])
    expect(download.suggestedFilename()).toBe(`commande-${friday}.pdf`)
    const text = (await pdfPages(await readFile((await download.path())!)))[0]!.replace(/\s+/g, ' ')
    const ledger = app.core.connection.raw
      .prepare(
        `SELECT coalesce(sum(l.quantity), 0) AS n FROM order_lines l JOIN program_dates d ON d.id = l.program_date_id JOIN offerings o ON o.id = d.offering_id
         WHERE d.date = ? AND o.title_fr LIKE 'Pizza%' AND o.school_id = (SELECT id FROM schools WHERE name = ?)
           AND l.order_id IN (SELECT order_id FROM payments)
           AND l.amount_cents > (SELECT coalesce(sum(amount_cents), 0) FROM refunds r WHERE r.order_line_id = l.id AND r.status IN ('succeeded', 'pending'))`,
      )
      .get(friday, await row.getByRole('cell').nth(2).textContent()) as { n: number }
    expect(ledger.n).toBeGreaterThan(0)
    expect(text).toContain(`Total à commander : ${ledger.n} / Total to order: ${ledger.n}`)
  })

  it('shows the year’s money and exports it as a workbook', async () => {
    const { page } = app
    const money = page.getByRole('region', { name: 'Rapport financier' })
    // The school year so far: from the August before today.
    const today = localDateOf(new Date(app.now()), 'America/Toronto')
    const year = Number(today.slice(0, 4)) - (today.slice(5, 7) < '08' ? 1 : 0)
    await money.getByLabel('Du', { exact: true }).fill(`${year}-08-01`)
    await money.getByLabel('Au', { exact: true }).fill(today)
    await money.getByRole('button', { name: 'Afficher' }).click()
    const paid = app.core.connection.raw.prepare('SELECT sum(amount_cents) AS c FROM payments').get() as { c: number }
    const shown = new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'CAD' }).format(paid.c / 100)
    await money.locator('dd').filter({ hasText: shown }).first().waitFor()
    await expectAccessible(page, 'Rapport financier')
    const [download] = await Promise.all([page.waitForEvent('download'), money.getByRole('button', { name: 'Exporter en Excel' }).click()])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await download.path())!)
    const totals = wb.worksheets[0]!.getRow(wb.worksheets[0]!.rowCount)
    expect(Math.round(((totals.getCell(3).value as ExcelJS.CellFormulaValue).result as number) * 100)).toBe(paid.c)
  })
})

describe('Commandes', () => {
  it('finds a family’s orders, shows the filter’s totals, and reprints a receipt', async () => {
    const { page } = app
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Commandes' }).click()
    await page.getByRole('heading', { level: 1, name: 'Commandes' }).waitFor()
    const all = app.core.connection.raw.prepare('SELECT count(*) AS n, sum(amount_cents) AS c FROM payments').get() as { n: number; c: number }
    await page.getByRole('status').filter({ hasText: `de ${all.n.toLocaleString('fr-CA')} commandes` }).waitFor()
    await expectAccessible(page, 'Commandes')

    const family = app.core.connection.raw
      .prepare(`SELECT g.first_name, g.last_name, p.receipt_number FROM payments p JOIN orders o ON o.id = p.order_id JOIN guardians g ON g.id = o.guardian_id ORDER BY p.created_at DESC LIMIT 1`)
      .get() as { first_name: string; last_name: string; receipt_number: number }
    await page.getByLabel('Rechercher une famille ou un élève').fill(`${family.last_name} ${family.first_name}`)
    const receipt = page.getByRole('button', { name: `Imprimer le reçu no ${family.receipt_number} de ${family.first_name} ${family.last_name}` })
    await receipt.waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), receipt.click()])
    const text = (await pdfPages(await readFile((await download.path())!)))[0]!.replace(/\s+/g, ' ')
    expect(text).toContain(`Reçu no ${family.receipt_number} / Receipt no. ${family.receipt_number}`)
    expect(text).toContain(`${family.first_name} ${family.last_name}`)
  })
})
