/** Messages of the catalogue: its errors, the checker's problems, the rules' refusals. */
export const catalogueFrCA = {
  'error.CHANGE_BLOCKED': 'Cette modification n’est plus possible : des familles ont déjà payé ou répondu.',
  'error.LIFECYCLE': 'Ce changement de statut n’est pas possible.',
  'error.CHECK_FAILED': 'L’article a des problèmes à corriger avant d’être publié.',
  'error.WARNINGS_UNCONFIRMED': 'L’article a des avertissements : confirmez-les pour publier.',
  'error.IMPORT_FAILED': 'Le fichier n’a pas été importé : corrigez les lignes signalées. Rien n’a été modifié.',
  'error.NO_SCHOOL_YEAR': 'L’année scolaire de cette école n’est pas définie. Définissez-la dans le calendrier scolaire.',
  'error.CANCEL_NEEDS_PRINCIPAL': 'Des familles ont payé cet article : son annulation (et ses remboursements) revient à la direction.',
  'error.BAD_REQUEST': 'La demande ne peut pas être traitée : {detail}',
} as const
