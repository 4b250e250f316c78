/** The office's rules (issue 17): exceptions to deadlines, reminders. French, the reference. */
export const rulesFrCA = {
  'error.EXCEPTION_NEEDS_PRINCIPAL':
    'Les familles ont été informées que cette date limite est finale : la repousser, rouvrir l’article ou retirer un élève après la date limite revient à la direction, avec une raison.',
  'rules.exceptionReasonRequired': 'Indiquez la raison de cette exception : elle sera inscrite au journal et transmise au conseil.',
  'rules.exceptionReasonLabel': 'Raison de l’exception (direction)',
  'rules.exceptionHint': 'Après la publication, repousser une date limite ou rouvrir revient à la direction, avec une raison.',
} as const
