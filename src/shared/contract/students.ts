import { z } from 'zod'
import { method } from './method'
import { Cents, Grade, Id, Instant, Language } from './schemas'

export const STUDENT_SORT_FIELDS = ['lastName', 'firstName', 'grade', 'className', 'schoolName'] as const
export const PAGE_SIZES = [25, 50, 100, 200] as const

export const StudentSearchInput = z
  .object({
    query: z.string().trim().max(100).default(''),
    schoolId: Id.optional(),
    grade: Grade.optional(),
    classId: Id.optional(),
    status: z.enum(['active', 'withdrawn', 'all']).default('active'),
    sort: z
      .object({ field: z.enum(STUDENT_SORT_FIELDS), direction: z.enum(['asc', 'desc']) })
      .default({ field: 'lastName', direction: 'asc' }),
    offset: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
export type StudentSearchInput = z.input<typeof StudentSearchInput>

export const StudentRow = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  grade: Grade,
  status: z.enum(['active', 'withdrawn']),
  schoolId: Id,
  schoolName: z.string(),
  classId: Id.nullable(),
  className: z.string().nullable(),
  hasMedicalAlert: z.boolean(),
})
export type StudentRow = z.infer<typeof StudentRow>

export const GuardianView = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  phoneAlt: z.string().nullable(),
  preferredLanguage: Language,
  emailBounced: z.boolean(),
  relationships: z.array(z.object({ studentId: Id, relationship: z.enum(['mother', 'father', 'guardian', 'other']) })),
})
export type GuardianView = z.infer<typeof GuardianView>

/** Where one child stands on one item: what the family bought, paid, was waived, answered. */
export const ChildItem = z.object({
  offeringId: Id,
  kind: z.enum(['product', 'program', 'fee', 'outing', 'consent_form']),
  status: z.enum(['draft', 'published', 'closed', 'archived', 'cancelled']),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  deadlineAt: Instant,
  orderedCents: Cents,
  paidCents: Cents,
  refundedCents: Cents,
  waivedCents: Cents,
  lineCount: z.number().int(),
  consent: z.enum(['granted', 'declined', 'withdrawn']).nullable(),
  needsConsent: z.boolean(),
})
export type ChildItem = z.infer<typeof ChildItem>

export const FamilyChild = z.object({
  student: StudentRow.extend({ medicalAlert: z.string().nullable() }),
  items: z.array(ChildItem),
})
export type FamilyChild = z.infer<typeof FamilyChild>

export const FamilyView = z.object({
  guardians: z.array(GuardianView),
  children: z.array(FamilyChild),
})
export type FamilyView = z.infer<typeof FamilyView>

export const studentMethods = {
  'students.search': method({
    kind: 'query',
    access: 'session',
    input: StudentSearchInput,
    output: z.object({ rows: z.array(StudentRow), total: z.number().int() }),
  }),
  /** The family around a student: the guardians and every child of theirs, across schools. */
  'families.ofStudent': method({
    kind: 'query',
    access: 'session',
    input: z.object({ studentId: Id }).strict(),
    output: FamilyView,
  }),
}
