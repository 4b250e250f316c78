import { describe, expect, it } from 'vitest'
import { receiptPdf } from '../../src/core/adapters/documents/receipt'
import { sampleReceipt } from './receipt-fixture'
import { pdfPages } from '../support/pdf-text'

const receipt = sampleReceipt

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

  it('names each tender with its part when the family credit paid some, and a refund that went back to it', async () => {
    const [page] = await pdfPages(
      await receiptPdf({
        ...receipt,
        creditCents: 1000,
        refunds: [{ at: '2026-12-11T14:00:00.000Z', reason: 'Journée de neige', amountCents: 300, status: 'succeeded', tender: 'credit' }],
      }),
    )
    const text = page!.replace(/\s+/g, ' ')
    expect(text).toContain('Carte VISA se terminant par 4242 / VISA card ending in 4242 : 18,00 $ / $18.00')
    expect(text).toContain('Payé avec le crédit familial / Paid with the family credit : 10,00 $ / $10.00')
    expect(text).toContain('remis au crédit familial / returned to the family credit')
    expect(text).toContain('Net après remboursements / Net after refunds : 25,00 $ / $25.00')
  })

  it('names no card when the family credit paid the whole', async () => {
    const [page] = await pdfPages(await receiptPdf({ ...receipt, card: null, creditCents: 2800, refunds: [] }))
    const text = page!.replace(/\s+/g, ' ')
    expect(text).not.toContain('VISA')
    expect(text).toContain('Payé avec le crédit familial / Paid with the family credit : 28,00 $ / $28.00')
  })

  it('carries no demo warning for a real payment', async () => {
    const [page] = await pdfPages(await receiptPdf({ ...receipt, demo: false, refunds: [] }))
    expect(page).not.toContain('Démo')
    expect(page).not.toContain('Net après')
  })
})
