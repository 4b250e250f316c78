import type { Grade } from '../db/schema'

export type TargetKind = 'school' | 'grade' | 'class' | 'student'
export interface Target {
  kind: TargetKind
  value: string
}
export interface EligibleStudent {
  id: string
  schoolId: string
  grade: Grade
  classId: string | null
  status: 'active' | 'withdrawn'
}

/**
 * Is a student eligible for an item of `schoolId` aimed at `targets`?
 * Targets add up (a union): grades 1–3 plus two named students. An item without targets
 * reaches nobody; a withdrawn student is never eligible; an item never crosses schools.
 */
export function isEligible(student: EligibleStudent, schoolId: string, targets: readonly Target[]): boolean {
  if (student.status !== 'active' || student.schoolId !== schoolId) return false
  return targets.some((t) => {
    switch (t.kind) {
      case 'school':
        return t.value === schoolId
      case 'grade':
        return t.value === student.grade
      case 'class':
        return t.value === student.classId
      case 'student':
        return t.value === student.id
    }
  })
}
