import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney } from '../../src/shared/format'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App
const PIN = '1357'
const SWEATER = 'Chandail de l’école'
const PLANNER = 'Agenda scolaire'
const SKETCHBOOK = 'Carnet de dessins'
const CREDIT = 1000

let parent = { id: '', first: '', last: '', phone: '' }
let child = { id: '', first: '', last: '', school_id: '', school: '' }
const items = { sweater: '', planner: '', sketchbook: '' }

const money = (cents: number) => formatMoney(cents, 'fr-CA')

function db() {
  return app.core.connection.raw
}

async function rpc(method: string, input: unknown, session: string) {
  const r = await app.core.dispatch({ method, input, session })
  if (!r.ok) throw new Error(`${method}: ${r.error.message} ${JSON.stringify(r.error.issues)}`)
  return r.value as Record<string, unknown>
}

/** A product for the child alone, built and published in the catalogue (its own e2e drives the form). */
async function publishProduct(session: string, titleFr: string, titleEn: string, priceCents: number): Promise<string> {
  const now = app.now()
  const created = await rpc(
    'catalogue.create',
    {
      schoolId: child.school_id,
      draft: {
        kind: 'product',
        titleFr,
        titleEn,
        descriptionFr: `${titleFr}, en vente au secrétariat.`,
        descriptionEn: null,
        opensAt: new Date(now - 3_600_000).toISOString(),
        deadlineAt: new Date(now + 20 * 86_400_000).toISOString(),
        priceCents,
        feePer: null,
        required: false,
        stockLimit: null,
        perStudentLimit: null,
        reminderDaysBefore: 3,
        targets: [{ kind: 'student', value: child.id }],
        variants: [],
        dates: [],
        outing: null,
        questions: [],
      },
    },
    session,
  )
  await rpc('catalogue.publish', { id: created.id, version: created.version, confirmWarnings: true }, session)
  return created.id as string
}

/** What sync writes when a parent pays online through the board with a card whose refunds fail (4000 0000 0000 5126). */
function boardOrder(): string {
  const order = randomUUID()
  const payment = randomUUID()
  const line = randomUUID()
  const at = new Date(app.now() - 2 * 86_400_000).toISOString()
  db().prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(order, child.school_id, parent.id, at)
  db()
    .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, program_date_id, variant_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, NULL, NULL, 1, ?, ?)')
    .run(line, order, child.id, items.sweater, CREDIT, CREDIT)
  const receipt = (db().prepare(`SELECT coalesce(max(receipt_number), 0) + 1 AS n FROM payments WHERE school_id = ? AND receipt_series = 'board'`).get(child.school_id) as { n: number }).n
  db()
    .prepare(
      `INSERT INTO payments (id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES (?, ?, ?, ?, 'board', ?, 'visa', '5126', ?, 'online', ?, ?)`,
    )
    .run(payment, `board-${payment}`, child.school_id, order, `pi_${payment}`, CREDIT, receipt, at)
  return line
}

const balance = () =>
  (
    db()
      .prepare(`SELECT coalesce(sum(CASE kind WHEN 'granted' THEN amount_cents ELSE -amount_cents END), 0) AS n FROM family_credits WHERE guardian_id = ? AND school_id = ?`)
      .get(parent.id, child.school_id) as { n: number }
  ).n

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

