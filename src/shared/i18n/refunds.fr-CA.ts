/**
 * Messages of refunds, waivers and family credits: their errors, the codes the refund services
 * give (besides the money rules' and processors' codes, which are in codes.*), and the words for
 * a refund's state. The money amounts arrive already formatted ({amount}, {threshold}).
 */
export const refundsFrCA = {
  'error.REFUND_REFUSED': 'Ce remboursement n’est pas possible : voyez la raison indiquée pour chaque ligne. Rien n’a été remboursé.',
  'error.REFUND_NEEDS_PRINCIPAL': 'Un remboursement de {amount} dépasse le seuil de l’école ({threshold}) : il revient à la direction.',
  'error.REFUND_NOT_CANCELLED': 'Le remboursement en bloc se fait pour une date ou un article annulé. Annulez-le d’abord, avec une raison.',
  'error.REFUND_NOTHING_LEFT': 'Il n’y a plus rien à rembourser : tout a déjà été remboursé, est en cours de remboursement ou a été porté au crédit de la famille.',
  'error.REFUND_NOT_FAILED': 'Seul un remboursement échoué, qui n’a pas encore été repris ni porté au crédit, peut être repris ou porté au crédit.',
  'error.PROCESSOR_UNAVAILABLE': 'Ce paiement a été fait par Stripe, qui n’est pas configuré sur ce poste. Entrez la clé Stripe dans Paramètres, puis réessayez.',
  'error.WAIVER_REFUSED': 'Cette exemption n’est pas possible : voyez la raison indiquée. Rien n’a été modifié.',
  'error.CREDIT_REFUSED': 'Ce crédit ne peut pas servir à cette commande : le montant dépasse le solde de la famille, ou la commande est celle d’une autre école ou famille.',

  'refund.notPaid': 'Cette ligne n’a pas été payée : il n’y a rien à rembourser.',
  'refund.otherSchool': 'Cette ligne est celle d’une autre école : remboursez chaque école séparément.',
  'waiver.notWaivable': 'Seuls une cotisation ou une sortie peuvent faire l’objet d’une exemption.',
  'waiver.otherSchool': 'Cet élève ne fréquente pas l’école de cet article.',

  'refunds.state.queued': 'En attente',
  'refunds.state.sent': 'Envoyé',
  'refunds.state.waiting': 'En cours chez le processeur',
  'refunds.state.succeeded': 'Remboursé',
  'refunds.state.failed': 'Échoué',
  'refunds.state.retried': 'Échoué, repris',
  'refunds.state.credited': 'Échoué, porté au crédit',
  'refunds.state.toCredit': 'Remboursé : remis au crédit familial',
  'refunds.toCreditTitle': '{count, plural, one {# remboursement remis} other {# remboursements remis}} au crédit familial ({amount}) : la part que la famille avait payée avec son crédit',
  'refunds.col.state': 'État',
  'refunds.creditNote': '{whole, select, yes {Cette commande a été payée avec le crédit familial : ce qui est remboursé est remis au crédit familial, tout de suite.} other {Cette commande a été payée en partie avec le crédit familial ({amount}) : la carte est remboursée d’abord, puis le reste est remis au crédit familial, tout de suite.}}',
  'refunds.reversed': 'Remboursé, puis refusé par la banque',
  'refunds.progress': '{done, number} sur {total, number} traités, {failed, plural, =0 {aucun échec} one {# échec} other {# échecs}}',
  'refunds.kind.lines': 'Lignes',
  'refunds.kind.order': 'Commande entière',
  'refunds.kind.program_date': 'Date annulée',
  'refunds.kind.offering': 'Article annulé',
  'refunds.kind.retry': 'Nouvel essai',
  'refunds.failure.expired_or_canceled_card': 'La carte est expirée ou annulée.',
  'refunds.failure.lost_or_stolen_card': 'La carte a été déclarée perdue ou volée.',
  'refunds.failure.declined': 'La banque a refusé le remboursement.',
  'refunds.failure.unknown': 'Le processeur n’a pas donné de raison.',
  'waivers.covered': 'Couvert',
  'credits.granted': 'Crédit accordé',
  'credits.used': 'Crédit utilisé',
} as const
