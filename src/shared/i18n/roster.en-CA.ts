import type { rosterFrCA } from './roster.fr-CA'

export const rosterEnCA: Record<keyof typeof rosterFrCA, string> = {
  'oneroster.missingFile': 'The file {file} is missing from the OneRoster bundle.',
  'oneroster.unreadable':
    'The file {file} cannot be read as CSV: {reason, select, columns {this line does not have as many columns as the header line} quotes {a quote is not closed or is misplaced} other {its format is not recognized}}. Fix the file or export it again.',
  'oneroster.missingColumn': 'The column “{column}” is missing from {file}.',
  'oneroster.unsupportedVersion': 'OneRoster version {version} is not supported: Guichet reads version 1.1.',
  'oneroster.duplicateId': 'Duplicate id in {file}: {id}. The line is skipped.',
  'oneroster.missingValue': 'Missing value in {file}, column “{column}”. The line is skipped.',
  'oneroster.badDate': 'Invalid date in {file}, column “{column}”: {value}. The line is skipped.',
  'oneroster.badGrade': 'Unknown grade: “{value}”. The line is skipped.',
  'oneroster.badRole': 'Unknown role: “{value}”. The line is skipped.',
  'oneroster.unknownSchool': 'Unknown school: {id}. The line is skipped.',
  'oneroster.notASchool': 'The organization {id} is not a school in orgs.csv (type “{type}”): a class must belong to a school. The line is skipped.',
  'oneroster.unknownClass': 'Unknown class: {id}. The line is skipped.',
  'oneroster.unknownUser': 'Unknown person: {id}. The link is skipped.',
  'oneroster.noSchool': 'Student {id} belongs to no school of the bundle. The line is skipped.',
  'oneroster.badZip': 'This file is not a readable ZIP archive (or it is too large).',
}
