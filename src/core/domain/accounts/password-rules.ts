import { MIN_PASSWORD_LENGTH } from '../../../shared/password-length'

/**
 * What a staff password must be (issue 14): long enough, not a common password (French and
 * English, the school's own words among them), and not built on the person's username or name.
 * NIST SP 800-63B's approach: length and a blocklist, no forced mix of symbols.
 */
export { MIN_PASSWORD_LENGTH }
export const MAX_PASSWORD_LENGTH = 200

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'personal' | 'repetitive'

/**
 * Passwords people pick, folded (accents and case gone, letters only): the usual English list's
 * head, their French equivalents, and the words a school office would reach for first.
 */
const COMMON_WORDS = new Set([
  'password', 'passw', 'passwd', 'qwerty', 'qwertyuiop', 'azerty', 'azertyuiop', 'abc', 'abcdef', 'abcdefgh', 'letmein', 'welcome', 'iloveyou',
  'admin', 'administrator', 'administrateur', 'login', 'master', 'monkey', 'dragon', 'football', 'hockey', 'baseball', 'soccer', 'sunshine',
  'princess', 'shadow', 'superman', 'batman', 'trustno', 'whatever', 'starwars', 'changeme', 'secret', 'default', 'guest', 'test', 'user',
  'motdepasse', 'mdp', 'bonjour', 'bienvenue', 'soleil', 'chocolat', 'doudou', 'loulou', 'jetaime', 'amour', 'coucou', 'nicolas', 'marseille',
  'canada', 'ontario', 'ottawa', 'toronto', 'quebec', 'montreal', 'canadiens', 'habs', 'leafs', 'senators',
  'guichet', 'ecole', 'school', 'conseil', 'board', 'catholique', 'catholic', 'secretaire', 'secretary', 'direction', 'principal', 'directrice',
  'directeur', 'bureau', 'office', 'eleve', 'eleves', 'student', 'students', 'parent', 'parents', 'famille', 'magasin', 'store', 'classe',
  'automne', 'hiver', 'printemps', 'ete', 'janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre',
  'novembre', 'decembre', 'summer', 'winter', 'spring', 'autumn', 'fall',
])

/** Letters only, accents and case folded: « Motdepasse2026! » and « mot-de-passe » both read "motdepasse". */
function letters(value: string): string {
  return value.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}]+/gu, '')
}

const RUNS = ['0123456789'.repeat(4), 'abcdefghijklmnopqrstuvwxyz'.repeat(2), 'qwertyuiopasdfghjklzxcvbnm', 'azertyuiopqsdfghjklmwxcvbn']

/** Few distinct characters, or a run along the digits, the alphabet or a keyboard row, either way. */
function isSequenceOrRepeat(value: string): boolean {
  const lower = value.toLowerCase()
  if (new Set(lower).size <= 3) return true
  const reversed = [...lower].reverse().join('')
  return RUNS.some((run) => run.includes(lower) || run.includes(reversed))
}

const LEET: Record<string, string> = { '@': 'a', $: 's', '€': 'e', '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' }

/** The readings of a password to compare with words: as typed, and with « P@$$w0rd » spelled out. */
function readings(password: string): string[] {
  return [...new Set([letters(password), letters(password.replace(/[@$€]/g, (c) => LEET[c]!)), letters(password.replace(/[@$€013457]/g, (c) => LEET[c] ?? c))])]
}

/**
 * The first problem of `password` for this person, or null when it may be used. `personal` is a
 * password that is mostly the username or a part of the name (4 letters or more), plus digits or
 * symbols; `common` is a common word, repeated or with digits and symbols around it.
 */
export function passwordProblem(password: string, person: { username: string; displayName: string }): PasswordProblem | null {
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) return 'tooShort'
  if (length > MAX_PASSWORD_LENGTH) return 'tooLong'
  if (isSequenceOrRepeat(password)) return 'repetitive'
  const cores = readings(password)
  const personal = [person.username, ...person.displayName.split(/[\s\-'’.]+/)].map(letters).filter((p) => p.length >= 4)
  if (cores.some((core) => personal.some((p) => core === p || (core.includes(p) && core.length - p.length < 4)))) return 'personal'
  if (cores.some((core) => core.length === 0 || COMMON_WORDS.has(core) || isRepeatOfCommon(core))) return 'common'
  return null
}

/** "motdepassemotdepasse", "soleilsoleil": a common word said again is still that word. */
function isRepeatOfCommon(core: string): boolean {
  for (const word of COMMON_WORDS) {
    if (word.length >= 3 && core.length % word.length === 0 && word.repeat(core.length / word.length) === core) return true
  }
  return false
}