beforeAll(async () => {
  app = await startApp()
  // A parent with one child, at one school, who has no credit yet.
  const found = db()
    .prepare(
      `SELECT g.id, g.first_name AS first, g.last_name AS last, g.phone FROM guardians g
       WHERE g.phone IS NOT NULL
         AND (SELECT count(*) FROM student_guardians sg JOIN students s ON s.id = sg.student_id WHERE sg.guardian_id = g.id AND s.status = 'active') = 1
         AND NOT EXISTS (SELECT 1 FROM family_credits k WHERE k.guardian_id = g.id)
         AND (SELECT count(*) FROM guardians o WHERE o.phone = g.phone) = 1
       ORDER BY g.id LIMIT 1`,
    )
    .get() as typeof parent | undefined
  expect(found, 'the demo board has a parent with one child').toBeTruthy()
  parent = found!
  child = db()
    .prepare(
      `SELECT s.id, s.first_name AS first, s.last_name AS last, s.school_id, sc.name AS school FROM student_guardians sg
       JOIN students s ON s.id = sg.student_id JOIN schools sc ON sc.id = s.school_id WHERE sg.guardian_id = ? AND s.status = 'active'`,
    )
    .get(parent.id) as typeof child

  const session = (await rpc('auth.signIn', { username: 'direction', password: 'guichet' }, '')).token as string
  items.sweater = await publishProduct(session, SWEATER, 'School sweater', CREDIT)
  items.planner = await publishProduct(session, PLANNER, 'School planner', 2500)
  items.sketchbook = await publishProduct(session, SKETCHBOOK, 'Sketchbook', 600)

  // The sweater bought online is refunded; the card's refunds fail (expired), so the office will
  // settle the refund as a credit for the family.
  const line = boardOrder()
  await rpc('refunds.refundLines', { lines: [{ orderLineId: line }], reason: 'Chandail en rupture de stock' }, session)
  await until('the refund to fail', () => {
    const r = db().prepare(`SELECT status FROM refund_states WHERE order_line_id = ?`).get(line) as { status: string } | undefined
    return r?.status === 'failed'
  })

  await signIn(app.page, 'direction')
  await app.page.getByRole('heading', { level: 1 }).waitFor()
}, 120_000)
afterAll(() => app?.close())

const layer = () => app.page.locator('.kiosk-layer')
const nav = (name: string) => app.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name })

