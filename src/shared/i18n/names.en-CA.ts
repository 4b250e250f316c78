import type { namesFrCA } from './names.fr-CA'

export const namesEnCA: Record<keyof typeof namesFrCA, string> = {
  'names.calendar.day': 'Items on {date}',
  'names.editor.state': 'Item state',
  'names.kiosk': 'Parents’ kiosk',
}
