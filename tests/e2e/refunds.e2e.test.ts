import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, localDateOf } from '../../src/core/domain/catalogue/dates'
import { pdfPages } from '../support/pdf-text'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App
let date = { id: '', date: '', offeringId: '', schoolId: '', price: 0 }
let expiredFamily = { guardianId: '', studentId: '', first: '', last: '', paymentId: '' }

function db() {
  return app.core.connection.raw
}

/** What sync writes when a parent pays online through the board: an order, its line, the payment. */
function boardOrder(studentId: string, guardianId: string, last4: string): string {
  const order = randomUUID()
  const payment = randomUUID()
  const at = new Date(app.now() - 2 * 86_400_000).toISOString()
  db().prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(order, date.schoolId, guardianId, at)
  const variant = db().prepare(`SELECT id, price_cents FROM offering_variants WHERE offering_id = ? ORDER BY sort LIMIT 1`).get(date.offeringId) as { id: string; price_cents: number }
  db()
    .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, program_date_id, variant_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)')
    .run(randomUUID(), order, studentId, date.offeringId, date.id, variant.id, variant.price_cents, variant.price_cents)
  const receipt = (db().prepare('SELECT coalesce(max(receipt_number), 0) + 1 AS n FROM payments WHERE school_id = ?').get(date.schoolId) as { n: number }).n
  db()
    .prepare(
      `INSERT INTO payments (id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES (?, ?, ?, ?, 'board', ?, 'visa', ?, ?, 'online', ?, ?)`,
    )
    .run(payment, `board-${payment}`, date.schoolId, order, `pi_${payment}`, last4, variant.price_cents, receipt, at)
  return payment
}

const paidLines = () =>
  (db().prepare(`SELECT count(*) AS n FROM order_lines l WHERE l.program_date_id = ? AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = l.order_id)`).get(date.id) as { n: number }).n

beforeAll(async () => {
  app = await startApp()
  // The busiest pizza Friday still to come in the demo board.
  date = db()
    .prepare(
      `SELECT d.id, d.date, o.id AS offeringId, o.school_id AS schoolId, 0 AS price FROM program_dates d JOIN offerings o ON o.id = d.offering_id
       WHERE o.title_fr LIKE 'Pizza%' AND o.status IN ('published', 'closed') AND d.status = 'scheduled' AND d.date >= ?
       ORDER BY (SELECT count(*) FROM order_lines l WHERE l.program_date_id = d.id) DESC LIMIT 1`,
    )
    .get(addDays(localDateOf(new Date(app.now()), 'America/Toronto'), 7)) as typeof date
  // More families order through the board, so that the date has over a hundred paid lines; one
  // of them paid with a card whose refunds fail (expired, 4000 0000 0000 5126).
  const others = db()
    .prepare(
      `SELECT s.id AS studentId, s.first_name AS first, s.last_name AS last, (SELECT guardian_id FROM student_guardians g WHERE g.student_id = s.id LIMIT 1) AS guardianId
       FROM students s WHERE s.school_id = ? AND s.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.program_date_id = ? AND l.student_id = s.id) ORDER BY s.id`,
    )
    .all(date.schoolId, date.id) as { studentId: string; first: string; last: string; guardianId: string | null }[]
  const withGuardian = others.filter((o) => o.guardianId)
  const needed = Math.max(0, 105 - paidLines())
  db().transaction(() => {
    withGuardian.slice(0, needed).forEach((o) => boardOrder(o.studentId, o.guardianId!, '4242'))
    const k = withGuardian[needed]!
    expiredFamily = { guardianId: k.guardianId!, studentId: k.studentId, first: k.first, last: k.last, paymentId: boardOrder(k.studentId, k.guardianId!, '5126') }
  })()
  expect(paidLines()).toBeGreaterThan(100)
  await signIn(app.page, 'direction')
  await app.page.getByRole('heading', { level: 1 }).waitFor()
})
afterAll(() => app?.close())

