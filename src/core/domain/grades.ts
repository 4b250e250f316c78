import type { Grade } from '../db/schema'

export const GRADES: readonly Grade[] = ['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']

/** JK = -1, SK = 0, then the grade number: the order a school lists its students in. */
export function gradeRank(grade: Grade): number {
  return GRADES.indexOf(grade) - 1
}

export function isGrade(value: string): value is Grade {
  return (GRADES as readonly string[]).includes(value)
}
