import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDateOf } from '../../src/core/domain/catalogue/dates'
import { LedgerModel, type Line } from '../support/ledger-model'
import { expectAccessible, signIn, startApp, type App } from './harness'

/**
 * The Tableau de bord, driven as the secretary who starts her day on it: it is the home screen,
 * each tile shows the figure of the screen it leads to (today's deliveries against Rapports,
 * refunds against Commandes, outings against Sorties), in French and in English.
 *
 * The app's clock starts at the harness's anchor, the day the demo board was made around. The
 * test writes what "today" needs the way sync would: a program date today with paid orders (one
 * line refunded), a pending refund and a failed one.
 */

let app: App
let page: Page
const db = () => app.core.connection.raw
/** Today in the board's time zone, as the core sees it (set once the app has started). */
let today = ''
const money = (cents: number, locale = 'fr-CA') => new Intl.NumberFormat(locale, { style: 'currency', currency: 'CAD' }).format(cents / 100)
const spaces = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim()

let programDateId = ''
let pizza = { id: '', school_id: '', title_fr: '', school_name: '' }
const refunded = { pending: [] as Array<{ family: string; cents: number }>, failed: [] as Array<{ family: string; cents: number }> }

/** A paid order of one line, written as sync writes what a parent bought online. */
function paidOrder(studentId: string, guardianId: string, quantity: number): { lineId: string; paymentId: string; cents: number } {
  const order = randomUUID()
  const payment = randomUUID()
  const lineId = randomUUID()
  const at = new Date(app.now() - 3 * 86_400_000).toISOString()
  const variant = db().prepare('SELECT id, price_cents FROM offering_variants WHERE offering_id = ? ORDER BY sort LIMIT 1').get(pizza.id) as { id: string; price_cents: number }
  const cents = variant.price_cents * quantity
  db().prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(order, pizza.school_id, guardianId, at)
  db()
    .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, program_date_id, variant_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(lineId, order, studentId, pizza.id, programDateId, variant.id, quantity, variant.price_cents, cents)
  const receipt = (db().prepare('SELECT coalesce(max(receipt_number), 0) + 1 AS n FROM payments WHERE school_id = ?').get(pizza.school_id) as { n: number }).n
  db()
    .prepare(
      `INSERT INTO payments (id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES (?, ?, ?, ?, 'board', ?, 'visa', '4242', ?, 'online', ?, ?)`,
    )
    .run(payment, `board-${payment}`, pizza.school_id, order, `pi_${payment}`, cents, receipt, at)
  return { lineId, paymentId: payment, cents }
}

function refund(line: { lineId: string; paymentId: string; cents: number }, status: 'pending' | 'failed'): void {
  const id = randomUUID()
  db()
    .prepare(
      `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, failure_message, requested_at, settled_at)
       VALUES (?, ?, ?, ?, 'Journée pédagogique', ?, ?, ?, ?, ?)`,
    )
    .run(id, line.paymentId, line.lineId, line.cents, status, `e2e-${id}`, status === 'failed' ? 'expired_or_canceled_card' : null, new Date(app.now()).toISOString(), status === 'failed' ? new Date(app.now()).toISOString() : null)
}

/** Portions of today's pizza, from the ledger model: the held lines. */
function ledgerPortions(): number {
  const lines = db().prepare('SELECT id, order_id, amount_cents, quantity FROM order_lines WHERE program_date_id = ?').all(programDateId) as Line[]
  return new LedgerModel(db()).heldQuantity(lines)
}

/** Back to the dashboard by the navigation, once its heading is there. */
async function home(): Promise<void> {
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tableau de bord' }).click()
  await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
}

function tile(name: string | RegExp): Locator {
  return page.getByRole('region', { name })
}

