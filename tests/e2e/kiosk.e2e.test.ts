import { readFile } from 'node:fs/promises'
import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney, formatReceiptNumber, formatSchoolDate } from '../../src/shared/format'
import { pdfPages } from '../support/pdf-text'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App
const OUTING = 'Sortie à la cabane à sucre'
const PIZZA = 'Pizza du kiosque'
/** The kiosk's default; the test moves the clocks rather than wait it out. */
const IDLE_SECONDS = 90
/** When the kiosk warns before it ends (KioskMode.tsx: a third of the idle time, at most 20 s). */
const WARN_SECONDS = 20
const PIN = '2468'

interface Kid {
  id: string
  first: string
  last: string
  school_id: string
  school: string
}
let mother = { id: '', first: '', last: '', phone: '' }
let older: Kid
let other: Kid
let pizzaDates: string[] = []

function db() {
  return app.core.connection.raw
}

async function rpc(method: string, input: unknown, session: string) {
  const r = await app.core.dispatch({ method, input, session })
  if (!r.ok) throw new Error(`${method}: ${r.error.message} ${JSON.stringify(r.error.issues)}`)
  return r.value as Record<string, unknown>
}

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** School days of a school from `fromDay` days after `now`: not a weekend, not a day off. */
function schoolDays(schoolId: string, now: number, fromDay: number, count: number): string[] {
  const daysOff = new Set((db().prepare('SELECT date FROM calendar_days WHERE school_id = ?').all(schoolId) as Array<{ date: string }>).map((r) => r.date))
  const out: string[] = []
  for (let d = fromDay; out.length < count && d < fromDay + 90; d++) {
    const date = ymd(now + d * 86_400_000)
    const day = new Date(`${date}T12:00:00Z`).getUTCDay()
    if (day !== 0 && day !== 6 && !daysOff.has(date)) out.push(date)
  }
  return out
}

/** An item the secretary built and published in the catalogue (its own e2e drives the form). */
async function publish(session: string, schoolId: string, draft: Record<string, unknown>): Promise<string> {
  const now = app.now()
  const created = await rpc(
    'catalogue.create',
    {
      schoolId,
      draft: {
        descriptionEn: null,
        opensAt: new Date(now - 3_600_000).toISOString(),
        deadlineAt: new Date(now + 20 * 86_400_000).toISOString(),
        priceCents: 0,
        feePer: null,
        required: false,
        stockLimit: null,
        perStudentLimit: null,
        reminderDaysBefore: 3,
        variants: [],
        dates: [],
        outing: null,
        questions: [],
        ...draft,
      },
    },
    session,
  )
  await rpc('catalogue.publish', { id: created.id, version: created.version, confirmWarnings: true }, session)
  return created.id as string
}

