/**
 * French elides "de" before a vowel sound: "Famille d’Émile", "Mère de Léa". Names starting with
 * h are left alone (h aspiré or muet cannot be told from the spelling).
 */
export function elides(name: string): 'yes' | 'no' {
  const first = name.trim().normalize('NFD').charAt(0).toLowerCase()
  return 'aeiouy'.includes(first) && first !== '' ? 'yes' : 'no'
}
