import { z } from 'zod'
import { method } from './method'

const Tally = z.object({ added: z.number().int(), updated: z.number().int(), unchanged: z.number().int() })
export const RosterImportSummary = z.object({
  schools: Tally,
  classes: Tally,
  students: Tally.extend({ withdrawn: z.number().int() }),
  guardians: Tally,
  links: z.object({ added: z.number().int(), removed: z.number().int() }),
})

/** A OneRoster 1.1 CSV bundle: a zip, or the CSV files of a folder, by name. */
export const RosterSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('zip'), base64: z.string().min(1).max(24_000_000) }),
  z.object({ kind: z.literal('files'), files: z.record(z.string().max(100), z.string().max(16_000_000)) }),
])

const RosterIssue = z.object({ file: z.string(), line: z.number().int(), fatal: z.boolean(), message: z.string() })

export const rosterMethods = {
  /** What the bundle would change, and each bad row; nothing is written. */
  'roster.previewImport': method({
    kind: 'query',
    access: ['principal', 'admin'],
    input: z.object({ source: RosterSource }).strict(),
    output: z.object({ ok: z.boolean(), mode: z.enum(['bulk', 'delta']), summary: RosterImportSummary, issues: z.array(RosterIssue) }),
  }),
  /** Applies the bundle whole (bad rows left out), or nothing at all on a fatal error. */
  'roster.import': method({
    kind: 'command',
    access: ['principal', 'admin'],
    input: z.object({ source: RosterSource }).strict(),
    output: z.object({ summary: RosterImportSummary, skippedRows: z.number().int() }),
  }),
}