beforeAll(async () => {
  app = await startApp()
  page = app.page
  today = localDateOf(new Date(app.now()), 'America/Toronto')
  pizza = db()
    .prepare(`SELECT o.id, o.school_id, o.title_fr, sc.name AS school_name FROM offerings o JOIN schools sc ON sc.id = o.school_id WHERE o.title_fr LIKE 'Pizza%' ORDER BY sc.name LIMIT 1`)
    .get() as typeof pizza
  const existing = db().prepare('SELECT id FROM program_dates WHERE offering_id = ? AND date = ?').get(pizza.id, today) as { id: string } | undefined
  programDateId = existing?.id ?? randomUUID()
  if (!existing) {
    db().prepare(`INSERT INTO program_dates (id, offering_id, date, cutoff_at, supplier) VALUES (?, ?, ?, ?, 'Pizzeria du coin')`).run(programDateId, pizza.id, today, new Date(app.now() - 86_400_000).toISOString())
  }
  const families = db()
    .prepare(
      `SELECT s.id AS student_id, g.id AS guardian_id, g.first_name || ' ' || g.last_name AS family FROM students s JOIN student_guardians sg ON sg.student_id = s.id JOIN guardians g ON g.id = sg.guardian_id
       WHERE s.school_id = ? AND s.status = 'active' GROUP BY s.id ORDER BY s.id LIMIT 5`,
    )
    .all(pizza.school_id) as Array<{ student_id: string; guardian_id: string; family: string }>
  const lines = families.map((f, i) => ({ ...paidOrder(f.student_id, f.guardian_id, i + 1), family: f.family }))
  refund(lines[0]!, 'pending')
  refund(lines[1]!, 'pending')
  refund(lines[2]!, 'failed')
  refunded.pending.push({ family: lines[0]!.family, cents: lines[0]!.cents }, { family: lines[1]!.family, cents: lines[1]!.cents })
  refunded.failed.push({ family: lines[2]!.family, cents: lines[2]!.cents })
  await signIn(page)
})
afterAll(() => app?.close())

