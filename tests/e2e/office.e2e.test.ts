import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { instantOfBackupFile } from '../../src/core/domain/backups/retention'
import { expectAccessible, signIn, startApp, type App } from './harness'

/**
 * The office's own settings, on the demo board: the principal sets the refund threshold; the
 * admin chooses the backup folder, backs up (listed as checked), restores that backup, and finds
 * each step in the audit log filtered by person. The family's credit and the bulk refunds are
 * looked at by the secretary.
 */
let app: App
let page: Page
let folder: string
const nav = (name: string) => page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name, exact: true })
const heading1 = (name: string) => page.getByRole('heading', { level: 1, name }).waitFor()
const torontoDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms)
const signOut = async () => {
  await page.getByRole('button', { name: 'Se déconnecter' }).first().click()
  await heading1('Connexion')
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'guichet-e2e-backups-'))
  app = await startApp()
  page = app.page
}, 60_000)
afterAll(async () => {
  await app?.close()
  rmSync(folder, { recursive: true, force: true })
})

describe('Settings of the office, backups and the audit log', () => {
  it('threshold → backup → restore → the audit log shows each step, filtered by person', async () => {
    const school = app.core.connection.raw.prepare('SELECT id, name, refund_approval_threshold_cents AS t FROM schools ORDER BY name LIMIT 1').get() as { id: string; name: string; t: number }

    // ---- The principal sets the refund threshold ----------------------------------------------
    await signIn(page, 'direction')
    await nav('Paramètres').click()
    await heading1('Paramètres')
    const threshold = page.getByRole('region', { name: 'Seuil d’approbation des remboursements' })
    await threshold.getByLabel('École').selectOption(school.id)
    await threshold.getByLabel('Nouveau seuil ($)').fill('abc')
    await threshold.getByRole('button', { name: 'Enregistrer le seuil' }).click()
    await threshold.getByRole('alert').filter({ hasText: 'Entrez un montant en dollars' }).waitFor()
    await threshold.getByLabel('Nouveau seuil ($)').fill('75,50')
    await threshold.getByRole('button', { name: 'Enregistrer le seuil' }).click()
    await threshold.getByRole('status').filter({ hasText: 'Seuil enregistré : 75,50' }).waitFor()
    expect(app.core.connection.raw.prepare('SELECT refund_approval_threshold_cents AS t FROM schools WHERE id = ?').get(school.id)).toEqual({ t: 7550 })
    // Backups and the lock delay are the admin's: the principal does not see them.
    expect(await page.getByRole('region', { name: 'Sauvegardes' }).count()).toBe(0)
    await expectAccessible(page, 'Paramètres, the principal’s threshold')
    await signOut()

    // ---- The admin: no backup yet, said on the dashboard -----------------------------------------
    await signIn(page, 'admin')
    await heading1('Tableau de bord')
    const warning = page.getByRole('alert').filter({ hasText: 'Aucune sauvegarde réussie' })
    await warning.getByText('Aucun dossier de sauvegarde n’est choisi.').waitFor()
    await expectAccessible(page, 'the dashboard with the backup warning')
    await warning.getByRole('link', { name: 'Voir les sauvegardes dans Paramètres' }).click()
    await heading1('Paramètres')
    const backups = page.getByRole('region', { name: 'Sauvegardes' })
    await backups.getByLabel('Dossier de sauvegarde (clé USB, partage réseau)').fill(join(folder, 'absente'))
    await backups.getByRole('button', { name: 'Enregistrer le dossier' }).click()
    await backups.getByRole('alert').filter({ hasText: 'est introuvable : la clé USB ou le partage réseau est-il branché?' }).waitFor()
    await backups.getByLabel('Dossier de sauvegarde (clé USB, partage réseau)').fill(folder)
    await backups.getByRole('button', { name: 'Enregistrer le dossier' }).click()
    await backups.getByRole('status').filter({ hasText: 'Dossier enregistré.' }).waitFor()

    // ---- A backup runs and is listed as checked -----------------------------------------------
    await backups.getByRole('button', { name: 'Sauvegarder maintenant' }).click()
    await backups.getByRole('status').filter({ hasText: 'faite et vérifiée' }).waitFor()
    const row = backups.getByRole('row').filter({ hasText: 'Vérifiée' })
    await row.waitFor()
    expect(await row.count()).toBe(1)
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('Demandée')
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/^\d+(,\d)? Mo$/)
    // Taken now on the app's clock: the backup's name and time come from it.
    const [backup] = readdirSync(folder).filter((f) => f.endsWith('.sqlite'))
    expect(app.now() - Date.parse(instantOfBackupFile(backup!)!)).toBeLessThan(120_000)
    expect(app.now() - Date.parse(instantOfBackupFile(backup!)!)).toBeGreaterThanOrEqual(0)
    await expectAccessible(page, 'Paramètres, the backups')

    // Changed after the backup: the restore takes it back.
    app.core.connection.raw.prepare('UPDATE schools SET refund_approval_threshold_cents = 1 WHERE id = ?').run(school.id)

    // ---- Restore it -----------------------------------------------------------------------------
    await row.getByRole('button', { name: /^Restaurer la sauvegarde du / }).click()
    const dialog = page.getByRole('dialog', { name: /^Restaurer la sauvegarde du / })
    await dialog.getByText('Les données de ce poste reviendront au').waitFor()
    await dialog.getByText('reviendront à la prochaine synchronisation').waitFor()
    await expectAccessible(page, 'the restore dialog')
    await dialog.getByRole('button', { name: 'Restaurer' }).click()
    await backups.getByRole('status').filter({ hasText: 'Sauvegarde restaurée : les données reviennent au' }).waitFor()
    expect(await backups.getByRole('status').textContent()).toContain('guichet.sqlite.avant-restauration-')
    expect(app.core.connection.raw.prepare('SELECT refund_approval_threshold_cents AS t FROM schools WHERE id = ?').get(school.id)).toEqual({ t: 7550 })
    await backups.getByRole('button', { name: 'Fermer' }).click()
    await backups.getByRole('row').filter({ hasText: 'Vérifiée' }).waitFor()

    // ---- The audit log, filtered by person -------------------------------------------------------
    await nav('Journal').click()
    await heading1('Journal')
    await page.getByLabel('Personne').selectOption({ label: 'Marc Gagnon' })
    const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Qui' }) })
    await table.getByRole('row').filter({ hasText: 'refunds.setThreshold' }).waitFor()
    expect(await table.getByRole('row').filter({ hasText: 'Admin Guichet' }).count()).toBe(0)
    const marc = table.getByRole('row').filter({ hasText: 'refunds.setThreshold' })
    expect(await marc.getByRole('cell').nth(3).textContent()).toBe(school.name)
    await marc.getByRole('button', { name: /^Ouvrir l’entrée du / }).click()
    const record = page.getByRole('region', { name: 'Entrée du journal' })
    const change = record.getByRole('row', { name: /refundThresholdCents/ })
    expect(await change.getByRole('cell').allTextContents()).toEqual([String(school.t), '7550'])
    await expectAccessible(page, 'Journal, one entry open')
    await record.getByRole('button', { name: 'Fermer' }).click()

    await page.getByLabel('Personne').selectOption({ label: 'Admin Guichet' })
    await page.getByLabel('Type de changement').selectOption({ label: 'Paramètres, comptes et sauvegardes' })
    await table.getByRole('row').filter({ hasText: 'backups.restore' }).waitFor()
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents()
    expect(actions).toEqual(['backups.restore', 'backups.run', 'backups.setFolder'])
    await table.getByText('3 entrées').waitFor()
    // The export takes the same filter.
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Exporter en Excel' }).click()
    expect((await download).suggestedFilename()).toBe(`journal-${torontoDate(app.now())}.xlsx`)
    await expectAccessible(page, 'Journal filtered by person and kind')

    // The dashboard no longer warns.
    await nav('Tableau de bord').click()
    await heading1('Tableau de bord')
    await page.getByRole('heading', { name: 'Synchronisation' }).waitFor()
    expect(await page.getByRole('alert').filter({ hasText: 'sauvegarde' }).count()).toBe(0)
    await signOut()
  }, 180_000)

  it('the secretary sees the family’s credit and the bulk refunds, and no audit log', async () => {
    await signIn(page, 'secretaire')
    await heading1('Tableau de bord')
    expect(await nav('Journal').count()).toBe(0)
    await nav('Élèves et familles').click()
    await heading1('Élèves et familles')
    await page.getByRole('row').nth(1).click()
    const credit = page.getByRole('dialog').getByRole('region', { name: 'Crédit de la famille' })
    await credit.waitFor()
    await expectAccessible(page, 'the family panel with its credit')
    await page.keyboard.press('Escape')
    await nav('Commandes').click()
    await heading1('Commandes')
    await page.getByRole('region', { name: 'Remboursements groupés' }).waitFor()
    await expectAccessible(page, 'Commandes with the bulk refunds')
  }, 120_000)
})
