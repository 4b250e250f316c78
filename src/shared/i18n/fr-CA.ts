/**
 * The French catalogue is the reference: every key exists here first, and the English one is
 * checked by the compiler to have exactly the same keys. Messages use ICU syntax
 * (plurals, selects, numbers); money and dates are formatted with Intl, never by hand.
 */
export const frCA = {
  'app.name': 'Guichet',

  'error.UNKNOWN_METHOD': 'Opération inconnue : {method}.',
  'error.INVALID_INPUT': 'Certaines informations sont invalides. Rien n’a été modifié.',
  'error.NOT_SIGNED_IN': 'Votre session est terminée. Veuillez vous connecter.',
  'error.SESSION_LOCKED': 'Votre session est verrouillée. Entrez votre mot de passe pour continuer.',
  'error.FORBIDDEN': 'Votre rôle ne permet pas cette opération.',
  'error.BAD_CREDENTIALS': 'Nom d’utilisateur ou mot de passe incorrect.',
  'error.ACCOUNT_DISABLED': 'Ce compte est désactivé. Adressez-vous à l’administration.',
  'error.NOT_FOUND': 'Introuvable : {what}.',
  'error.CONFLICT': 'Cette information a été modifiée entre-temps. Rechargez et réessayez.',
  'error.DB_TOO_NEW':
    'Cette base de données a été créée par une version plus récente de Guichet (schéma {found}, cette version connaît le schéma {known}). Mettez Guichet à jour; rien n’a été modifié.',
  'error.INTERNAL': 'Une erreur inattendue est survenue. Rien n’a été modifié.',

  'issue.required': 'Ce champ est obligatoire.',
  'issue.tooShort': 'Trop court (minimum {min, plural, one {# caractère} other {# caractères}}).',
  'issue.tooLong': 'Trop long (maximum {max, plural, one {# caractère} other {# caractères}}).',
  'issue.tooSmall': 'La valeur doit être au moins {min}.',
  'issue.tooBig': 'La valeur doit être au plus {max}.',
  'issue.invalidType': 'Valeur invalide.',
  'issue.invalidValue': 'Choix invalide.',
  'issue.invalidFormat': 'Format invalide.',
  'issue.unknownKeys': 'Champ inattendu : {keys}.',
  'issue.invalid': 'Valeur invalide.',
} as const

export type MessageKey = keyof typeof frCA
