/** Messages of the catalogue: its errors, the checker's problems, the rules' refusals. */
export const catalogueFrCA = {
  'error.CHANGE_BLOCKED': 'Cette modification n’est plus possible : des familles ont déjà payé ou répondu.',
  'error.LIFECYCLE': 'Ce changement de statut n’est pas possible.',
  'error.CHECK_FAILED': 'L’article a des problèmes à corriger avant d’être publié.',
  'error.WARNINGS_UNCONFIRMED': 'L’article a des avertissements : confirmez-les pour publier.',
  'error.IMPORT_FAILED': 'Le fichier n’a pas été importé : corrigez les lignes signalées. Rien n’a été modifié.',
  'error.NO_SCHOOL_YEAR': 'L’année scolaire de cette école n’est pas définie. Définissez-la dans le calendrier scolaire.',
  'error.CANCEL_NEEDS_PRINCIPAL': 'Des familles ont payé cet article : son annulation (et ses remboursements) revient à la direction.',
  'error.BAD_REQUEST':
    '{reason, select, cartEmpty {Le panier n’a rien pour cette école : ajoutez un article avant de payer.} nothingToPay {Il n’y a rien à payer pour cette école : le panier est gratuit ou déjà couvert.} noCardReader {Aucun terminal de paiement n’est relié à ce poste : payez en entrant la carte, ou demandez au secrétariat.} noPayouts {Le processeur de paiement ne donne pas ses dépôts : rien à rapprocher.} fetchExpired {Ce rapprochement n’est plus en mémoire. Cliquez de nouveau sur « Rapprocher ».} other {Cette demande ne peut pas être traitée maintenant : rechargez l’écran et réessayez.}}',
  'template.photos.title': 'Consentement : photos et vidéos de votre enfant',
  'template.photos.description':
    'L’école publie parfois des photos ou de courtes vidéos d’activités scolaires (site web de l’école, infolettre, médias sociaux du Conseil). Aucun nom complet n’accompagne une image.',
  'template.photos.question': 'J’autorise l’école à publier des photos ou des vidéos où mon enfant apparaît.',
  'template.internet.title': 'Consentement : utilisation d’Internet et des outils numériques',
  'template.internet.description':
    'Votre enfant utilise en classe des ordinateurs, des tablettes et des outils en ligne approuvés par le Conseil, sous la supervision du personnel, selon la politique d’utilisation acceptable.',
  'template.internet.question': 'J’autorise mon enfant à utiliser Internet et les outils numériques de l’école.',
  'template.walks.title': 'Consentement : sorties à pied dans le quartier',
  'template.walks.description':
    'Pendant l’année, les classes font de courtes sorties à pied près de l’école (parc, bibliothèque, église), accompagnées du personnel. Les familles sont avisées à l’avance.',
  'template.walks.question': 'J’autorise mon enfant à participer aux sorties à pied dans le quartier pendant l’année scolaire.',
} as const
