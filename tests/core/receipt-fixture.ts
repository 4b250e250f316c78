import type { ReceiptModel } from '../../src/core/adapters/documents/receipt'

/** One receipt with every part: two children, a program date, a refund since, demo. */
export const sampleReceipt: ReceiptModel = {
  school: { name: 'École élémentaire catholique Saint-Guillaume', address: '20, rue Saint-Guillaume, Ottawa (Ontario)', phone: '613-555-0142' },
  number: 1287,
  paidAt: '2026-11-20T15:30:00.000Z',
  family: 'Isabelle Côté',
  channel: 'kiosk',
  demo: true,
  card: { brand: 'visa', last4: '4242' },
  creditCents: 0,
  lines: [
    { student: 'Hélène Bélanger', itemFr: 'Pizza du vendredi', itemEn: 'Friday pizza', detail: 'vendredi 11 déc. — Fromage', quantity: 1, amountCents: 300 },
    { student: 'Louis Bélanger', itemFr: 'Cotisation scolaire', itemEn: null, detail: null, quantity: 1, amountCents: 2500 },
  ],
  totalCents: 2800,
  refunds: [{ at: '2026-12-11T14:00:00.000Z', reason: 'Journée de neige', amountCents: 300, status: 'succeeded', tender: 'card' }],
  generatedAt: '2026-12-12T13:00:00.000Z',
}