beforeAll(async () => {
  app = await startApp()
  // The demo board's family: a mother with a child in grades 4–6 at one school and one at the other.
  const families = db()
    .prepare(
      `SELECT g.id, g.first_name AS first, g.last_name AS last, g.phone FROM guardians g
       WHERE EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = g.id AND sg.relationship = 'mother')
         AND (SELECT count(DISTINCT s.school_id) FROM student_guardians sg JOIN students s ON s.id = sg.student_id WHERE sg.guardian_id = g.id AND s.status = 'active') = 2
         AND (SELECT count(*) FROM student_guardians sg JOIN students s ON s.id = sg.student_id WHERE sg.guardian_id = g.id AND s.status = 'active') = 2
       ORDER BY g.id`,
    )
    .all() as Array<typeof mother>
  const kidsOf = (guardianId: string) =>
    db()
      .prepare(
        `SELECT s.id, s.first_name AS first, s.last_name AS last, s.school_id, s.grade, sc.name AS school FROM student_guardians sg
         JOIN students s ON s.id = sg.student_id JOIN schools sc ON sc.id = s.school_id WHERE sg.guardian_id = ? AND s.status = 'active'`,
      )
      .all(guardianId) as Array<Kid & { grade: string }>
  const found = families.find((f) => kidsOf(f.id).some((k) => ['4', '5', '6'].includes(k.grade)))
  expect(found, 'the demo board has a mother with children in two schools').toBeTruthy()
  mother = found!
  const kids = kidsOf(mother.id)
  older = kids.find((k) => ['4', '5', '6'].includes(k.grade))!
  other = kids.find((k) => k.id !== older.id)!

  const session = (await rpc('auth.signIn', { username: 'secretaire', password: 'guichet' }, '')).token as string
  const now = app.now()
  const [outingDay] = schoolDays(older.school_id, now, 25, 1)
  await publish(session, older.school_id, {
    kind: 'outing',
    titleFr: OUTING,
    titleEn: 'Sugar shack outing',
    descriptionFr: 'Une journée à la cabane à sucre.',
    priceCents: 1800,
    targets: [{ kind: 'student', value: older.id }],
    outing: { startsOn: outingDay, endsOn: outingDay, startTime: '09:00', endTime: '14:30', destination: 'Cabane à sucre Chez Ti-Mi', venueLimit: null, busCount: 1, seatsPerBus: 48, staffCount: 4, chaperoneRatio: 10 },
    questions: [
      { kind: 'yes_no', labelFr: 'Votre enfant prend-il un médicament?', labelEn: 'Does your child take any medication?', choices: [], required: true },
      { kind: 'text', labelFr: 'Personne à joindre le jour de la sortie', labelEn: 'Emergency contact on the day', choices: [], required: true },
    ],
  })
  pizzaDates = schoolDays(other.school_id, now, 7, 3)
  await publish(session, other.school_id, {
    kind: 'program',
    titleFr: PIZZA,
    titleEn: 'Kiosk pizza',
    descriptionFr: 'Pizza livrée à l’heure du dîner.',
    deadlineAt: new Date(Date.parse(`${pizzaDates[2]}T17:00:00Z`) - 2 * 86_400_000).toISOString(),
    targets: [{ kind: 'school', value: other.school_id }],
    variants: [
      { labelFr: 'Fromage — 1 pointe', labelEn: 'Cheese — 1 slice', priceCents: 300 },
      { labelFr: 'Pepperoni — 2 pointes', labelEn: 'Pepperoni — 2 slices', priceCents: 650 },
    ],
    dates: pizzaDates.map((date) => ({ date, cutoffAt: new Date(Date.parse(`${date}T17:00:00Z`) - 2 * 86_400_000).toISOString(), supplier: 'Pizza Pizza' })),
  })
  await signIn(app.page)
  await app.page.getByRole('heading', { level: 1 }).waitFor()
}, 120_000)
afterAll(() => app?.close())

const layer = () => app.page.locator('.kiosk-layer')
const article = (child: Kid, title: string): Locator =>
  layer()
    .getByRole('region', { name: `${child.first} ${child.last}` })
    .getByRole('article', { name: title })

