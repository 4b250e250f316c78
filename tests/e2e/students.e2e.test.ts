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

/** The students on screen (the grid is virtualized: the rows in view and a few more). */
async function visibleStudents(page: Page): Promise<Array<{ last: string; first: string; rowIndex: string }>> {
  return page.locator('table[role="grid"] tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td')
      return {
        last: cells[0]?.querySelector('.cell-strong')?.textContent?.trim() ?? '',
        first: cells[1]?.textContent?.trim() ?? '',
        rowIndex: row.getAttribute('aria-rowindex') ?? '',
      }
    }),
  )
}

async function resultCount(page: Page): Promise<string> {
  return (await page.locator('.result-count').textContent())?.trim() ?? ''
}

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
    const alert = page.locator('.form-error[role="alert"]')
    await alert.filter({ hasText: /incorrect/ }).waitFor()
    await expectAccessible(page, 'sign-in screen with an error')

    await signIn(page)
    // The day starts on the dashboard; the students are one link away.
    await heading1(page, 'Tableau de bord')
    expect(page.url()).toMatch(/#\/tableau-de-bord$/)
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Élèves et familles' }).click()
    await heading1(page, 'Élèves et familles')
    await page.locator('.result-count', { hasText: /^1–50 de \d/ }).waitFor()
    expect(page.url()).toMatch(/#\/eleves$/)
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Élèves et familles')
    await expectAccessible(page, 'students screen')
  })

  it('sorts by a column header and pages through the results', async () => {
    const firstName = page.getByRole('columnheader', { name: 'Prénom' })
    await firstName.getByRole('button').click()
    await page.waitForFunction(() => document.querySelector('th[aria-sort="ascending"]')?.textContent === 'Prénom')
    expect(await page.getByRole('columnheader', { name: 'Nom', exact: true }).getAttribute('aria-sort')).toBeNull()
    const firsts = (await visibleStudents(page)).map((s) => s.first).slice(0, 10)
    expect(firsts.length).toBeGreaterThan(1)

    // Keyboard: the sort buttons are buttons; Enter on "Nom" sorts by last name again.
    await page.getByRole('columnheader', { name: 'Nom', exact: true }).getByRole('button').focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelector('th[aria-sort="ascending"]')?.textContent === 'Nom')

    await page.getByRole('button', { name: 'Page suivante' }).click()
    await page.locator('.result-count', { hasText: /^51–100 de / }).waitFor()
    expect(await page.locator('table[role="grid"] tbody tr').first().getAttribute('aria-rowindex')).toBe('52')
    await page.getByRole('button', { name: 'Page précédente' }).click()
    await page.locator('.result-count', { hasText: /^1–50 de / }).waitFor()
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
        await page.waitForFunction((before) => document.querySelector('.result-count')?.textContent?.trim() !== before, count)
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
    await page.locator('.result-count', { hasText: /^1–\d+ de \d+ élèves?$/ }).waitFor()
    await page.waitForFunction(
      ({ student: { last, first }, terms }) => {
        const folded = (text: string) =>
          text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
        const rows = [...document.querySelectorAll('table[role="grid"] tbody tr')].map((row) => ({
          last: row.querySelector('td .cell-strong')?.textContent ?? '',
          first: row.querySelectorAll('td')[1]?.textContent ?? '',
        }))
        const matchesAll = (r: { last: string; first: string }) =>
          terms.every((term) => ` ${folded(`${r.first} ${r.last}`)}`.includes(` ${term}`))
        return rows.length > 0 && rows.every(matchesAll) && rows.some((r) => r.last === last && r.first === first)
      },
      { student, terms: typed.split(' ') },
    )
    const matches = await visibleStudents(page)
    await expectAccessible(page, 'students screen, searched')

    // Tab from the search reaches the grid's rows after the filters; arrows move, Enter opens.
    const rowIndex = matches.findIndex((s) => s.last === student.last && s.first === student.first)
    await page.locator('table[role="grid"] tbody tr').first().focus()
    for (let i = 0; i < rowIndex; i++) await page.keyboard.press('ArrowDown')
    const focusedRow = page.locator('table[role="grid"] tbody tr:focus')
    expect(await focusedRow.locator('td .cell-strong').textContent()).toBe(student.last)
    await page.keyboard.press('Enter')

    const dialog = page.getByRole('dialog', { name: new RegExp(`^Famille d(e |’)${student.first} ${student.last}$`) })
    await dialog.waitFor()
    await dialog.getByRole('heading', { level: 3, name: /^Parents et tuteurs \(\d+\)$/ }).waitFor()
    await dialog.getByRole('heading', { level: 3, name: /^Enfants? \(\d+\)$/ }).waitFor()

    // The guardians, with a way to reach them.
    const guardians = dialog.locator('.guardian')
    expect(await guardians.count()).toBeGreaterThan(0)
    const guardianText = await guardians.first().textContent()
    expect(guardianText).toMatch(/Lien/)
    expect(guardianText).toMatch(/Courriel/)
    expect(guardianText).toMatch(/(Mère|Père|Tuteur ou tutrice|Autre lien) d(e |’)/)

    // The children, the chosen one among them, with their items and amounts.
    const children = dialog.locator('article.child')
    expect(await children.count()).toBeGreaterThan(0)
    const chosen = dialog.locator('article.child-selected')
    expect(await chosen.getByRole('heading', { level: 4 }).textContent()).toBe(`${student.first} ${student.last}`)
    const itemRows = dialog.locator('table.items tbody tr')
    expect(await itemRows.count()).toBeGreaterThan(0)
    const headers = await dialog.locator('table.items').first().locator('thead th').allTextContents()
    expect(headers).toEqual(['Article', 'Type', 'Échéance', 'Commandé', 'Payé', 'Remboursé', 'Exempté', 'Autorisation'])
    expect(await itemRows.first().textContent()).toMatch(/\d+,\d{2}\s\$/)
    // The family's history: its payments with their receipts, newest first.
    const history = dialog.getByRole('region', { name: 'Historique de la famille' }).or(dialog.locator('section', { has: page.getByRole('heading', { name: 'Historique de la famille' }) }))
    await history.first().getByRole('table').or(history.first().getByText('Aucun paiement')).first().waitFor()
    const payments = await history.first().getByRole('row').filter({ hasText: 'Paiement' }).count()
    const paidCells = await dialog.locator('table.items tbody tr td:nth-child(5)').allTextContents()
    if (paidCells.some((c) => /[1-9]/.test(c))) expect(payments).toBeGreaterThan(0)
    await expectAccessible(page, 'family panel')

    // Escape closes it and gives the focus back to the student's row.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await page.waitForFunction(() => document.activeElement?.matches('table[role="grid"] tbody tr'))
    expect(await page.locator('table[role="grid"] tbody tr:focus td .cell-strong').textContent()).toBe(student.last)
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
      expect(await nav.locator('a[aria-current="page"]').textContent()).toBe(name)
      expect(await page.title()).toBe(`${name} — Guichet`)
      // Moving to a screen puts the focus on its heading.
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
      expect(await page.locator('main p.later-text').count()).toBe(0)
      await expectAccessible(page, `screen ${name}`)
    }
    // Paramètres: who is signed in, and what runs.
    const main = page.locator('main')
    await nav.getByRole('link', { name: 'Paramètres' }).click()
    await heading1(page, 'Paramètres')
    await main.getByText('Secrétaire').waitFor()
    await main.getByText('e2e', { exact: true }).waitFor()
    await main.getByText('Données de démonstration').waitFor()
  })

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    await heading1(page, 'Connexion')
    expect(await page.locator('nav').count()).toBe(0)
    await expectAccessible(page, 'sign-in screen after signing out')
  })
})
