/** Accessible names that no visible heading gives: what a screen reader announces, and what the tests find things by. */
export const namesFrCA = {
  'names.calendar.day': 'Articles du {date}',
  'names.editor.state': 'État de l’article',
  'names.kiosk': 'Kiosque des parents',
} as const
