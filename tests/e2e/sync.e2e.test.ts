import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCentral, type TestCentral } from '../central/helpers'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App
let central: TestCentral

beforeAll(async () => {
  app = await startApp()
  // The board's central API on the same demo board (same generator, seed and anchor as the app's).
  central = await startCentral({ board: { studentsPerSchool: [230, 170] } })
  await signIn(app.page, 'direction')
  await app.page.getByRole('heading', { level: 1 }).waitFor()
})
afterAll(async () => {
  await app?.close()
  await central?.close()
})

describe('Synchronisation', () => {
  it('enrols this PC with the board’s code, sends what waits in the outbox and catches up, then shows the state', async () => {
    const { page } = app
    const db = app.core.connection.raw
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Synchronisation' }).click()
    await page.getByRole('heading', { level: 1, name: 'Synchronisation' }).waitFor()
    await page.getByText('Ce poste n’est pas inscrit auprès du conseil.').waitFor()
    await expectAccessible(page, 'sync before enrolment')

    // A wrong code: refused in words, nothing stored.
    await page.getByLabel('Adresse du serveur du conseil').fill(central.url)
    await page.getByLabel('Code d’inscription').fill('PAS-UN-CODE')
    await page.getByLabel('Nom du poste').fill('Secrétariat Saint-Guillaume')
    await page.getByRole('button', { name: 'Inscrire le poste' }).click()
    await page.getByRole('alert').filter({ hasText: /inscription auprès du conseil a échoué/ }).waitFor()
    expect(db.prepare(`SELECT count(*) AS n FROM secrets WHERE name LIKE 'sync.%'`).get()).toEqual({ n: 0 })

    const { code } = await central.store.createEnrollmentCode({})
    await page.getByLabel('Code d’inscription').fill(code)
    await page.getByRole('button', { name: 'Inscrire le poste' }).click()
    await page.getByText('Poste inscrit.').waitFor()
    await page.getByText(/Inscrit auprès de .* sous le nom « Secrétariat Saint-Guillaume »/).waitFor()
    const token = db.prepare(`SELECT ciphertext FROM secrets WHERE name LIKE 'sync.%'`).get() as { ciphertext: Buffer }
    expect(token.ciphertext.length).toBeGreaterThan(0)

    await page.getByRole('button', { name: 'Synchroniser maintenant' }).click()
    await page.getByText(/Dernière synchronisation réussie/).waitFor({ timeout: 60_000 })
    const pending = (db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n
    expect(pending).toBe(0)
    await page.getByText('Aucun changement en attente', { exact: false }).waitFor()
    const table = page.getByRole('table', { name: 'Écoles synchronisées' })
    expect(await table.getByRole('row').count()).toBe(3)
    await expectAccessible(page, 'sync after a run')
  })
})
