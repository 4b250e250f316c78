import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, signIn, startApp, type App } from './harness'

/** The demo offered on the first screen (issue 14): its own file, labelled everywhere, and left again. */
let app: App
beforeAll(async () => {
  app = await startApp({ firstRun: true })
})
afterAll(async () => {
  await app?.close()
})

describe('the demo from the first screen', () => {
  it('opens in its own database, labelled as a demo, and leaves back to an untouched first screen', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Ouvrir la démo' }).click()
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor()
    await page.getByText('Données de démonstration').waitFor()
    await page.getByText(/Comptes de la démo : secretaire, direction et admin/).waitFor()
    expect(app.core.connection.raw.name).toMatch(/guichet-demo\.sqlite$/)
    await expectAccessible(page, 'demo sign-in')

    await signIn(page, 'secretaire', 'guichet')
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
    await page.getByRole('banner').getByText('Données de démonstration').waitFor()
    await page.getByRole('banner').getByRole('button', { name: 'Quitter la démo' }).click()

    await page.getByRole('heading', { level: 1, name: 'Bienvenue dans Guichet' }).waitFor()
    expect(app.core.connection.raw.name).toMatch(/guichet\.sqlite$/)
    expect(app.core.connection.raw.prepare(`SELECT count(*) AS n FROM students`).get()).toEqual({ n: 0 })
    expect(await page.getByText('Données de démonstration').count()).toBe(0)
  })
})
