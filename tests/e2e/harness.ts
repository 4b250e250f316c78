import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { clockStartingAt } from '../../src/core/clock'
import { localKeyBox } from '../../src/core/adapters/secrets/local-key-box'
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
  /** The fixed instant the app's clock starts at and the demo board is generated around. */
  anchor: Date
  /** The app's "now" (ms): the core's clock, which Chromium's clock follows. Never Date.now(). */
  now(): number
  /** Moves the core's and Chromium's clocks forward together (Chromium's due timers fire). */
  advance(ms: number): Promise<void>
  close(): Promise<void>
}

/** The day every e2e test lives on, whatever the machine's date: a Friday of a school year under way. */
export const ANCHOR = '2026-11-20T15:00:00Z'

/**
 * Browser mode as a user gets it: a demo board in a fresh temp database, the built renderer
 * (dist-web, made by `npm run test:e2e`) behind the loopback bridge, and Debian's Chromium.
 * The core and Chromium run on one clock that starts at the anchor and moves in real time.
 */
export async function startApp(options: { anchor?: string; now?: string; locale?: string } = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'))
  const anchor = new Date(options.anchor ?? ANCHOR)
  // The app's clock starts at the anchor, or later (`now`) for a test of a board used days after it was made.
  const real = clockStartingAt(Date.parse(options.now ?? anchor.toISOString()))
  let ahead = 0
  const now = () => real() + ahead
  const core = await createCore({
    file: join(dir, 'guichet.sqlite'),
    appVersion: 'e2e',
    demoIfNew: true,
    nowMs: now,
    demoAnchor: anchor,
    // As browser mode does (src/web/main.ts): secrets sealed under a local key file.
    secretBox: () => localKeyBox(join(dir, 'guichet.sqlite.key')),
  })
  const server = await startWebServer({ core, staticDir: resolve('dist-web') })
  // No --user-data-dir: playwright refuses it with launch(), and gives each browser a fresh temp profile itself.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
  const context = await browser.newContext({ locale: options.locale ?? 'fr-CA', viewport: { width: 1366, height: 900 } })
  // Chromium's Date and timers follow the same clock (it flows in real time from here).
  await context.clock.install({ time: now() })
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
    now,
    async advance(ms) {
      ahead += ms
      await context.clock.fastForward(ms)
    },
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
