import { z } from 'zod'
import { method } from './method'
import { Id } from './schemas'

export const SchoolView = z.object({ id: Id, code: z.string(), name: z.string() })
export type SchoolView = z.infer<typeof SchoolView>
export const ClassView = z.object({ id: Id, schoolId: Id, code: z.string(), name: z.string(), teacher: z.string().nullable() })
export type ClassView = z.infer<typeof ClassView>

export const systemMethods = {
  /** What the sign-in screen may show before anyone signs in: no personal data. */
  'system.info': method({
    kind: 'query',
    access: 'public',
    input: z.object({}).strict(),
    output: z.object({ appVersion: z.string(), schemaVersion: z.number().int(), demo: z.boolean() }),
  }),
  'schools.list': method({
    kind: 'query',
    access: 'session',
    input: z.object({}).strict(),
    output: z.array(SchoolView),
  }),
  'classes.list': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id.optional() }).strict(),
    output: z.array(ClassView),
  }),
}