describe('Kiosque', () => {
  it('a mother with children in two schools consents, buys pizza, pays each school (a card declined, then another), gets her receipts, and the kiosk times out clean', async () => {
    const { page } = app
    const full = `${mother.first} ${mother.last}`
    const startedAt = new Date(app.now()).toISOString()

    // ---- the secretary finds the family and opens the kiosk ----------------------------------------
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Kiosque' }).click()
    await page.getByRole('heading', { level: 1, name: 'Kiosque' }).waitFor()
    // By name: there may be namesakes, each shown with their phone and children.
    const search = page.getByLabel('Nom du parent ou de l’enfant, téléphone ou courriel')
    await search.fill(full)
    await page.getByRole('list', { name: /familles? trouvées?/ }).getByText(mother.phone).waitFor()
    // By phone: the one family.
    await search.fill(mother.phone)
    await page.getByRole('list', { name: '1 famille trouvée' }).waitFor()
    await page.getByRole('button', { name: `Choisir ${full}` }).click()
    await expectAccessible(page, 'the Kiosque screen')
    await page.getByLabel('NIP pour fermer le kiosque (facultatif)').fill(PIN)
    await page.getByLabel('Fermeture après combien de secondes sans activité').fill(String(IDLE_SECONDS))
    await page.getByRole('button', { name: `Ouvrir le kiosque pour ${full}` }).click()

    // ---- the parent's screen: the whole window, her children only -------------------------------------
    await layer().getByRole('heading', { level: 1 }).waitFor()
    if ((await layer().getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')) !== 'true') {
      await layer().getByRole('button', { name: 'Français' }).click()
    }
    await layer().getByRole('heading', { level: 1, name: `Bonjour ${full}` }).waitFor()
    expect(page.url()).toMatch(/#\/kiosque\/session$/)
    await layer().getByText('Démo — aucun paiement réel').first().waitFor()
    const sections = await layer().locator('section.kiosk-child h2').allTextContents()
    expect(sections.sort()).toEqual([`${older.first} ${older.last}`, `${other.first} ${other.last}`].sort())
    // Nothing of the office behind: the staff screens are inert, and the address cannot leave.
    expect(await page.evaluate(() => document.getElementById('root')?.hasAttribute('inert'))).toBe(true)
    await page.evaluate(() => {
      window.location.hash = '#/eleves'
    })
    await page.waitForFunction(() => window.location.hash === '#/kiosque/session')
    await layer().getByRole('heading', { level: 1, name: `Bonjour ${full}` }).waitFor()
    await expectAccessible(page, 'the kiosk, the family')

    // English and back: plain words either way.
    await layer().getByRole('button', { name: 'English' }).click()
    await layer().getByRole('heading', { level: 1, name: `Hello ${full}` }).waitFor()
    await article(older, 'Sugar shack outing').waitFor()
    await layer().getByRole('button', { name: 'Français' }).click()
    await layer().getByRole('heading', { level: 1, name: `Bonjour ${full}` }).waitFor()

    // ---- consent to the outing, with the keyboard alone ----------------------------------------------
    const outing = article(older, OUTING)
    await outing.getByText(/Date limite :/).waitFor()
    const consent = outing.getByRole('form', { name: `Autorisation : ${OUTING}, pour ${older.first}` })
    await consent.getByRole('group', { name: /médicament/ }).getByRole('radio', { name: 'Non' }).focus()
    await page.keyboard.press('Space')
    await consent.getByLabel(/Personne à joindre/).focus()
    await page.keyboard.type('Paul 613-555-0199')
    await consent.getByRole('radio', { name: `Oui, j’autorise ${older.first}` }).focus()
    await page.keyboard.press('Space')
    await consent.getByLabel('Votre nom complet (votre signature)').focus()
    await page.keyboard.type(full)
    await consent.getByRole('checkbox', { name: `Je suis le parent ou le tuteur de ${older.first} et je signe cette réponse.` }).focus()
    await page.keyboard.press('Space')
    await consent.getByRole('button', { name: 'Envoyer ma réponse' }).focus()
    await page.keyboard.press('Enter')
    await outing.getByText(/Vous avez dit oui le/).waitFor()
    const addOuting = outing.getByRole('button', { name: `Ajouter au panier (${formatMoney(1800, 'fr-CA')})` })
    await addOuting.focus()
    await page.keyboard.press('Enter')
    await outing.getByText('Dans votre panier.').waitFor()

    // ---- pizza dates for the other child ----------------------------------------------------------------
    const pizza = article(other, PIZZA)
    await pizza.getByLabel(formatSchoolDate(pizzaDates[0]!, 'fr-CA')).selectOption({ label: `Fromage — 1 pointe — ${formatMoney(300, 'fr-CA')}` })
    await layer().getByRole('button', { name: 'Mon panier (2)' }).waitFor()
    await pizza.getByLabel(formatSchoolDate(pizzaDates[2]!, 'fr-CA')).selectOption({ label: `Pepperoni — 2 pointes — ${formatMoney(650, 'fr-CA')}` })
    await layer().getByRole('button', { name: 'Mon panier (3)' }).click()

    // ---- the cart, one payment per school ----------------------------------------------------------------
    await layer().getByText('Vos enfants vont dans 2 écoles : vous payez chaque école séparément.').waitFor()
    await expectAccessible(page, 'the kiosk, the cart')
    const schoolA = layer().getByRole('region', { name: older.school })
    const schoolB = layer().getByRole('region', { name: other.school })
    await schoolA.getByText(`Total pour cette école : ${formatMoney(1800, 'fr-CA')}`).waitFor()
    await schoolB.getByText(`Total pour cette école : ${formatMoney(950, 'fr-CA')}`).waitFor()

    // A declined card, said kindly; nothing charged; another card goes through.
    await schoolA.getByLabel('Numéro de la carte').fill('4000 0000 0000 0002')
    await schoolA.getByRole('button', { name: `Payer ${formatMoney(1800, 'fr-CA')} à ${older.school}` }).click()
    await schoolA.getByRole('alert').getByText('La carte n’a pas été acceptée. Aucun montant n’a été prélevé. Vous pouvez essayer une autre carte.').waitFor()
    await expectAccessible(page, 'the kiosk, a declined card')
    expect(await schoolA.getByLabel('Numéro de la carte').evaluate((el) => el === document.activeElement)).toBe(true)
    await schoolA.getByLabel('Numéro de la carte').fill('4242 4242 4242 4242')
    await schoolA.getByRole('button', { name: `Payer ${formatMoney(1800, 'fr-CA')} avec une autre carte` }).click()
    const receiptA = layer().getByRole('article', { name: new RegExp(`^Reçu numéro K-\\d{6}, ${older.school}$`) })
    await receiptA.waitFor()

    await schoolB.getByLabel('Numéro de la carte').fill('5555 5555 5555 4444')
    await schoolB.getByRole('button', { name: `Payer ${formatMoney(950, 'fr-CA')} à ${other.school}` }).click()
    const receiptB = layer().getByRole('article', { name: new RegExp(`^Reçu numéro K-\\d{6}, ${other.school}$`) })
    await receiptB.waitFor()
    await layer().getByText('Votre panier est vide.').waitFor()
    await expectAccessible(page, 'the kiosk, the receipts')

    // The ledger: one kiosk payment per school, each the next number of its school's office series
    // (this PC's kiosk numbers its own receipts, K-…; the board numbers its own, migration 0011).
    const payments = db()
      .prepare(
        `SELECT p.school_id, p.receipt_number, p.amount_cents, p.channel, p.processor,
                (SELECT max(q.receipt_number) FROM payments q WHERE q.school_id = p.school_id AND q.receipt_series = 'office') AS highest, p.receipt_series
         FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.guardian_id = ? AND p.channel = 'kiosk' AND p.created_at >= ? ORDER BY p.amount_cents DESC`,
      )
      .all(mother.id, startedAt) as Array<{ school_id: string; receipt_number: number; receipt_series: 'office'; amount_cents: number; channel: string; processor: string; highest: number }>
    expect(payments.map((p) => [p.school_id, p.amount_cents, p.processor])).toEqual([
      [older.school_id, 1800, 'demo'],
      [other.school_id, 950, 'demo'],
    ])
    for (const p of payments) expect([p.receipt_series, p.receipt_number]).toEqual(['office', p.highest])
    await receiptA.getByText(`Reçu numéro ${formatReceiptNumber(payments[0]!.receipt_number, 'office')}`).waitFor()
    await receiptB.getByText(`Reçu numéro ${formatReceiptNumber(payments[1]!.receipt_number, 'office')}`).waitFor()
    const declined = db().prepare(`SELECT count(*) AS n FROM kiosk_charge_outcomes WHERE status = 'declined'`).get() as { n: number }
    expect(declined.n).toBe(1)
    const consentRow = db().prepare(`SELECT channel, signed_name, decision, answers FROM consents WHERE student_id = ? AND channel = 'kiosk'`).get(older.id) as Record<string, string>
    expect(consentRow).toMatchObject({ channel: 'kiosk', signed_name: full, decision: 'granted' })
    expect(consentRow.answers).toContain('Paul 613-555-0199')

    // The receipt, printed: the school's bilingual receipt with its number.
    const [download] = await Promise.all([page.waitForEvent('download'), receiptA.getByRole('button', { name: 'Imprimer le reçu' }).click()])
    const text = (await pdfPages(await readFile((await download.path())!))).join('\n').replace(/\s+/g, ' ')
    expect(text).toContain(`Reçu no ${formatReceiptNumber(payments[0]!.receipt_number, 'office')}`)
    expect(text).toContain(full)
    expect(text).toContain(OUTING)

    // ---- nobody touches the screen: a warning, then the family and the cart are gone --------------------
    const warning = page.getByRole('alertdialog', { name: 'Êtes-vous encore là?' })
    expect(await warning.count()).toBe(0)
    await app.advance((IDLE_SECONDS - WARN_SECONDS + 2) * 1000)
    await warning.waitFor()
    await expectAccessible(page, 'the kiosk, the idle warning')
    await app.advance(WARN_SECONDS * 1000)
    await layer().getByRole('heading', { level: 1, name: 'Merci! La session est terminée.' }).waitFor()
    const after = await layer().innerText()
    for (const name of [older.first, other.first, mother.last, PIZZA, OUTING]) expect(after).not.toContain(name)
    await expectAccessible(page, 'the kiosk, ended')

    // Only the staff PIN takes the window back (the core's side of the expiry: tests/core/kiosk/rules.test.ts).
    await layer().getByLabel('NIP du personnel').fill('0000')
    await layer().getByRole('button', { name: 'Fermer le kiosque' }).click()
    await layer().getByText('Ce NIP n’est pas le bon.').waitFor()
    await layer().getByLabel('NIP du personnel').fill(PIN)
    await layer().getByRole('button', { name: 'Fermer le kiosque' }).click()
    await layer().waitFor({ state: 'detached' })
    await page.getByRole('heading', { level: 1, name: 'Kiosque' }).waitFor()
    expect(await page.evaluate(() => document.getElementById('root')?.hasAttribute('inert'))).toBe(false)
    expect(page.url()).toMatch(/#\/kiosque$/)
  }, 180_000)
})
