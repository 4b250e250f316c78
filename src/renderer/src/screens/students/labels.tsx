import type { StudentRow } from '../../../../shared/contract/students'
import { useT } from '../../i18n/I18n'

export type Grade = StudentRow['grade']
export const GRADES: readonly Grade[] = ['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']

/** "Maternelle", "Jardin", "3e année" / "Junior Kindergarten", "Grade 3". */
export function GradeLabel({ grade }: { grade: Grade }) {
  const t = useT()
  return <>{t('grade.label', { grade })}</>
}
