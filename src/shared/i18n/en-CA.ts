import type { MessageKey } from './fr-CA'

export const enCA: Record<MessageKey, string> = {
  'app.name': 'Guichet',

  'error.UNKNOWN_METHOD': 'Unknown operation: {method}.',
  'error.INVALID_INPUT': 'Some information is not valid. Nothing was changed.',
  'error.NOT_SIGNED_IN': 'Your session has ended. Please sign in.',
  'error.SESSION_LOCKED': 'Your session is locked. Enter your password to continue.',
  'error.FORBIDDEN': 'Your role does not allow this operation.',
  'error.BAD_CREDENTIALS': 'Wrong username or password.',
  'error.ACCOUNT_DISABLED': 'This account is disabled. Please see the school administration.',
  'error.NOT_FOUND': 'Not found: {what}.',
  'error.CONFLICT': 'This information was changed in the meantime. Reload and try again.',
  'error.DB_TOO_NEW':
    'This database was created by a newer version of Guichet (schema {found}; this version knows schema {known}). Update Guichet; nothing was changed.',
  'error.INTERNAL': 'An unexpected error occurred. Nothing was changed.',

  'issue.required': 'This field is required.',
  'issue.tooShort': 'Too short (at least {min, plural, one {# character} other {# characters}}).',
  'issue.tooLong': 'Too long (at most {max, plural, one {# character} other {# characters}}).',
  'issue.tooSmall': 'The value must be at least {min}.',
  'issue.tooBig': 'The value must be at most {max}.',
  'issue.invalidType': 'Invalid value.',
  'issue.invalidValue': 'Invalid choice.',
  'issue.invalidFormat': 'Invalid format.',
  'issue.unknownKeys': 'Unexpected field: {keys}.',
  'issue.invalid': 'Invalid value.',
}
