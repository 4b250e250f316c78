import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Grade } from '../../src/core/db/schema'
import { isEligible, type EligibleStudent, type Target } from '../../src/core/domain/eligibility'
import { GRADES, gradeRank, isGrade } from '../../src/core/domain/grades'
import { queryTerms, searchKey } from '../../src/core/domain/search-key'
import { isIdleExpired } from '../../src/core/domain/session-lock'

describe('grades', () => {
  it('orders JK, SK, then 1 to 12', () => {
    expect(GRADES.map(gradeRank)).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(isGrade('SK')).toBe(true)
    expect(isGrade('K')).toBe(false)
    expect(isGrade('13')).toBe(false)
  })
})

describe('searchKey', () => {
  it.each([
    [['Hélène', 'Bélanger-Côté'], 'helene belanger cote'],
    [['  ÉMILE ', "D'Amours"], 'emile d amours'],
    [['Zoë', null, 'Ç'], 'zoe c'],
    [['marie.roy@exemple.ca'], 'marie.roy@exemple.ca'],
    [[], ''],
  ] as const)('%j → %s', (parts, key) => {
    expect(searchKey(...parts)).toBe(key)
  })

  it('gives terms that never carry a LIKE wildcard, at most six, without repeats', () => {
    expect(queryTerms('a% b_ c d e f g h a')).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    fc.assert(fc.property(fc.string(), (q) => queryTerms(q).every((t) => t.length > 0 && !/[%_\s]/.test(t))))
  })

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => searchKey(searchKey(s)) === searchKey(s)))
  })
})

describe('eligibility', () => {
  const student: EligibleStudent = { id: 's1', schoolId: 'A', grade: '3', classId: 'c3', status: 'active' }

  it.each<[string, Target[], boolean]>([
    ['whole school', [{ kind: 'school', value: 'A' }], true],
    ['another school', [{ kind: 'school', value: 'B' }], false],
    ['their grade', [{ kind: 'grade', value: '3' }], true],
    ['another grade', [{ kind: 'grade', value: '4' }], false],
    ['their class', [{ kind: 'class', value: 'c3' }], true],
    ['another class', [{ kind: 'class', value: 'c4' }], false],
    ['named', [{ kind: 'student', value: 's1' }], true],
    ['someone else named', [{ kind: 'student', value: 's2' }], false],
    ['a union of targets', [{ kind: 'grade', value: '4' }, { kind: 'student', value: 's1' }], true],
    ['no target at all', [], false],
  ])('%s', (_label, targets, expected) => {
    expect(isEligible(student, 'A', targets)).toBe(expected)
  })

  it('never crosses schools and never reaches a withdrawn student, whatever the targets', () => {
    const target = fc.record({
      kind: fc.constantFrom<Target['kind']>('school', 'grade', 'class', 'student'),
      value: fc.constantFrom('A', 'B', '3', 'c3', 's1'),
    })
    fc.assert(
      fc.property(fc.array(target), fc.constantFrom<Grade>(...GRADES), (targets, grade) => {
        const s = { ...student, grade }
        expect(isEligible(s, 'B', targets)).toBe(false)
        expect(isEligible({ ...s, status: 'withdrawn' }, 'A', targets)).toBe(false)
        // Adding a target never removes anyone.
        if (isEligible(s, 'A', targets)) expect(isEligible(s, 'A', [...targets, { kind: 'grade', value: '12' }])).toBe(true)
      }),
    )
  })
})

describe('session lock', () => {
  it('locks exactly at the delay', () => {
    expect(isIdleExpired(0, 599_999, 600)).toBe(false)
    expect(isIdleExpired(0, 600_000, 600)).toBe(true)
  })
})
