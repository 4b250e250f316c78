import type { catalogueFrCA } from './catalogue.fr-CA'

export const catalogueEnCA: Record<keyof typeof catalogueFrCA, string> = {
  'error.CHANGE_BLOCKED': 'This change is no longer possible: families have already paid or answered.',
  'error.LIFECYCLE': 'This status change is not possible.',
  'error.CHECK_FAILED': 'The item has problems to fix before it can be published.',
  'error.WARNINGS_UNCONFIRMED': 'The item has warnings: confirm them to publish.',
  'error.IMPORT_FAILED': 'The file was not imported: fix the lines shown. Nothing was changed.',
  'error.NO_SCHOOL_YEAR': 'This school’s school year is not set. Set it in the school calendar.',
  'error.CANCEL_NEEDS_PRINCIPAL': 'Families have paid for this item: cancelling it (and its refunds) is the principal’s call.',
  'error.BAD_REQUEST':
    '{reason, select, cartEmpty {The cart has nothing for this school: add an item before paying.} nothingToPay {There is nothing to pay for this school: the cart is free or already covered.} noCardReader {No card reader is connected to this computer: pay by entering the card, or ask the office.} noPayouts {The card processor does not report its payouts: nothing to reconcile.} fetchExpired {This reconciliation is no longer in memory. Click “Reconcile” again.} other {This request cannot be processed now: reload the screen and try again.}}',
  'template.photos.title': 'Consent: photos and videos of your child',
  'template.photos.description':
    'The school sometimes publishes photos or short videos of school activities (school website, newsletter, the board’s social media). No full name ever comes with an image.',
  'template.photos.question': 'I allow the school to publish photos or videos in which my child appears.',
  'template.internet.title': 'Consent: use of the Internet and digital tools',
  'template.internet.description':
    'In class, your child uses computers, tablets and online tools approved by the board, supervised by staff, under the acceptable use policy.',
  'template.internet.question': 'I allow my child to use the Internet and the school’s digital tools.',
  'template.walks.title': 'Consent: walks in the neighbourhood',
  'template.walks.description':
    'During the year, classes take short walks near the school (park, library, church), with staff. Families are told ahead of time.',
  'template.walks.question': 'I allow my child to take part in neighbourhood walks during the school year.',
}
