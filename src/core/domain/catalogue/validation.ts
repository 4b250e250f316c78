import {
  CATALOGUE_LIMITS,
  CancelReasonSchema,
  CutoffRuleSchema,
  DayOffSchema,
  OfferingDraftSchema,
  ProgramDatesRequestSchema,
  type OfferingDraftParsed,
} from '../../../shared/contract/catalogue-schemas'
import type { OfferingDraft } from './types'

export { CATALOGUE_LIMITS, CancelReasonSchema, CutoffRuleSchema, DayOffSchema, OfferingDraftSchema, ProgramDatesRequestSchema }

/** A parsed draft must be usable wherever the domain takes one; the compiler holds us to it. */
const parsedIsDraft: (parsed: OfferingDraftParsed) => OfferingDraft = (parsed) => parsed
void parsedIsDraft

export interface ValidationIssue {
  /** Path into the edit form, as the checker gives it: 'variants.2.priceCents'. */
  field: string
  /** 'validation.*' code; 'validation.invalid' for a malformed value without its own code. */
  code: string
}

export type ValidationResult = { ok: true; value: OfferingDraftParsed } | { ok: false; issues: ValidationIssue[] }

/** The hard limits: input that fails here is refused outright, whatever its status. */
export function validateOfferingDraft(input: unknown): ValidationResult {
  const result = OfferingDraftSchema.safeParse(input)
  if (result.success) return { ok: true, value: result.data }
  const seen = new Set<string>()
  const issues: ValidationIssue[] = []
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.')
    const code = issue.message.startsWith('validation.') ? issue.message : 'validation.invalid'
    const key = `${field}|${code}`
    if (!seen.has(key)) issues.push({ field, code })
    seen.add(key)
  }
  return { ok: false, issues }
}
