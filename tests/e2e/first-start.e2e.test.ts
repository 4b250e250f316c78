import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCentral, type TestCentral } from '../central/helpers'
import { expectAccessible, signIn, startApp, type App } from './harness'

/**
 * A real school's first day (issue 14), in browser mode without the demo: the first screen, the
 * first admin, enrolment with the board's code, the roster arriving, a secretary's account and
 * her first sign-in. One step per test, in order, sharing the app: further steps append here.
 */
let app: App
let central: TestCentral
const admin = { name: 'Lise Gestion', username: 'lgestion', password: 'Un érable au bord du lac' }
const secretary = { name: 'Martine Roy', username: 'mroy', password: 'Trois chats sur le toit rouge' }
let oneTime = ''

beforeAll(async () => {
  app = await startApp({ firstRun: true })
  central = await startCentral({ board: { studentsPerSchool: [230, 170] } })
})
afterAll(async () => {
  await app?.close()
  await central?.close()
})

const nav = () => app.page.getByRole('navigation', { name: 'Navigation principale' })
const count = (sql: string) => (app.core.connection.raw.prepare(sql).get() as { n: number }).n

describe('first start of a real install', () => {
  it('offers to join the board or try the demo, in French with English on the switch, and no account exists', async () => {
    const { page } = app
    await page.getByRole('heading', { level: 1, name: 'Bienvenue dans Guichet' }).waitFor()
    expect(count(`SELECT count(*) AS n FROM staff`)).toBe(0)
    expect(count(`SELECT count(*) AS n FROM schools`)).toBe(0)
    await expectAccessible(page, 'first start')
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { level: 1, name: 'Welcome to Guichet' }).waitFor()
    await page.getByRole('button', { name: 'Open the demo' }).waitFor()
    await page.getByRole('button', { name: 'Français' }).click()
    await page.getByRole('button', { name: 'Ouvrir la démo' }).waitFor()
  })

  it('creates the first admin with a password of their own, refusing a weak one in words', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Rejoindre le conseil' }).click()
    await page.getByRole('heading', { level: 1, name: 'Le premier compte administrateur' }).waitFor()
    await expectAccessible(page, 'first admin')
    await page.getByLabel('Nom complet').fill(admin.name)
    await page.getByLabel('Nom d’utilisateur').fill(admin.username)
    await page.getByLabel('Mot de passe', { exact: true }).fill('guichet')
    await page.getByLabel('Confirmer le mot de passe').fill('guichet')
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click()
    await page.getByRole('alert').filter({ hasText: 'trop court' }).waitFor()
    expect(count(`SELECT count(*) AS n FROM staff`)).toBe(0)

    await page.getByLabel('Mot de passe', { exact: true }).fill(admin.password)
    await page.getByLabel('Confirmer le mot de passe').fill(admin.password)
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click()
    // Signed in, on the screen of the next step: enrolment.
    await page.getByRole('heading', { level: 1, name: 'Synchronisation' }).waitFor()
    await page.getByText(admin.name).waitFor()
    expect(count(`SELECT count(*) AS n FROM staff WHERE role = 'admin'`)).toBe(1)
  })

  it('enrols this PC with the board’s code, and the schools and roster arrive through the feed', async () => {
    const { page } = app
    const { code } = await central.store.createEnrollmentCode({})
    await page.getByLabel('Adresse du serveur du conseil').fill(central.url)
    await page.getByLabel('Code d’inscription').fill(code)
    await page.getByLabel('Nom du poste').fill('Secrétariat')
    await page.getByRole('button', { name: 'Inscrire le poste' }).click()
    await page.getByText('Poste inscrit.').waitFor()
    await page.getByRole('button', { name: 'Synchroniser maintenant' }).click()
    await page.getByText(/Dernière synchronisation réussie/).waitFor({ timeout: 90_000 })
    expect(count(`SELECT count(*) AS n FROM schools`)).toBe(2)
    expect(count(`SELECT count(*) AS n FROM students`)).toBeGreaterThanOrEqual(400)

    const student = app.core.connection.raw.prepare(`SELECT first_name, last_name FROM students ORDER BY last_name LIMIT 1`).get() as { first_name: string; last_name: string }
    await nav().getByRole('link', { name: 'Élèves et familles' }).click()
    await page.getByRole('heading', { level: 1, name: 'Élèves et familles' }).waitFor()
    await page.getByRole('searchbox').first().fill(`${student.first_name} ${student.last_name}`)
    await page.getByText(student.last_name, { exact: false }).first().waitFor()
  })

  it('creates a secretary’s account for one school, with a one-time password shown once', async () => {
    const { page } = app
    await nav().getByRole('link', { name: 'Comptes' }).click()
    await page.getByRole('heading', { level: 1, name: 'Comptes du personnel' }).waitFor()
    await page.getByLabel('Nom complet').fill(secretary.name)
    await page.getByLabel('Nom d’utilisateur').fill(secretary.username)
    await page.getByLabel('Rôle').selectOption('secretary')
    const schools = page.getByRole('group', { name: 'Écoles' }).getByRole('checkbox')
    expect(await schools.count()).toBe(2)
    await schools.first().check()
    await page.getByRole('button', { name: 'Créer le compte' }).click()
    const shown = await page.getByRole('status').filter({ hasText: 'Mot de passe à usage unique de Martine Roy' }).textContent()
    oneTime = /: ([a-z2-9]{4}(?:-[a-z2-9]{4}){3})\./.exec(shown ?? '')?.[1] ?? ''
    expect(oneTime).not.toBe('')
    const row = page.getByRole('table', { name: 'Comptes' }).getByRole('row').filter({ hasText: secretary.username })
    await row.getByText('Mot de passe à changer').waitFor()
    await row.getByText('Secrétaire').waitFor()
    await expectAccessible(page, 'staff accounts')
  })

  it('signs the secretary in with her one-time password and makes her choose her own before anything else', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    await signIn(page, secretary.username, oneTime)
    await page.getByRole('heading', { level: 1, name: 'Choisissez votre mot de passe' }).waitFor()
    await expectAccessible(page, 'forced password change')
    await page.getByLabel('Mot de passe à usage unique').fill(oneTime)
    await page.getByLabel('Nouveau mot de passe').fill('Motdepasse2026!')
    await page.getByLabel('Confirmer le mot de passe').fill('Motdepasse2026!')
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
    await page.getByRole('alert').filter({ hasText: 'trop courant' }).waitFor()
    await page.getByLabel('Nouveau mot de passe').fill(secretary.password)
    await page.getByLabel('Confirmer le mot de passe').fill(secretary.password)
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
    await page.getByText(secretary.name).waitFor()
    // A secretary does not manage accounts.
    expect(await nav().getByRole('link', { name: 'Comptes' }).count()).toBe(0)
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.changePassword' AND detail LIKE '%password_changed%'`)).toBe(1)
  })

  it('lets her set the personal PIN that ends the kiosk sessions she opens', async () => {
    const { page } = app
    await nav().getByRole('link', { name: 'Mon compte' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor()
    await page.getByLabel('NIP personnel (4 à 8 chiffres)').fill('2468')
    await page.getByLabel('Votre mot de passe, pour confirmer').fill(secretary.password)
    await page.getByRole('button', { name: 'Enregistrer le NIP' }).click()
    await page.getByRole('status').filter({ hasText: 'NIP enregistré.' }).waitFor()
    expect(count(`SELECT count(*) AS n FROM staff WHERE username = 'mroy' AND pin_hash LIKE 'scrypt$%'`)).toBe(1)
    await expectAccessible(page, 'my account')
  })
})