async function openKiosk(): Promise<void> {
  const { page } = app
  const full = `${parent.first} ${parent.last}`
  await nav('Kiosque').click()
  await page.getByRole('heading', { level: 1, name: 'Kiosque' }).waitFor()
  await page.getByLabel('Nom du parent ou de l’enfant, téléphone ou courriel').fill(parent.phone)
  await page.getByRole('list', { name: '1 famille trouvée' }).waitFor()
  await page.getByRole('button', { name: `Choisir ${full}` }).click()
  await page.getByLabel('NIP pour fermer le kiosque (facultatif)').fill(PIN)
  await page.getByRole('button', { name: `Ouvrir le kiosque pour ${full}` }).click()
  await layer().getByRole('heading', { level: 1 }).waitFor()
  if ((await layer().getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')) !== 'true') {
    await layer().getByRole('button', { name: 'Français' }).click()
  }
  await layer().getByRole('heading', { level: 1, name: `Bonjour ${full}` }).waitFor()
}

async function addToCart(title: string, priceCents: number): Promise<void> {
  const item = layer()
    .getByRole('region', { name: `${child.first} ${child.last}` })
    .getByRole('article', { name: title })
  await item.getByRole('button', { name: `Ajouter au panier (${money(priceCents)})` }).click()
  await item.getByText('Dans votre panier.').waitFor()
  await layer().getByRole('button', { name: 'Mon panier (1)' }).click()
}

async function closeKiosk(): Promise<void> {
  await layer().getByRole('button', { name: 'Fermer (personnel)' }).click()
  await layer().getByLabel('NIP du personnel').fill(PIN)
  await layer().getByRole('button', { name: 'Fermer le kiosque' }).click()
  await layer().waitFor({ state: 'detached' })
  await app.page.getByRole('heading', { level: 1, name: 'Kiosque' }).waitFor()
}

async function findOrders(): Promise<void> {
  const { page } = app
  await nav('Commandes').click()
  await page.getByRole('heading', { level: 1, name: 'Commandes' }).waitFor()
  await page.getByLabel('Rechercher une famille ou un élève').fill(`${parent.first} ${parent.last}`)
}

describe('A family’s credit at the kiosk', () => {
  it('a failed refund settled as credit pays part of a kiosk sale, the card the rest; a refund of that sale gives the credit back', async () => {
    const { page } = app
    const startedAt = new Date(app.now()).toISOString()

    // ---- the office settles the failed refund as a credit ---------------------------------------------
    await nav('Commandes').click()
    await page.getByRole('heading', { level: 1, name: 'Commandes' }).waitFor()
    const failed = page.locator('section', { has: page.getByRole('heading', { name: /^Remboursements en échec/ }) }).getByRole('row').filter({ hasText: `${parent.first} ${parent.last}` })
    await failed.getByText('La carte est expirée ou annulée.').waitFor()
    await failed.getByRole('textbox').fill('Carte expirée : crédit pour la prochaine commande')
    await failed.getByRole('button', { name: 'Porter au crédit de la famille' }).click()
    await failed.waitFor({ state: 'detached' })
    expect(balance()).toBe(CREDIT)

    // ---- the parent at the kiosk: the credit is offered, the card pays the rest -----------------------
    await openKiosk()
    await addToCart(PLANNER, 2500)
    const school = layer().getByRole('region', { name: child.school })
    await school.getByText(`Total pour cette école : ${money(2500)}`).waitFor()
    const credit = school.getByRole('group', { name: `Crédit disponible : ${money(CREDIT)}` })
    await credit.waitFor()
    const useIt = credit.getByRole('checkbox', { name: 'Utiliser mon crédit' })
    expect(await useIt.isChecked()).toBe(true)
    await school.getByText(`Votre crédit paie ${money(CREDIT)}. Il reste ${money(1500)} à payer par carte.`).waitFor()
    await expectAccessible(page, 'the kiosk cart with a family credit')

    // Not using it, with the keyboard: the card would pay the whole; then back.
    await useIt.focus()
    await page.keyboard.press('Space')
    await school.getByText(`Votre crédit n’est pas utilisé : la carte paiera ${money(2500)}.`).waitFor()
    await school.getByRole('button', { name: `Payer ${money(2500)} à ${child.school}` }).waitFor()
    await page.keyboard.press('Space')
    expect(await useIt.isChecked()).toBe(true)

    await school.getByLabel('Numéro de la carte').fill('4242 4242 4242 4242')
    await school.getByRole('button', { name: `Payer ${money(1500)} par carte à ${child.school}` }).click()
    const receipt = layer().getByRole('article', { name: new RegExp(`^Reçu numéro K-\\d{6}, ${child.school}$`) })
    await receipt.waitFor()
    await receipt.getByText(`Payé à ${child.school} : ${money(2500)}`).waitFor()
    await receipt.getByText(`Payé avec votre crédit : ${money(CREDIT)}`).waitFor()
    await receipt.getByText(`Carte VISA se terminant par 4242 : ${money(1500)}`).waitFor()
    await layer()
      .getByText(new RegExp(`^Paiement accepté par ${child.school}, dont ${money(CREDIT).replace('$', '\\$')} payés avec votre crédit\\. Reçu numéro K-\\d{6}\\.$`))
      .waitFor({ state: 'attached' })
    await expectAccessible(page, 'the kiosk receipt paid partly with credit')

    // The ledger: one payment of the whole, the credit part on it, the credit spent.
    const payment = db()
      .prepare(`SELECT p.id, p.amount_cents, p.credit_cents, p.processor, p.card_last4 FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.guardian_id = ? AND p.channel = 'kiosk' AND p.created_at >= ?`)
      .all(parent.id, startedAt)
    expect(payment).toEqual([expect.objectContaining({ amount_cents: 2500, credit_cents: CREDIT, processor: 'demo', card_last4: '4242' })])
    expect(balance()).toBe(0)
    await closeKiosk()

    // ---- Commandes: the order carries the family's credit; refunding it gives the credit back ---------
    await findOrders()
    const row = page.getByRole('row').filter({ hasText: PLANNER })
    await row.getByText(`Crédit familial : ${money(CREDIT)}`).waitFor()
    await expectAccessible(page, 'Commandes with an order paid partly with credit')
    await row.getByRole('button', { name: /^Rembourser la commande du reçu/ }).click()
    const dialog = page.getByRole('dialog', { name: /^Rembourser : reçu no K-/ })
    await dialog.getByText(`Cette commande a été payée en partie avec le crédit familial (${money(CREDIT)})`, { exact: false }).waitFor()
    await dialog.getByRole('button', { name: 'Tout' }).click()
    await dialog.getByLabel('Raison du remboursement').fill('Agenda en double')
    await dialog.getByRole('button', { name: 'Rembourser 1 ligne' }).click()
    const job = dialog.locator('.refund-job')
    await job.getByText(/^Terminé : 2 sur 2 remboursés/).waitFor({ timeout: 30_000 })
    const back = job.getByRole('table', { name: /^1 remboursement remis au crédit familial/ })
    await back.getByRole('row').filter({ hasText: money(CREDIT) }).getByText('Remboursé : remis au crédit familial').waitFor()
    await expectAccessible(page, 'a refund that goes back to the family credit')
    await dialog.getByRole('button', { name: 'Fermer' }).last().click()
    // The card got its part back, the credit its own, at once.
    const refunds = db()
      .prepare(`SELECT r.tender, s.amount_cents, s.status FROM refund_states s JOIN refunds r ON r.id = s.id WHERE s.payment_id = ? ORDER BY r.tender`)
      .all((payment[0] as { id: string }).id)
    expect(refunds).toEqual([
      { tender: 'card', amount_cents: 1500, status: 'succeeded' },
      { tender: 'credit', amount_cents: CREDIT, status: 'succeeded' },
    ])
    expect(balance()).toBe(CREDIT)
  }, 180_000)

  it('when the credit covers the whole sale no card is asked; the family history shows the credit used, and Commandes the tag', async () => {
    const { page } = app
    const startedAt = new Date(app.now()).toISOString()
    await openKiosk()
    await addToCart(SKETCHBOOK, 600)
    const school = layer().getByRole('region', { name: child.school })
    await school.getByRole('group', { name: `Crédit disponible : ${money(CREDIT)}` }).waitFor()
    await school.getByText(`Votre crédit paie tout (${money(600)}) : aucune carte n’est nécessaire. Il vous restera ${money(400)} de crédit à cette école.`).waitFor()
    expect(await school.getByLabel('Numéro de la carte').count()).toBe(0)
    await expectAccessible(page, 'the kiosk cart paid wholly with credit')
    const pay = school.getByRole('button', { name: `Payer avec mon crédit (${money(600)})` })
    await pay.focus()
    await page.keyboard.press('Enter')
    const receipt = layer().getByRole('article', { name: new RegExp(`^Reçu numéro K-\\d{6}, ${child.school}$`) })
    await receipt.waitFor()
    await receipt.getByText(`Payé avec votre crédit : ${money(600)}`).waitFor()
    expect(await receipt.getByText(/Carte .* se terminant par/).count()).toBe(0)
    await layer().getByText('Votre panier est vide.').waitFor()
    await expectAccessible(page, 'the kiosk receipt paid wholly with credit')

    const payment = db()
      .prepare(`SELECT p.amount_cents, p.credit_cents, p.processor, p.card_last4 FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.guardian_id = ? AND p.channel = 'kiosk' AND p.created_at >= ?`)
      .all(parent.id, startedAt)
    expect(payment).toEqual([{ amount_cents: 600, credit_cents: 600, processor: 'credit', card_last4: null }])
    expect(balance()).toBe(CREDIT - 600)
    expect((db().prepare(`SELECT count(*) AS n FROM kiosk_charges WHERE guardian_id = ? AND created_at >= ?`).get(parent.id, startedAt) as { n: number }).n).toBe(0)
    await closeKiosk()

    // ---- Élèves: the family's history shows the credit granted, used, and given back -----------------
    await nav('Élèves et familles').click()
    await page.getByLabel('Rechercher un élève').fill(`${child.last} ${child.first}`)
    await page.getByRole('row').filter({ hasText: child.first }).first().click()
    const history = page.getByRole('dialog').locator('section', { has: page.getByRole('heading', { name: 'Historique de la famille' }) })
    await history.getByRole('row').filter({ hasText: 'Crédit utilisé' }).filter({ hasText: money(600) }).waitFor()
    await history.getByRole('row').filter({ hasText: 'Crédit utilisé' }).filter({ hasText: money(CREDIT) }).waitFor()
    expect(await history.getByRole('row').filter({ hasText: 'Porté au crédit de la famille' }).count()).toBe(2)
    await expectAccessible(page, 'the family history with credit used')
    await page.keyboard.press('Escape')

    // ---- Commandes: the sale paid wholly with credit carries the tag -----------------------------------
    await findOrders()
    const row = page.getByRole('row').filter({ hasText: SKETCHBOOK })
    await row.getByText('Crédit familial', { exact: true }).waitFor()
    await expectAccessible(page, 'Commandes with an order paid with credit')
  }, 180_000)
})
