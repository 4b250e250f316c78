import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, localDateOf } from '../../src/core/domain/catalogue/dates'
import { pdfPages } from '../support/pdf-text'
import { expectAccessible, signIn, startApp, type App } from './harness'

let app: App
let outingId = ''
let schoolId = ''
const TITLE = 'Sortie au Centre des sciences'
const PRICE = 1800
const DAY = 86_400_000

interface Kid {
  id: string
  first: string
  last: string
  alert: string | null
  guardian: string
}
let kids: Kid[] = []

function db() {
  return app.core.connection.raw
}

async function rpc(method: string, input: unknown, session: string) {
  const r = await app.core.dispatch({ method, input, session })
  if (!r.ok) throw new Error(`${method}: ${r.error.message} ${JSON.stringify(r.error.issues)}`)
  return r.value as Record<string, unknown>
}

/**
 * Consents and payments come from the board (parents online) or the kiosk, never from an office
 * screen: here the test plays the board's feed, writing what sync writes — a consent, then an
 * order paid online with the school's next receipt number.
 */
function parentsAnswer(batch: Kid[], startMs: number) {
  const insert = db().transaction(() => {
    batch.forEach((k, i) => {
      const at = new Date(startMs + i * 60_000).toISOString()
      db()
        .prepare(`INSERT INTO consents (id, source_id, offering_id, student_id, guardian_id, decision, signed_name, channel, recorded_at) VALUES (?, ?, ?, ?, ?, 'granted', 'Parent', 'online', ?)`)
        .run(randomUUID(), `board-consent-${k.id}`, outingId, k.id, k.guardian, at)
      const order = randomUUID()
      db().prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, 'online', ?)`).run(order, schoolId, k.guardian, at)
      db()
        .prepare('INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, 1, ?, ?)')
        .run(randomUUID(), order, k.id, outingId, PRICE, PRICE)
      const receipt = (db().prepare('SELECT coalesce(max(receipt_number), 0) + 1 AS n FROM payments WHERE school_id = ?').get(schoolId) as { n: number }).n
      const payment = randomUUID()
      db()
        .prepare(
          `INSERT INTO payments (id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
           VALUES (?, ?, ?, ?, 'board', ?, 'visa', '4242', ?, 'online', ?, ?)`,
        )
        .run(payment, `board-payment-${payment}`, schoolId, order, `pi_${payment}`, PRICE, receipt, at)
    })
  })
  insert()
}

beforeAll(async () => {
  app = await startApp()
  // The outing, built by the secretary in the catalogue (its own e2e test drives that form).
  const session = (await rpc('auth.signIn', { username: 'secretaire', password: 'guichet' }, '')).token as string
  schoolId = (db().prepare(`SELECT id FROM schools WHERE name LIKE '%Saint-Guillaume'`).get() as { id: string }).id
  const now = app.now()
  const today = localDateOf(new Date(now), 'America/Toronto')
  const created = await rpc(
    'catalogue.create',
    {
      schoolId,
      draft: {
        kind: 'outing',
        titleFr: TITLE,
        titleEn: 'Science Centre outing',
        descriptionFr: 'Une journée au Centre des sciences.',
        descriptionEn: 'A day at the Science Centre.',
        opensAt: new Date(now - 3_600_000).toISOString(),
        deadlineAt: new Date(now + 10 * 86_400_000).toISOString(),
        priceCents: PRICE,
        feePer: null,
        required: false,
        stockLimit: null,
        perStudentLimit: null,
        reminderDaysBefore: 3,
        targets: ['4', '5', '6'].map((g) => ({ kind: 'grade', value: g })),
        variants: [],
        dates: [],
        outing: { startsOn: addDays(today, 62), endsOn: addDays(today, 62), startTime: '08:45', endTime: '15:00', destination: 'Centre des sciences', venueLimit: null, busCount: 2, seatsPerBus: 48, staffCount: 8, chaperoneRatio: 10 },
        questions: [{ kind: 'yes_no', labelFr: 'Mon enfant peut être photographié.', labelEn: 'My child may be photographed.', choices: [], required: true }],
      },
    },
    session,
  )
  outingId = created.id as string
  await rpc('catalogue.publish', { id: outingId, version: created.version, confirmWarnings: true }, session)
  kids = (
    db()
      .prepare(
        `SELECT s.id, s.first_name AS first, s.last_name AS last, s.medical_alert AS alert,
                (SELECT guardian_id FROM student_guardians g WHERE g.student_id = s.id ORDER BY is_primary DESC LIMIT 1) AS guardian
         FROM students s WHERE s.school_id = ? AND s.status = 'active' AND s.grade IN ('4', '5', '6') ORDER BY s.id`,
      )
      .all(schoolId) as Kid[]
  ).filter((k) => k.guardian)
  await signIn(app.page, 'direction')
  await app.page.getByRole('heading', { level: 1 }).waitFor()
})
afterAll(() => app?.close())

describe('Sorties', () => {
  it('fills from consents up to the seats, waitlists the rest in consent order, promotes them with a third bus, and prints the roster by bus', async () => {
    const { page } = app
    // 8 staff and 9 volunteers on 2 buses of 48: 79 seats for students.
    const chaperones = 9
    const seats = 2 * 48 - 8 - chaperones
    expect(kids.length, 'grades 4–6 of the demo school outnumber the seats').toBeGreaterThan(seats)
    const first = kids.slice(0, 40)
    parentsAnswer(first, app.now() + 2 * DAY)

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Sorties' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sorties' }).waitFor()
    await page.getByRole('link', { name: TITLE }).click()
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor()
    const gauges = page.getByRole('region', { name: 'Places et accompagnateurs' })
    await gauges.getByText(`40 sur ${2 * 48 - 8}`).waitFor()

    // The volunteers, with their police records check; the ratio 1:10 asks for one per ten students.
    for (let i = 1; i <= chaperones; i++) {
      await page.getByLabel('Nom', { exact: true }).fill(`Bénévole ${i}`)
      await page.getByLabel('Vérification des antécédents valide jusqu’au').fill(addDays(localDateOf(new Date(app.now()), 'America/Toronto'), 284))
      await page.getByRole('button', { name: 'Ajouter l’accompagnateur' }).click()
      await page.getByRole('cell', { name: `Bénévole ${i}`, exact: true }).waitFor()
    }
    await gauges.getByText(`40 sur ${seats}`).waitFor()
    await gauges.getByText(`${chaperones} sur 4`).waitFor()

    // The rest of the families answer: the seats fill in consent order, the others wait.
    const rest = kids.slice(40)
    parentsAnswer(rest, app.now() + 4 * DAY)
    await page.getByRole('link', { name: 'Sorties' }).first().click()
    await page.getByRole('link', { name: TITLE }).click()
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor()
    await gauges.getByText(`${seats} sur ${seats}`).waitFor()
    const waiting = kids.slice(seats)
    const waitlist = page.getByRole('region', { name: `Liste d’attente (${waiting.length})` }).or(page.locator('section', { has: page.getByRole('heading', { name: `Liste d’attente (${waiting.length})` }) }))
    const names = await waitlist.first().getByRole('listitem').allTextContents()
    expect(names.map((n) => n.replace(/\s*\(.*\)$/, '').trim())).toEqual(waiting.map((k) => `${k.first} ${k.last}`))
    await expectAccessible(page, 'the outing')

    // A third bus: the waitlist gets its seats, first in line first.
    await page.getByLabel('Autobus', { exact: true }).fill('3')
    await page.getByRole('button', { name: 'Enregistrer le plan' }).click()
    await page.getByText(`Plan enregistré : ${waiting.length} élèves de la liste d’attente ont une place.`).waitFor()
    await gauges.getByText(`${kids.length} sur ${3 * 48 - 8 - chaperones}`).waitFor()
    await page.getByText('Personne sur la liste d’attente.').waitFor()

    // The roster by bus: every confirmed student once, under a bus, with their medical alert.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Liste par autobus (PDF)' }).click()])
    const pages = await pdfPages(await readFile((await download.path())!))
    const text = pages.join('\n').replace(/\s+/g, ' ')
    expect(text).toMatch(/Autobus 1/)
    expect(text).toMatch(/Autobus 3/)
    for (const k of kids) expect(text, `${k.first} ${k.last}`).toContain(`${k.last}, ${k.first}`)
    for (const k of kids.filter((x) => x.alert)) expect(text).toContain(k.alert!)
  })
})
