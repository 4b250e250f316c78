import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { localKeyBox } from '../../src/core/adapters/secrets/local-key-box'
import { openWorkspace } from '../../src/core/workspace'
import { startWebServer, type WebServer } from '../../src/web/server'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface App {
  core: Core
  server: WebServer
  browser: Browser
  page: Page
  /** Fixed date the demo board was generated around, so tests see the same board every run. */
  anchor: Date
  close(): Promise<void>
}

/**
 * Browser mode as a user gets it: a demo board in a fresh temp database, the built renderer
 * (dist-web, made by `npm run test:e2e`) behind the loopback bridge, and Debian's Chromium.
 */
export async function startApp(options: { anchor?: string; locale?: string; firstRun?: boolean } = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'))
  const anchor = new Date(options.anchor ?? '2026-11-20T15:00:00Z')
  const file = join(dir, 'guichet.sqlite')
  // firstRun: as `npm run web -- --first-run` and the desktop app start, no demo by themselves (core/workspace.ts).
  const core = options.firstRun
    ? await openWorkspace({ boardFile: file, appVersion: 'e2e', nowMs: () => Date.now(), demoAnchor: anchor, secretBox: (db) => localKeyBox(`${db}.key`) })
    : await createCore({
        file,
        appVersion: 'e2e',
        demoIfNew: true,
        nowMs: () => Date.now(),
        demoAnchor: anchor,
        // As browser mode does (src/web/main.ts): secrets sealed under a local key file.
        secretBox: () => localKeyBox(join(dir, 'guichet.sqlite.key')),
      })
  const server = await startWebServer({ core, staticDir: resolve('dist-web') })
  // No --user-data-dir: playwright refuses it with launch(), and gives each browser a fresh temp profile itself.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
  const context = await browser.newContext({ locale: options.locale ?? 'fr-CA', viewport: { width: 1366, height: 900 } })
  const page = await context.newPage()
  page.on('pageerror', (error) => {
    throw error
  })
  await page.goto(server.url)
  return {
    core,
    server,
    browser,
    page,
    anchor,
    async close() {
      await browser.close()
      await server.close()
      await core.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** axe-core on the page as it is: no serious or critical violation (WCAG 2.1 AA rules). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  expect(bad, `accessibility of ${label}`).toEqual([])
}

export async function signIn(page: Page, username = 'secretaire', password = 'guichet'): Promise<void> {
  await page.getByLabel(/Nom d’utilisateur|Username/).fill(username)
  await page.getByLabel(/Mot de passe|Password/).fill(password)
  await page.getByRole('button', { name: /Se connecter|Sign in/ }).click()
}
