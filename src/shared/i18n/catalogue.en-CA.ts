import type { catalogueFrCA } from './catalogue.fr-CA'

export const catalogueEnCA: Record<keyof typeof catalogueFrCA, string> = {
  'error.CHANGE_BLOCKED': 'This change is no longer possible: families have already paid or answered.',
  'error.LIFECYCLE': 'This status change is not possible.',
  'error.CHECK_FAILED': 'The item has problems to fix before it can be published.',
  'error.WARNINGS_UNCONFIRMED': 'The item has warnings: confirm them to publish.',
  'error.IMPORT_FAILED': 'The file was not imported: fix the lines shown. Nothing was changed.',
  'error.NO_SCHOOL_YEAR': 'This school’s school year is not set. Set it in the school calendar.',
  'error.CANCEL_NEEDS_PRINCIPAL': 'Families have paid for this item: cancelling it (and its refunds) is the principal’s call.',
  'error.BAD_REQUEST': 'The request cannot be processed: {detail}',
}
