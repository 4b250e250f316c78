import { strToU8, zipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, signIn, startApp, type App } from './harness'

/**
 * The OneRoster 1.1 import on the Synchronisation screen, as the principal uses it: a zip
 * exported by the board's system is previewed (what would change, the bad rows), then applied;
 * a bundle with a fatal error applies nothing. Then a roster alert (a guardian's bounce, written
 * as sync writes it) on the dashboard: its family opens from it, and "Vu" clears it.
 */

let app: App
let page: Page
const db = () => app.core.connection.raw
const students = () => (db().prepare('SELECT count(*) AS n FROM students').get() as { n: number }).n

const MANIFEST = ['propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.1', 'file.classes,bulk', 'file.enrollments,bulk', 'file.orgs,bulk', 'file.users,bulk', 'source.systemName,Aspen'].join('\n')
const USERS_HEADER = 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password'
/** A small bundle for a school new to this PC (a bulk bundle of a demo school would withdraw its other students). */
function bundle(): Record<string, string> {
  return {
    'manifest.csv': MANIFEST,
    'orgs.csv': ['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'org-ttt,,2026-09-01,École élémentaire Trille-des-Bois,school,TTT,'].join('\n'),
    'users.csv': [
      USERS_HEADER,
      't-1,,2026-09-01,true,org-ttt,teacher,agagnon,,Anne,Gagnon,,T1,anne@example.org,,,,,',
      's-1,,2026-09-01,true,org-ttt,student,zlavoie,,Zoé,Lavoie,,200001,,,,g-1,03,',
      's-2,,2026-09-01,true,org-ttt,student,nlavoie,,Noah,Lavoie,,200002,,,,g-1,PK,',
      // A second row with the id of the first: a bad row, left out.
      's-1,,2026-09-01,true,org-ttt,student,dup,,Doublon,Lavoie,,200003,,,,,03,',
      'g-1,,2026-09-01,true,org-ttt,parent,,,Chantal,Lavoie,,,chantal@example.org,,613-555-0199,,,',
    ].join('\n'),
    'classes.csv': [
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
      'c-3,,2026-09-01,3e année,03,hr,TTT-3,homeroom,,org-ttt,term-1,,,',
      'c-m,,2026-09-01,Maternelle,PK,hr,TTT-M,homeroom,,org-ttt,term-1,,,',
    ].join('\n'),
    'enrollments.csv': [
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
      'e-1,,2026-09-01,c-3,org-ttt,t-1,teacher,true,2026-09-02,2027-06-25',
      'e-2,,2026-09-01,c-3,org-ttt,s-1,student,true,2026-09-02,2027-06-25',
      'e-3,,2026-09-01,c-m,org-ttt,s-2,student,true,2026-09-02,2027-06-25',
    ].join('\n'),
  }
}
const zipOf = (files: Record<string, string>) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`export/${k}`, strToU8(v)]))))

beforeAll(async () => {
  app = await startApp()
  page = app.page
  await signIn(page, 'direction')
  await page.getByRole('heading', { level: 1 }).waitFor()
})
afterAll(async () => {
  await app?.close()
})

describe('OneRoster import', () => {
  it('previews a zip with its bad row, then applies it', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Synchronisation' }).click()
    await page.getByRole('heading', { level: 2, name: 'Importer le registre (OneRoster 1.1)' }).waitFor()
    const before = students()

    await page.getByLabel('Archive ZIP ou fichiers CSV').setInputFiles({ name: 'oneroster.zip', mimeType: 'application/zip', buffer: zipOf(bundle()) })
    const summary = page.getByRole('table', { name: 'Ce qui changerait' })
    await summary.waitFor()
    expect(await summary.getByRole('row', { name: /^Élèves/ }).getByRole('cell').allTextContents()).toEqual(['2', '0', '0'])
    expect(await summary.getByRole('row', { name: /^Écoles/ }).getByRole('cell').allTextContents()).toEqual(['1', '0', '0'])
    const issues = page.getByRole('table', { name: 'Lignes en erreur' })
    await issues.getByRole('row').filter({ hasText: 'Identifiant en double dans users.csv : s-1. La ligne est ignorée.' }).filter({ hasText: 'Ligne ignorée' }).waitFor()
    expect(students()).toBe(before)
    await expectAccessible(page, 'roster import preview')

    await page.getByRole('button', { name: 'Appliquer l’import' }).click()
    await page.getByRole('status').filter({ hasText: 'Import appliqué : 2 élèves ajoutés, aucun modifié, 1 ligne ignorée.' }).waitFor()
    expect(students()).toBe(before + 2)
    expect(db().prepare("SELECT first_name FROM students WHERE source_id IN ('s-1', 's-2') ORDER BY source_id").pluck().all()).toEqual(['Zoé', 'Noah'])
    expect(db().prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'roster'").get()).toEqual({ n: 1 })
  })

  it('a folder of CSV files with a file missing is fatal: shown, and nothing applied', async () => {
    const before = students()
    const { ['classes.csv']: _missing, ...rest } = bundle()
    await page.getByLabel('Archive ZIP ou fichiers CSV').setInputFiles(Object.entries(rest).map(([name, text]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })))
    await page.getByRole('table', { name: 'Lignes en erreur' }).getByRole('row').filter({ hasText: 'Le fichier classes.csv manque dans l’ensemble OneRoster.' }).filter({ hasText: 'Bloquant' }).waitFor()
    await page.getByText('Une erreur bloquante empêche l’import : rien ne sera appliqué.', { exact: false }).waitFor()
    expect(await page.getByRole('button', { name: 'Appliquer l’import' }).isDisabled()).toBe(true)
    expect(students()).toBe(before)
    await expectAccessible(page, 'roster import with a fatal error')
  })
})

describe('Roster alerts on the dashboard', () => {
  it('shows a bounced email with the family to open, and "Vu" clears it (audited)', async () => {
    const guardian = db().prepare("SELECT id FROM guardians WHERE source_id = 'g-1'").pluck().get() as string
    // As sync writes the board's news of a bounce.
    db().prepare('UPDATE guardians SET email_bounced_at = ?, version = version + 1, updated_at = ? WHERE id = ?').run(new Date(app.now()).toISOString(), new Date(app.now()).toISOString(), guardian)

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tableau de bord' }).click()
    const tile = page.getByRole('region', { name: 'Alertes du registre' })
    await tile.getByText('Le courriel de Chantal Lavoie est revenu non distribué.').waitFor()
    await expectAccessible(page, 'dashboard with a roster alert')

    // A guardian's alert opens the family through one of their children (the first by name).
    await tile.getByRole('link', { name: 'Famille de Noah Lavoie' }).click()
    await page.getByRole('dialog').getByRole('heading', { level: 2, name: 'Famille de Noah Lavoie' }).waitFor()
    await page.getByRole('dialog').getByRole('heading', { name: 'Chantal Lavoie' }).waitFor()
    await page.getByRole('dialog').getByRole('button', { name: 'Fermer' }).click()

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tableau de bord' }).click()
    await tile.getByRole('button', { name: 'Vu : Le courriel de Chantal Lavoie est revenu non distribué.' }).click()
    await tile.getByText('Aucun changement du registre à signaler.').waitFor()
    expect(db().prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'roster_alert'").get()).toEqual({ n: 1 })
  })
})
