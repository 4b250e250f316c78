import { describe, expect, it } from 'vitest'
import { receiptPdf, type ReceiptModel } from '../../src/core/adapters/documents/receipt'
import { pdfPages } from '../support/pdf-text'

const receipt: ReceiptModel = {
  school: { name: 'École élémentaire catholique Saint-Guillaume', address: '20, rue Saint-Guillaume, Ottawa (Ontario)', phone: '613-555-0142' },
  number: 1287,
  paidAt: '2026-11-20T15:30:00.000Z',
  family: 'Isabelle Côté',
  channel: 'kiosk',
  demo: true,
  card: { brand: 'visa', last4: '4242' },
  lines: [
    { student: 'Hélène Bélanger', itemFr: 'Pizza du vendredi', itemEn: 'Friday pizza', detail: 'vendredi 11 déc. — Fromage', quantity: 1, amountCents: 300 },
    { student: 'Louis Bélanger', itemFr: 'Cotisation scolaire', itemEn: null, detail: null, quantity: 1, amountCents: 2500 },
  ],
  totalCents: 2800,
  refunds: [{ at: '2026-12-11T14:00:00.000Z', reason: 'Journée de neige', amountCents: 300, status: 'succeeded' }],
  generatedAt: '2026-12-12T13:00:00.000Z',
}

describe('the receipt', () => {
  it('says, in French and English, who paid what, how, and what was refunded since', async () => {
    const [page, more] = await pdfPages(await receiptPdf(receipt))
    expect(more).toBeUndefined()
    for (const text of [
      'École élémentaire catholique Saint-Guillaume',
      'Reçu no 1287 / Receipt no. 1287',
      'Démo — aucun paiement réel / Demo — no real payment',
      'Isabelle Côté',
      'Carte VISA se terminant par 4242 / VISA card ending in 4242',
      'Payé au secrétariat (kiosque) / Paid at the school office (kiosk)',
      'Hélène Bélanger',
      'Pizza du vendredi',
      'Friday pizza',
      'vendredi 11 déc. — Fromage',
      'Total payé / Total paid : 28,00 $ / $28.00',
      'Journée de neige',
      'Net après remboursements / Net after refunds : 25,00 $ / $25.00',
      'Page 1 de 1 / Page 1 of 1',
    ]) {
      expect(page!.replace(/\s+/g, ' ')).toContain(text)
    }
  })

  it('carries no demo warning for a real payment', async () => {
    const [page] = await pdfPages(await receiptPdf({ ...receipt, demo: false, refunds: [] }))
    expect(page).not.toContain('Démo')
    expect(page).not.toContain('Net après')
  })
})
