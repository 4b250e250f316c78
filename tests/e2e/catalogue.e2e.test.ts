import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, isoWeekday, localDateOf } from '../../src/core/domain/catalogue/dates'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App
const TITLE = 'Pizza du vendredi — hiver et printemps'

beforeAll(async () => {
  app = await startApp()
  await signIn(app.page)
  await app.page.getByRole('heading', { level: 1 }).waitFor()
})
afterAll(() => app?.close())

function db() {
  return app.core.connection.raw
}

async function checker(page: Page) {
  return page.getByRole('complementary', { name: 'Vérification avant publication' })
}

describe('Catalogue', () => {
  it('builds a pizza program of Fridays from December to June, fixes what the checker says, publishes it, and finds its dates in the calendar', async () => {
    const { page } = app
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Catalogue' }).click()
    await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor()
    await page.getByRole('table').getByRole('row').nth(1).waitFor()
    await expectAccessible(page, 'Catalogue list')

    await page.getByLabel('Type d’article').selectOption({ label: 'Programme' })
    await page.getByRole('button', { name: 'Nouvel article' }).click()
    await page.getByRole('heading', { level: 1, name: 'Programme sans titre' }).waitFor()
    const school = await page.getByLabel('École', { exact: true }).inputValue()

    // An empty form: the checker blocks, and says why in French.
    const panel = await checker(page)
    await panel.getByText('Le titre en français est obligatoire.', { exact: false }).or(panel.getByRole('button').first()).first().waitFor()
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/corriger/)

    await page.getByLabel('Titre en français').fill(TITLE)
    await page.getByLabel('Description en français').fill('Une pointe de pizza livrée en classe chaque vendredi midi.')
    await page.getByLabel('Description en anglais').fill('A slice of pizza delivered to the classroom every Friday at lunch.')
    await page.getByRole('group', { name: 'Années' }).getByLabel('1re année').check()
    await page.getByRole('group', { name: 'Années' }).getByLabel('2e année').check()
    await page.getByRole('group', { name: 'Années' }).getByLabel('3e année').check()
    const eligible = db()
      .prepare(`SELECT count(*) AS n FROM students WHERE school_id = ? AND status = 'active' AND grade IN ('1', '2', '3')`)
      .get(school) as { n: number }
    expect(eligible.n).toBeGreaterThan(20)
    await page.getByText(`${eligible.n} élèves admissibles`).waitFor()

    for (const [i, fr, price] of [
      [1, 'Fromage', '3,00'],
      [2, 'Pepperoni', '3,50'],
      [3, 'Végétarienne', '3,25'],
    ] as const) {
      await page.getByRole('button', { name: 'Ajouter une variante' }).click()
      await page.getByLabel(`Variante ${i} : nom en français`).fill(fr)
      await page.getByLabel(`Variante ${i} : prix`).fill(price)
    }

    // From the first of the month after the app's today to the last day of the school year.
    const today = localDateOf(new Date(app.now()), 'America/Toronto')
    const from = `${addDays(`${today.slice(0, 7)}-01`, 40).slice(0, 7)}-01`
    const year = db().prepare(`SELECT ends_on FROM school_years WHERE school_id = ? AND starts_on <= ? ORDER BY ends_on DESC LIMIT 1`).get(school, today) as { ends_on: string }
    const to = year.ends_on
    await page.getByLabel('Du', { exact: true }).fill(from)
    await page.getByLabel('Au', { exact: true }).fill(to)
    await page.getByLabel('Fournisseur', { exact: true }).fill('Pizzeria Napoli')
    await page.getByRole('button', { name: 'Proposer les dates' }).click()

    // Every Friday of the period that is a school day; the PD days and holidays on a Friday are skipped.
    const fridays: string[] = []
    for (let d = addDays(from, (5 - isoWeekday(from) + 7) % 7); d <= to; d = addDays(d, 7)) fridays.push(d)
    const off = (
      db()
        .prepare(`SELECT date, kind FROM calendar_days WHERE school_id = ? AND date BETWEEN ? AND ?`)
        .all(school, from, to) as { date: string; kind: string }[]
    ).filter((d) => fridays.includes(d.date))
    const expected = fridays.filter((f) => !off.some((o) => o.date === f))
    expect(off.some((o) => o.kind === 'pd_day'), 'the demo calendar has a PD day on a Friday in the period').toBe(true)
    await page.getByText(`${expected.length} dates`, { exact: true }).waitFor()
    await page.getByText(/jours? sautés?/).click()
    await page.getByText(/ : journée pédagogique/).first().waitFor()

    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/#\/catalogue\/article\//)
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor()

    // What the checker still reports on the saved draft: the missing English, taken to its field.
    await expect.poll(async () => (await panel.getByRole('listitem').allTextContents()).join('\n')).toMatch(/anglais/)
    await expectAccessible(page, 'the item form')
    await panel.getByRole('button', { name: /titre.*anglais/i }).click()
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.field)).toBe('titleEn')
    await page.keyboard.type('Friday pizza — winter and spring')
    for (const [i, en] of [
      [1, 'Cheese'],
      [2, 'Pepperoni'],
      [3, 'Vegetarian'],
    ] as const)
      await page.getByLabel(`Variante ${i} : nom en anglais`).fill(en)
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/Aucune erreur|prêt à publier/)
    const errors = await panel.getByText('Erreur', { exact: true }).count()
    expect(errors).toBe(0)

    await page.getByRole('button', { name: 'Publier', exact: true }).click()
    const warnings = page.getByRole('dialog', { name: 'Publier malgré les avertissements?' })
    await Promise.race([
      page.getByText('Article publié', { exact: false }).waitFor(),
      warnings.waitFor().then(() => warnings.getByRole('button', { name: 'Publier quand même' }).click()),
    ])
    await page.locator('.editor-status').getByText('Publié', { exact: true }).waitFor()
    await page.locator('.editor-status').getByText('En attente d’envoi').waitFor()

    const row = db().prepare(`SELECT id, status FROM offerings WHERE title_fr = ?`).get(TITLE) as { id: string; status: string }
    expect(row.status).toBe('published')
    const dates = db().prepare(`SELECT date, supplier FROM program_dates WHERE offering_id = ? ORDER BY date`).all(row.id) as { date: string; supplier: string }[]
    expect(dates.map((d) => d.date)).toEqual(expected)
    expect(new Set(dates.map((d) => d.supplier))).toEqual(new Set(['Pizzeria Napoli']))
    expect((db().prepare(`SELECT count(*) AS n FROM offering_variants WHERE offering_id = ?`).get(row.id) as { n: number }).n).toBe(3)
    const outbox = db().prepare(`SELECT type, state FROM outbox WHERE entity_id = ? ORDER BY created_at`).all(row.id) as { type: string; state: string }[]
    expect(outbox.at(-1)).toMatchObject({ state: 'pending' })

    // The month calendar: the program on each of the month's school Fridays, not on a day off.
    await page.getByRole('link', { name: 'Catalogue' }).first().click()
    await page.getByRole('link', { name: 'Calendrier du mois' }).click()
    // The month two after the first (February, from December) has a PD day or a holiday on a Friday in the demo calendar.
    const month = addDays(`${addDays(from, 40).slice(0, 7)}-01`, 40).slice(0, 7)
    await page.getByLabel('Aller au mois').fill(month)
    const monthName = new Intl.DateTimeFormat('fr-CA', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`))
    await page.getByRole('heading', { level: 2, name: new RegExp(monthName, 'i') }).waitFor()
    const inMonth = expected.filter((d) => d.startsWith(month))
    expect(inMonth.length).toBeGreaterThan(0)
    for (const date of inMonth) await page.locator(`td[data-date="${date}"]`).getByRole('link', { name: TITLE }).waitFor()
    for (const o of off.filter((o) => o.date.startsWith(month))) expect(await page.locator(`td[data-date="${o.date}"]`).getByRole('link', { name: TITLE }).count()).toBe(0)
    await expectAccessible(page, 'the month calendar')
  })

  it('refuses bad input with the field’s message and saves nothing', async () => {
    const { page } = app
    const before = (db().prepare('SELECT count(*) AS n FROM offerings').get() as { n: number }).n
    await page.evaluate(() => (window.location.hash = '#/catalogue/nouveau/product'))
    await page.getByRole('heading', { level: 1, name: 'Produit sans titre' }).waitFor()
    await page.getByLabel('Titre en français').fill('Maïs soufflé')
    await page.getByLabel('Montant').fill('-2')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.getByRole('alert').filter({ hasText: /.+/ }).first().waitFor()
    await page.getByText(/négatif/).first().waitFor()
    expect((db().prepare('SELECT count(*) AS n FROM offerings').get() as { n: number }).n).toBe(before)
  })
})
