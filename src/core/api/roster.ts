import { filesFromZip } from '../adapters/oneroster-zip'
import { GuichetError } from '../../shared/errors'
import type { z } from 'zod'
import type { RosterSource } from '../../shared/contract/roster'
import { readOneRosterBundle } from '../domain/roster/oneroster'
import { translateCode } from '../i18n'
import { importRoster } from '../services/roster-import'
import type { Handlers } from './types'

function read(source: z.infer<typeof RosterSource>) {
  const files = source.kind === 'zip' ? filesFromZip(Buffer.from(source.base64, 'base64')) : source.files
  return readOneRosterBundle(files)
}

export const rosterHandlers: Handlers<'roster.previewImport' | 'roster.import'> = {
  async 'roster.previewImport'({ source }, ctx) {
    const { ok, bundle, issues } = read(source)
    return {
      ok,
      mode: bundle.mode,
      summary: await importRoster(ctx.db, bundle, ctx.now, false),
      issues: issues.map((i) => ({ file: i.file, line: i.line, fatal: i.fatal, message: translateCode(ctx.locale, i.code, i.values) })),
    }
  },

  async 'roster.import'({ source }, ctx) {
    const { ok, bundle, issues } = read(source)
    if (!ok) throw new GuichetError('IMPORT_FAILED', {}, issues.filter((i) => i.fatal).map((i) => ({ path: `${i.file}.${i.line}`, key: i.code, values: i.values })))
    const summary = await importRoster(ctx.db, bundle, ctx.now, true)
    ctx.audit({ entity: 'roster', detail: { mode: bundle.mode, summary, skippedRows: issues.length } })
    return { summary, skippedRows: issues.length }
  },
}