describe('Tableau de bord (browser mode, demo board)', () => {
  it('is the home screen after signing in, accessible, every tile a region with its heading', async () => {
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
    expect(page.url()).toMatch(/#\/tableau-de-bord$/)
    expect(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tableau de bord' }).getAttribute('aria-current')).toBe('page')
    for (const name of ['Livraisons d’aujourd’hui', /^Échéances/, 'Sorties à venir', 'Remboursements à suivre', 'Synchronisation']) {
      await tile(name).getByRole('heading', { level: 2 }).waitFor()
      // Each tile leads to its detail by a link that says where.
      expect(await tile(name).getByRole('link', { name: /^Voir / }).count()).toBe(1)
    }
    await expectAccessible(page, 'Tableau de bord')
  })

  it('shows today’s portions of the pizza as the ledger and the Rapports screen count them', async () => {
    const portions = ledgerPortions()
    expect(portions).toBeGreaterThan(0)
    const deliveries = tile('Livraisons d’aujourd’hui')
    const item = deliveries.getByRole('listitem').filter({ hasText: pizza.title_fr }).filter({ hasText: pizza.school_name })
    expect(spaces(await item.getByText(/^[\d\s]+ portions?$/).textContent())).toBe(spaces(`${portions.toLocaleString('fr-CA')} portions`))

    // The tile's link, by keyboard, opens Rapports: today's row says the same.
    await deliveries.getByRole('link', { name: 'Voir les bons de commande' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Rapports' }).waitFor()
    const sheets = page.getByRole('region', { name: 'Bons de commande et listes de distribution' })
    // Today, in the board's zone (the browser running the test may be in another).
    await sheets.getByLabel('Du', { exact: true }).fill(today)
    await sheets.getByLabel('Au', { exact: true }).fill(today)
    const shortDate = new Intl.DateTimeFormat('fr-CA', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${today}T12:00:00Z`))
    const row = sheets.getByRole('row').filter({ hasText: pizza.title_fr }).filter({ hasText: pizza.school_name }).filter({ hasText: shortDate })
    await row.waitFor()
    const cells = await row.getByRole('cell').allTextContents()
    expect(cells[0]).toBe(shortDate)
    expect(Number(cells[4])).toBe(portions)
  })

  it('shows the refunds pending and failed that Commandes shows', async () => {
    await home()
    const refunds = tile('Remboursements à suivre')
    // Pending refunds, and failed ones waiting for the office (not settled, not of a voided payment).
    const model = new LedgerModel(db())
    const tally = (rs: ReadonlyArray<{ amount_cents: number }>) => ({ n: rs.length, c: rs.reduce((s, r) => s + r.amount_cents, 0) })
    const refundRows = db().prepare('SELECT id, status, amount_cents FROM refunds').all() as Array<{ id: string; status: 'pending' | 'succeeded' | 'failed'; amount_cents: number }>
    const counted = { pending: tally(refundRows.filter((r) => model.status(r) === 'pending')), failed: tally(model.failedWaiting()) }
    const of = (status: 'pending' | 'failed') => counted[status]
    expect(of('pending').n).toBeGreaterThanOrEqual(2)
    const figure = (n: number, c: number) => `${n} ${n > 1 ? 'remboursements' : 'remboursement'} · ${money(c)}`
    await refunds.getByText(figure(of('pending').n, of('pending').c)).waitFor()
    await refunds.getByText(figure(of('failed').n, of('failed').c)).waitFor()

    await refunds.getByRole('link', { name: 'Voir les commandes' }).click()
    await page.getByRole('heading', { level: 1, name: 'Commandes' }).waitFor()
    // The failed refunds waiting for the office, listed with their count.
    const failedHeading = page.getByRole('heading', { level: 2, name: /en échec/i })
    await failedHeading.waitFor()
    expect(spaces(await failedHeading.textContent())).toContain(`(${of('failed').n})`)
    // Each family with a pending refund shows it on its order.
    for (const p of refunded.pending) {
      await page.getByLabel('Rechercher une famille ou un élève').fill(p.family)
      await page.getByRole('row').filter({ hasText: p.family }).filter({ hasText: `dont ${money(p.cents)} en cours` }).first().waitFor()
    }
  })

  it('shows each outing’s confirmed seats against capacity as the Sorties screen does', async () => {
    await home()
    const outings = tile('Sorties à venir')
    await outings.getByRole('heading', { level: 2 }).waitFor()
    const schools = (db().prepare('SELECT name FROM schools').all() as Array<{ name: string }>).map((s) => s.name)
    const shown: Array<{ title: string; school: string; figure: string }> = []
    for (const li of await outings.getByRole('listitem').all()) {
      const text = (await li.textContent()) ?? ''
      const gauge = (await li.getByText(/^Places confirmées : /).textContent()) ?? ''
      shown.push({ title: (await li.getByRole('link').textContent()) ?? '', school: schools.find((s) => text.includes(s))!, figure: gauge.replace(/^Places confirmées : /, '') })
    }
    const upcoming = db().prepare(`SELECT count(*) AS n FROM outings t JOIN offerings o ON o.id = t.offering_id WHERE o.status IN ('published', 'closed') AND t.ends_on >= ?`).get(today) as { n: number }
    expect(shown).toHaveLength(upcoming.n)
    expect(upcoming.n, 'the demo board has outings to come').toBeGreaterThan(0)
    await outings.getByRole('link', { name: 'Voir les sorties' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sorties' }).waitFor()
    const cards = page.getByRole('main').getByRole('listitem')
    await cards.first().waitFor()
    for (const o of shown) {
      const card = cards.filter({ has: page.getByRole('link', { name: o.title, exact: true }) }).filter({ hasText: o.school })
      expect(await card.count(), `${o.title}, ${o.school}`).toBe(1)
      // The seats' figure as the card says it (« 86 sur 96 »), whatever the spaces.
      const figure = new RegExp(`^${spaces(o.figure).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s')}$`)
      await card.getByText(figure).first().waitFor()
    }
  })

  it('reads in English, numbers and money formatted for the language', async () => {
    await home()
    await page.getByRole('group', { name: 'Langue de l’interface' }).getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    const pending = refunded.pending.reduce((c, p) => c + p.cents, 0)
    const ledger = db().prepare(`SELECT count(*) AS n, sum(amount_cents) AS c FROM refund_states WHERE status = 'pending'`).get() as { n: number; c: number }
    expect(ledger.c).toBeGreaterThanOrEqual(pending)
    await tile('Refunds to follow').getByText(`${ledger.n} refunds · ${money(ledger.c, 'en-CA')}`).waitFor()
    await tile('Today’s deliveries').getByRole('link', { name: 'Open the order sheets' }).waitFor()
    await expectAccessible(page, 'Dashboard in English')
    // Back to French for whoever signs in next.
    await page.getByRole('group', { name: 'Interface language' }).getByRole('button', { name: 'Français' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
  })

  it('exports the call list and a filtered grid as workbooks', async () => {
    const nav = page.getByRole('navigation', { name: 'Navigation principale' })
    await nav.getByRole('link', { name: 'Rapports' }).click()
    const calls = page.getByRole('region', { name: 'Liste d’appels' })
    // The count is one status of the region (printing has its own).
    const callCount = calls.getByRole('status').filter({ hasText: /familles? à appeler/ })
    await callCount.waitFor()
    // One item: the families who have not answered the popcorn sale of the first school.
    const before = await callCount.textContent()
    const option = (await calls.getByLabel('Article').locator('option').allTextContents()).find((o) => o.includes('maïs soufflé'))!
    await calls.getByLabel('Article').selectOption({ label: option })
    await calls.getByRole('status').filter({ hasNotText: before ?? '' }).filter({ hasText: /à appeler/ }).waitFor()
    await calls.getByRole('button', { name: 'Afficher la liste' }).click()
    await calls.getByRole('table').waitFor()
    await expectAccessible(page, 'Rapports with the call list')
    const [callFile] = await Promise.all([page.waitForEvent('download'), calls.getByRole('button', { name: 'Exporter en Excel' }).click()])
    expect(callFile.suggestedFilename()).toBe(`appels-${today}.xlsx`)
    const families = (await calls.getByRole('table').getByRole('row').count()) - 1
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await callFile.path())!)
    const names = new Set<string>()
    // A family: its name, phone and email (two guardians may share a name).
    wb.worksheets[0]!.eachRow((row, n) => n > 1 && row.getCell(1).value && names.add([1, 2, 4].map((c) => String(row.getCell(c).value)).join('|')))
    expect(names.size).toBe(families)

    await nav.getByRole('link', { name: 'Commandes' }).click()
    const unfiltered = page.getByRole('status').filter({ hasText: / de [\d\s]+ commandes?/ })
    await unfiltered.waitFor()
    const all = (await unfiltered.textContent()) ?? ''
    await page.getByLabel('Canal').selectOption('kiosk')
    const count = page.getByRole('status').filter({ hasText: / de [\d\s]+ commandes?/ }).filter({ hasNotText: all })
    await count.waitFor()
    const total = Number(/ de ([\d\s\u202f]+) commande/.exec((await count.textContent()) ?? '')![1]!.replace(/\D/g, ''))
    const [orders] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en Excel' }).click()])
    const ow = new ExcelJS.Workbook()
    await ow.xlsx.readFile((await orders.path())!)
    const sheet = ow.worksheets[0]!
    expect(sheet.rowCount).toBe(total + 1)
    for (let r = 2; r <= sheet.rowCount; r++) expect(sheet.getRow(r).getCell(7).value).toBe('Kiosque')
  })

  it('narrows the figures to one school', async () => {
    await home()
    const other = db().prepare('SELECT id, name FROM schools WHERE id <> ? ORDER BY name LIMIT 1').get(pizza.school_id) as { id: string; name: string }
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
    await page.getByRole('main').getByLabel('École', { exact: true }).selectOption({ label: other.name })
    const dates = db()
      .prepare(`SELECT count(*) AS n FROM program_dates d JOIN offerings o ON o.id = d.offering_id WHERE d.date = ? AND o.school_id = ? AND o.status <> 'draft'`)
      .get(today, other.id) as { n: number }
    const deliveries = tile('Livraisons d’aujourd’hui')
    if (dates.n === 0) await deliveries.getByText('Aucune livraison aujourd’hui.').waitFor()
    else await expect.poll(() => deliveries.getByRole('listitem').count(), { timeout: 10_000 }).toBe(dates.n)
    // The refunds written above are all at the first school.
    await tile('Remboursements à suivre').getByText(`Aucun · ${money(0)}`).first().waitFor()
    await expectAccessible(page, 'Tableau de bord, one school')
  })
})
