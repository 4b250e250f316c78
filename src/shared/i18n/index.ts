import { accountsEnCA } from './accounts.en-CA'
import { accountsFrCA } from './accounts.fr-CA'
import { refusalsEnCA } from './refusals.en-CA'
import { refusalsFrCA } from './refusals.fr-CA'
import { codesEnCA } from './codes.en-CA'
import { codesFrCA } from './codes.fr-CA'
import { kioskEnCA } from './kiosk.en-CA'
import { kioskFrCA } from './kiosk.fr-CA'
import { dashboardEnCA } from './dashboard.en-CA'
import { dashboardFrCA } from './dashboard.fr-CA'
import { catalogueUiEnCA } from './catalogue-ui.en-CA'
import { catalogueUiFrCA } from './catalogue-ui.fr-CA'
import { catalogueEnCA } from './catalogue.en-CA'
import { catalogueFrCA } from './catalogue.fr-CA'
import { documentsEnCA } from './documents.en-CA'
import { documentsFrCA } from './documents.fr-CA'
import { enCA } from './en-CA'
import { frCA } from './fr-CA'
import { moneyUiEnCA } from './money-ui.en-CA'
import { namesEnCA } from './names.en-CA'
import { namesFrCA } from './names.fr-CA'
import { moneyUiFrCA } from './money-ui.fr-CA'
import { ordersUiEnCA } from './orders-ui.en-CA'
import { ordersUiFrCA } from './orders-ui.fr-CA'
import { outingsEnCA } from './outings.en-CA'
import { outingsFrCA } from './outings.fr-CA'
import { refundsEnCA } from './refunds.en-CA'
import { refundsFrCA } from './refunds.fr-CA'
import { outingsUiEnCA } from './outings-ui.en-CA'
import { outingsUiFrCA } from './outings-ui.fr-CA'
import { printingEnCA } from './printing.en-CA'
import { printingFrCA } from './printing.fr-CA'
import { reconciliationEnCA } from './reconciliation.en-CA'
import { reconciliationFrCA } from './reconciliation.fr-CA'
import { reportsUiEnCA } from './reports-ui.en-CA'
import { reportsUiFrCA } from './reports-ui.fr-CA'
import { rosterUiEnCA } from './roster-ui.en-CA'
import { rosterUiFrCA } from './roster-ui.fr-CA'
import { rosterEnCA } from './roster.en-CA'
import { rosterFrCA } from './roster.fr-CA'
import { rulesEnCA } from './rules.en-CA'
import { rulesFrCA } from './rules.fr-CA'
import { officeEnCA } from './office.en-CA'
import { officeFrCA } from './office.fr-CA'
import { syncEnCA } from './sync.en-CA'
import { syncFrCA } from './sync.fr-CA'

export const LOCALES = ['fr-CA', 'en-CA'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'fr-CA'

/**
 * The catalogues, one pair of files per area so that work on one area does not touch another's:
 * the French file of each pair is the reference, its English twin is typed to the same keys.
 */
const fr = { ...frCA, ...moneyUiFrCA, ...outingsUiFrCA, ...catalogueUiFrCA, ...catalogueFrCA, ...rosterFrCA, ...documentsFrCA, ...reportsUiFrCA, ...ordersUiFrCA, ...outingsFrCA, ...refundsFrCA, ...codesFrCA, ...dashboardFrCA, ...kioskFrCA, ...reconciliationFrCA, ...syncFrCA, ...rosterUiFrCA, ...accountsFrCA, ...rulesFrCA, ...refusalsFrCA, ...officeFrCA, ...namesFrCA, ...printingFrCA }
export type MessageKey = keyof typeof fr

export const catalogs: Record<Locale, Record<MessageKey, string>> = {
  'fr-CA': fr,
  'en-CA': { ...enCA, ...moneyUiEnCA, ...outingsUiEnCA, ...catalogueUiEnCA, ...catalogueEnCA, ...rosterEnCA, ...documentsEnCA, ...reportsUiEnCA, ...ordersUiEnCA, ...outingsEnCA, ...refundsEnCA, ...codesEnCA, ...dashboardEnCA, ...kioskEnCA, ...reconciliationEnCA, ...syncEnCA, ...rosterUiEnCA, ...accountsEnCA, ...rulesEnCA, ...refusalsEnCA, ...officeEnCA, ...namesEnCA, ...printingEnCA },
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key)
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Guardians and staff store a language ('fr' | 'en'); screens and documents use a locale. */
export function localeOf(language: 'fr' | 'en'): Locale {
  return language === 'en' ? 'en-CA' : 'fr-CA'
}
