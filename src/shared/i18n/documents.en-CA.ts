import type { documentsFrCA } from './documents.fr-CA'

export const documentsEnCA: Record<keyof typeof documentsFrCA, string> = {
  'doc.receipt.title': 'Receipt',
  'doc.receipt.number': 'Receipt no. {number}',
  'doc.receipt.date': 'Date',
  'doc.receipt.family': 'Family',
  'doc.receipt.student': 'Student',
  'doc.receipt.item': 'Item',
  'doc.receipt.detail': 'Detail',
  'doc.receipt.quantity': 'Qty',
  'doc.receipt.amount': 'Amount',
  'doc.receipt.total': 'Total paid',
  'doc.receipt.card': '{brand} card ending in {last4}',
  'doc.receipt.channel': '{channel, select, kiosk {Paid at the school office (kiosk)} other {Paid online}}',
  'doc.receipt.refunds': 'Refunds',
  'doc.receipt.refundStatus': '{status, select, succeeded {refunded} pending {in progress} other {failed}}',
  'doc.receipt.net': 'Net after refunds',
  'doc.receipt.demo': 'Demo — no real payment',
  'doc.receipt.footer': 'Keep this receipt. Questions: the school office, {phone}.',
  'doc.generated': 'Produced by Guichet on {date}',
  'doc.page': 'Page {page} of {pages}',
}
