import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, signIn, startApp, type App } from './harness'

/**
 * The office's first finished screen, driven as a secretary would: sign in, find a student by a
 * few letters typed without accents, open the family, switch the language, visit every screen.
 * Names come from the grid itself, never from knowledge of the demo generator.
 */

/** What the core's search folds: accents off, lower case, hyphens as spaces. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

async function heading1(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible' })
}

/** The grid's rows of students (its first row holds the column headers). */
const studentRows = (page: Page) => page.getByRole('grid').getByRole('row').filter({ has: page.getByRole('gridcell') })

/** The students on screen (the grid is virtualized: the rows in view and a few more), read by column name. */
async function visibleStudents(page: Page): Promise<Array<{ last: string; first: string; rowIndex: string }>> {
  const headers = await page.getByRole('grid').getByRole('columnheader').allTextContents()
  const [last, first] = [headers.indexOf('Nom'), headers.indexOf('Prénom')]
  expect(Math.min(last, first), `the columns Nom and Prénom among ${headers.join(', ')}`).toBeGreaterThanOrEqual(0)
  return studentRows(page).evaluateAll(
    (rows, at) =>
      rows.map((row) => {
        const cells = row.querySelectorAll('[role="gridcell"]')
        return { last: cells[at.last]?.textContent?.trim() ?? '', first: cells[at.first]?.textContent?.trim() ?? '', rowIndex: row.getAttribute('aria-rowindex') ?? '' }
      }),
    { last, first },
  )
}

/** The grid's count (« 1–50 de 412 élèves »), once there is one. */
const countStatus = (page: Page) => page.getByRole('status').filter({ hasText: / de \d[\d\s]* élèves?$/ })

async function resultCount(page: Page): Promise<string> {
  return (await countStatus(page).textContent())?.trim() ?? ''
}

/** A student's row in the grid, found by the names in its cells. */
const rowOf = (page: Page, s: { last: string; first: string }) =>
  studentRows(page)
    .filter({ has: page.getByRole('gridcell', { name: s.last, exact: true }) })
    .filter({ has: page.getByRole('gridcell', { name: s.first, exact: true }) })

const hasFocus = (row: ReturnType<typeof rowOf>) => row.evaluate((el) => el === document.activeElement)

const NAV_FR = [
  'Tableau de bord',
  'Catalogue',
  'Sorties',
  'Commandes',
  'Élèves et familles',
  'Rapports',
  'Kiosque',
  'Synchronisation',
  'Paramètres',
  // A secretary's own account; the Journal and Comptes are the principal's and the admin's.
  'Mon compte',
]