describe('Refunds', () => {
  it('cancels a pizza date and refunds its lines with visible progress; a refund that fails is settled as a credit, and the family’s history and receipt show it', async () => {
    const { page } = app
    const lines = paidLines()
    // What each line of the date could still give back before the job (a voided payment, or a line
    // given back earlier, nothing).
    const refundableBefore = new Map(
      (
        db()
          .prepare(`SELECT r.order_line_id AS id, r.refundable_cents AS cents FROM line_refundable r JOIN order_lines l ON l.id = r.order_line_id WHERE l.program_date_id = ?`)
          .all(date.id) as { id: string; cents: number }[]
      ).map((r) => [r.id, r.cents]),
    )
    await page.evaluate((id) => (window.location.hash = `#/catalogue/article/${id}`), date.offeringId)
    const when = new Intl.DateTimeFormat('fr-CA', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date.date}T12:00:00Z`))
    await page.getByRole('button', { name: `Annuler le ${when}` }).click()
    const dialog = page.getByRole('dialog', { name: `Annuler la livraison du ${when}` })
    await dialog.getByLabel(/Raison/).fill('Tempête de neige : école fermée')
    await dialog.getByRole('button', { name: 'Annuler la date et rembourser' }).click()

    const job = page.getByRole('region', { name: 'Remboursements : Tempête de neige : école fermée' })
    await job.getByRole('status').filter({ hasText: /traités|Terminé/ }).waitFor()
    // A line the family's credit paid whole goes back to the credit, not through the card processor.
    const byCredit = (
      db()
        .prepare(`SELECT count(*) AS n FROM order_lines l JOIN payments p ON p.order_id = l.order_id WHERE l.program_date_id = ? AND p.processor = 'credit'`)
        .get(date.id) as { n: number }
    ).n
    await job.getByText(new RegExp(`Terminé : ${lines - byCredit - 1} sur ${lines - byCredit} remboursés`)).waitFor({ timeout: 60_000 })
    expect(byCredit, 'the demo board has a line its family credit paid on that date').toBeGreaterThan(0)
    await job.getByText(new RegExp(`${byCredit} remboursements? remis au crédit familial`)).waitFor()
    await expectAccessible(page, 'the refund job')

    // The expired card: its refund failed; the principal settles it as a credit for the family.
    const failed = job.getByRole('row').filter({ hasText: `${expiredFamily.first} ${expiredFamily.last}` })
    await failed.getByText('La carte est expirée ou annulée.').waitFor()
    await failed.getByRole('textbox').fill('Carte expirée : crédit pour la prochaine commande')
    await failed.getByRole('button', { name: 'Porter au crédit de la famille' }).click()
    await job.getByText(/Aucun échec|crédit/).first().waitFor()
    await failed.waitFor({ state: 'detached' })

    // The ledger: every line that could give back something refunded whole by this job, once per
    // tender (a line paid partly with the family's credit is given back in two parts), the others
    // untouched; the failed one credited once.
    const refunds = db()
      .prepare(
        `SELECT l.id, coalesce(sum(r.amount_cents), 0) AS refunded, count(r.id) AS n, count(DISTINCT rt.tender) AS tenders, coalesce(sum(r.status = 'succeeded'), 0) AS ok
         FROM order_lines l LEFT JOIN refund_states r ON r.order_line_id = l.id AND r.reason = ? LEFT JOIN refunds rt ON rt.id = r.id
         WHERE l.program_date_id = ? AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = l.order_id) GROUP BY l.id`,
      )
      .all('Tempête de neige : école fermée', date.id) as { id: string; refunded: number; n: number; tenders: number; ok: number }[]
    expect(refunds).toHaveLength(lines)
    const due = (id: string) => refundableBefore.get(id) ?? 0
    expect(refunds.filter((r) => (due(r.id) === 0 ? r.n !== 0 : r.n === 0 || r.n !== r.tenders || r.refunded !== due(r.id)))).toEqual([])
    const refundable = refunds.filter((r) => due(r.id) > 0)
    expect(refundable.length).toBeGreaterThan(100)
    expect(refundable.filter((r) => r.ok === r.n)).toHaveLength(refundable.length - 1)
    const credit = db().prepare(`SELECT kind, amount_cents FROM family_credits WHERE guardian_id = ?`).all(expiredFamily.guardianId)
    expect(credit).toEqual([expect.objectContaining({ kind: 'granted' })])

    // The family's history shows the refund that failed and the credit.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Élèves et familles' }).click()
    await page.getByLabel('Rechercher un élève').fill(`${expiredFamily.last} ${expiredFamily.first}`)
    await page.getByRole('row').filter({ hasText: expiredFamily.first }).first().click()
    const family = page.getByRole('dialog')
    const history = family.getByRole('region', { name: 'Historique de la famille' })
    await history.getByRole('row').filter({ hasText: 'Porté au crédit de la famille' }).waitFor()
    await history.getByRole('row').filter({ hasText: 'Remboursement' }).filter({ hasText: 'Échoué' }).waitFor()

    // Another family's receipt shows the refund of the cancelled date.
    const okPayment = db()
      .prepare(`SELECT r.payment_id FROM refund_states r JOIN order_lines l ON l.id = r.order_line_id WHERE l.program_date_id = ? AND r.status = 'succeeded' LIMIT 1`)
      .get(date.id) as { payment_id: string }
    const session = ((await app.core.dispatch({ method: 'auth.signIn', input: { username: 'secretaire', password: 'guichet' } })) as { ok: true; value: { token: string } }).value.token
    const receipt = await app.core.dispatch({ method: 'receipts.pdf', input: { paymentId: okPayment.payment_id }, session })
    expect(receipt.ok).toBe(true)
    const text = (await pdfPages(Buffer.from((receipt as { ok: true; value: { base64: string } }).value.base64, 'base64'))).join(' ').replace(/\s+/g, ' ')
    expect(text).toMatch(/Tempête de neige/)
  })

  it('lets the principal waive a fee for a student from the family, drawn on the assistance budget whose balance she sees', async () => {
    const { page } = app
    const waiversBefore = (db().prepare('SELECT count(*) AS n FROM waivers').get() as { n: number }).n
    // The family panel of the first test is still open, on the same family.
    await page.getByRole('dialog').first().waitFor()
    const family = page.getByRole('dialog').first()
    await family.getByRole('article').filter({ has: page.getByText('Élève choisi', { exact: true }) }).getByRole('button', { name: /^Exempter pour/ }).first().click()
    const waiver = page.getByRole('dialog', { name: /^Exempter / })
    await waiver.getByLabel(/Raison/).fill('Famille en difficulté, entente avec la direction')
    await waiver.getByRole('button', { name: 'Accorder l’exemption' }).click()
    await waiver.getByText(/Exemption de .* accordée/).waitFor()
    await expectAccessible(page, 'the waiver dialog')
    await waiver.getByRole('button', { name: 'Fermer' }).click()
    expect((db().prepare('SELECT count(*) AS n FROM waivers').get() as { n: number }).n).toBe(waiversBefore + 1)
    await page.keyboard.press('Escape')

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Paramètres' }).click()
    const budget = page.getByRole('region', { name: 'Budget d’aide' })
    // The waiver's school is the first of the list when the family's child is there; otherwise choose it.
    const schoolName = (db().prepare('SELECT name FROM schools WHERE id = ?').get(date.schoolId) as { name: string }).name
    await budget.getByLabel('École').selectOption({ label: schoolName })
    await budget.getByRole('cell', { name: 'Famille en difficulté, entente avec la direction' }).waitFor()
    await budget.getByText(/Reste : /).waitFor()
  })
})
