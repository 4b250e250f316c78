import { formatMoney } from '../format'
import { MAX_AMOUNT_CENTS } from '../contract/schemas'

/**
 * Refusals of bad input: what browser mode's bridge answers when it refuses a request before the
 * core sees it, and the bounds of every amount (shared/contract/schemas.ts).
 */
export const refusalsFrCA = {
  'validation.amountNotCents': 'Le montant doit être en dollars et en cents, sans fraction de cent.',
  'validation.amountNegative': 'Le montant ne peut pas être négatif.',
  'validation.amountZero': 'Entrez un montant autre que 0 $.',
  'validation.amountTooHigh': `Le montant ne peut pas dépasser ${formatMoney(MAX_AMOUNT_CENTS, 'fr-CA')} : vérifiez-le.`,
  'budget.belowZero':
    'Ce retrait ferait passer le budget d’aide sous zéro : il en reste {remainingCents, number, ::currency/CAD scale/0.01}. Retirez au plus ce montant.',
  'error.REQUEST_REFUSED':
    '{reason, select, badRequest {La demande n’a pas pu être lue : rechargez la page et réessayez.} key {Cette page n’a pas la clé de Guichet : ouvrez l’adresse affichée au démarrage de Guichet.} method {Cette adresse ne s’utilise pas ainsi : rechargez la page.} mediaType {La demande n’est pas au bon format : rechargez la page et réessayez.} host {Guichet ne répond qu’à l’adresse 127.0.0.1 : ouvrez l’adresse affichée au démarrage.} tooLarge {La demande est trop volumineuse : choisissez un fichier plus petit.} notFound {Cette page n’existe pas : ouvrez l’adresse affichée au démarrage de Guichet.} other {La demande a été refusée : rechargez la page et réessayez.}}',
}