describe('Élèves et familles (browser mode, demo board)', () => {
  let app: App
  let page: Page

  beforeAll(async () => {
    app = await startApp()
    page = app.page
  })

  afterAll(async () => {
    await app?.close()
  })

  it('shows an accessible sign-in screen, in French, without the access key left in the address', async () => {
    await heading1(page, 'Connexion')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr-CA')
    expect(page.url()).not.toContain('key=')
    await page.getByText('Données de démonstration').first().waitFor()
    await expectAccessible(page, 'sign-in screen')
  })

  it('explains a wrong password with the core’s message, then signs in on the dashboard', async () => {
    await signIn(page, 'secretaire', 'pas-le-bon')
    await page.getByRole('alert').filter({ hasText: /incorrect/ }).waitFor()
    await expectAccessible(page, 'sign-in screen with an error')

    await signIn(page)
    // The day starts on the dashboard; the students are one link away.
    await heading1(page, 'Tableau de bord')
    expect(page.url()).toMatch(/#\/tableau-de-bord$/)
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Élèves et familles' }).click()
    await heading1(page, 'Élèves et familles')
    await countStatus(page).filter({ hasText: /^1–50 de \d/ }).waitFor()
    expect(page.url()).toMatch(/#\/eleves$/)
    const nav = page.getByRole('navigation', { name: 'Navigation principale' })
    expect(await nav.getByRole('link', { name: 'Élèves et familles' }).getAttribute('aria-current')).toBe('page')
    expect(await nav.getByRole('link', { name: 'Tableau de bord' }).getAttribute('aria-current')).toBeNull()
    await expectAccessible(page, 'students screen')
  })

  it('sorts by a column header and pages through the results', async () => {
    const firstName = page.getByRole('columnheader', { name: 'Prénom' })
    await firstName.getByRole('button').click()
    await expect.poll(() => firstName.getAttribute('aria-sort'), { timeout: 10_000 }).toBe('ascending')
    expect(await page.getByRole('columnheader', { name: 'Nom', exact: true }).getAttribute('aria-sort')).toBeNull()
    const firsts = (await visibleStudents(page)).map((s) => s.first).slice(0, 10)
    expect(firsts.length).toBeGreaterThan(1)

    // Keyboard: the sort buttons are buttons; Enter on "Nom" sorts by last name again.
    await page.getByRole('columnheader', { name: 'Nom', exact: true }).getByRole('button').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('columnheader', { name: 'Nom', exact: true }).getAttribute('aria-sort'), { timeout: 10_000 }).toBe('ascending')

    await page.getByRole('button', { name: 'Page suivante' }).click()
    await countStatus(page).filter({ hasText: /^51–100 de / }).waitFor()
    expect(await studentRows(page).first().getAttribute('aria-rowindex')).toBe('52')
    await page.getByRole('button', { name: 'Page précédente' }).click()
    await countStatus(page).filter({ hasText: /^1–50 de / }).waitFor()
  })

  it('finds a student from a few letters typed without accents, and opens the family with the keyboard', async () => {
    // A real student from the grid, one with an accent in the letters that will be typed.
    const accented = (text: string) => /\p{M}/u.test(text.normalize('NFD'))
    const typedPart = (name: string, letters: number) => (name.split(/[\s-]/)[0] ?? '').slice(0, letters)
    let pick: { last: string; first: string } | undefined
    for (let pageNo = 0; pageNo < 8 && !pick; pageNo++) {
      const students = (await visibleStudents(page)).filter((s) => s.last && s.first)
      pick = students.find((s) => accented(typedPart(s.last, 4)) || accented(typedPart(s.first, 3)))
      if (!pick && pageNo === 7) pick = students.find((s) => accented(s.last + s.first)) ?? students[0]
      if (!pick) {
        const count = await resultCount(page)
        await page.getByRole('button', { name: 'Page suivante' }).click()
        await expect.poll(() => resultCount(page), { timeout: 10_000 }).not.toBe(count)
      }
    }
    expect(pick, 'a student in the grid').toBeDefined()
    const student = pick as { last: string; first: string }
    const lastWord = fold(student.last).split(' ')[0] as string
    const firstWord = fold(student.first).split(' ')[0] as string
    const typed = `${lastWord.slice(0, 4)} ${firstWord.slice(0, 3)}`

    const search = page.getByLabel('Rechercher un élève')
    await search.click()
    await page.keyboard.type(typed, { delay: 40 })
    // Back on page 1 with a count; every row shown matches both words typed, the student among them.
    await countStatus(page).filter({ hasText: /^1–\d+ de \d+ élèves?$/ }).waitFor()
    const terms = typed.split(' ')
    const matchesAll = (r: { last: string; first: string }) => terms.every((term) => ` ${fold(`${r.first} ${r.last}`)}`.includes(` ${term}`))
    const settled = (rows: Array<{ last: string; first: string }>) =>
      rows.length > 0 && rows.every(matchesAll) && rows.some((r) => r.last === student.last && r.first === student.first)
    await expect.poll(async () => settled(await visibleStudents(page)), { timeout: 10_000 }).toBe(true)
    const matches = await visibleStudents(page)
    await expectAccessible(page, 'students screen, searched')

    // Tab from the search reaches the grid's rows after the filters; arrows move, Enter opens.
    const rowIndex = matches.findIndex((s) => s.last === student.last && s.first === student.first)
    await studentRows(page).first().focus()
    for (let i = 0; i < rowIndex; i++) await page.keyboard.press('ArrowDown')
    await expect.poll(() => hasFocus(rowOf(page, student)), { timeout: 10_000 }).toBe(true)
    await page.keyboard.press('Enter')

    const dialog = page.getByRole('dialog', { name: new RegExp(`^Famille d(e |’)${student.first} ${student.last}$`) })
    await dialog.waitFor()
    await dialog.getByRole('heading', { level: 3, name: /^Parents et tuteurs \(\d+\)$/ }).waitFor()
    await dialog.getByRole('heading', { level: 3, name: /^Enfants? \(\d+\)$/ }).waitFor()

    // The guardians, with a way to reach them.
    const guardians = dialog.getByRole('region', { name: /^Parents et tuteurs/ }).getByRole('listitem')
    expect(await guardians.count()).toBeGreaterThan(0)
    const guardianText = await guardians.first().textContent()
    expect(guardianText).toMatch(/Lien/)
    expect(guardianText).toMatch(/Courriel/)
    expect(guardianText).toMatch(/(Mère|Père|Tuteur ou tutrice|Autre lien) d(e |’)/)

    // The children, the chosen one among them, with their items and amounts.
    const children = dialog.getByRole('region', { name: /^Enfants? \(\d+\)$/ }).getByRole('article')
    expect(await children.count()).toBeGreaterThan(0)
    const chosen = children.filter({ has: page.getByText('Élève choisi', { exact: true }) })
    expect(await chosen.getByRole('heading', { level: 4 }).textContent()).toBe(`${student.first} ${student.last}`)
    await dialog.getByRole('article', { name: `${student.first} ${student.last}`, exact: true }).getByText('Élève choisi', { exact: true }).waitFor()
    const itemTables = dialog.getByRole('table', { name: /^Articles d(e |’)/ })
    const itemRows = itemTables.getByRole('row').filter({ has: page.getByRole('rowheader') })
    expect(await itemRows.count()).toBeGreaterThan(0)
    const headers = await itemTables.first().getByRole('columnheader').allTextContents()
    expect(headers).toEqual(['Article', 'Type', 'Échéance', 'Commandé', 'Payé', 'Remboursé', 'Exempté', 'Autorisation'])
    expect(await itemRows.first().textContent()).toMatch(/\d+,\d{2}\s\$/)
    // The family's history: every payment its guardians made, with their receipts.
    const history = dialog.getByRole('region', { name: 'Historique de la famille' })
    await history.waitFor()
    await expect.poll(() => history.getByRole('status').count(), { timeout: 10_000 }).toBe(0)
    const payments = await history.getByRole('row').filter({ hasText: 'Paiement' }).count()
    const raw = app.core.connection.raw
    const ids = raw.prepare(`SELECT id FROM students WHERE first_name = ? AND last_name = ?`).pluck().all(student.first, student.last)
    expect(ids).toHaveLength(1)
    const paid = raw
      .prepare(`SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.guardian_id IN (SELECT guardian_id FROM student_guardians WHERE student_id = ?)`)
      .pluck()
      .get(ids[0])
    expect(payments).toBe(paid)
    await expectAccessible(page, 'family panel')

    // Escape closes it and gives the focus back to the student's row.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => hasFocus(rowOf(page, student)), { timeout: 10_000 }).toBe(true)
  })

  it('switches to English, and keeps the choice for the next sign-in', async () => {
    await page.getByRole('group', { name: 'Langue de l’interface' }).getByRole('button', { name: 'English' }).click()
    await heading1(page, 'Students and families')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-CA')
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).waitFor()
    await page.getByLabel('Search for a student').waitFor()
    await expectAccessible(page, 'students screen in English')

    await page.getByRole('button', { name: 'Sign out' }).click()
    // Before anyone signs in, the office PC speaks French.
    await heading1(page, 'Connexion')
    await signIn(page)
    // A new sign-in starts on the dashboard, in the language kept for this staff member.
    await heading1(page, 'Dashboard')
    await page.getByText('Demonstration data').first().waitFor()

    // And back to French, from Settings this time.
    await page.getByRole('link', { name: 'Settings' }).click()
    await heading1(page, 'Settings')
    await page.getByRole('radio', { name: 'Français' }).check()
    await heading1(page, 'Paramètres')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr-CA')
  })

  it('visits every screen of the navigation, each with a heading, in words, and accessible', async () => {
    // Every screen of the navigation is built; each has its own tests besides this walk.
    const nav = page.getByRole('navigation', { name: 'Navigation principale' })
    expect(await nav.getByRole('link').allTextContents()).toEqual(NAV_FR)
    for (const name of NAV_FR) {
      await nav.getByRole('link', { name }).click()
      await heading1(page, name)
      expect(await nav.getByRole('link', { name }).getAttribute('aria-current')).toBe('page')
      expect(await nav.getByRole('link').evaluateAll((links) => links.filter((a) => a.getAttribute('aria-current') === 'page').length)).toBe(1)
      expect(await page.title()).toBe(`${name} — Guichet`)
      // Moving to a screen puts the focus on its heading.
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
      await expectAccessible(page, `screen ${name}`)
    }
    // Paramètres: who is signed in, and what runs.
    const main = page.getByRole('main')
    await nav.getByRole('link', { name: 'Paramètres' }).click()
    await heading1(page, 'Paramètres')
    await main.getByText('Secrétaire').waitFor()
    await main.getByText('e2e', { exact: true }).waitFor()
    await main.getByText('Données de démonstration').waitFor()
  })

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    await heading1(page, 'Connexion')
    expect(await page.getByRole('navigation').count()).toBe(0)
    await expectAccessible(page, 'sign-in screen after signing out')
  })
})
