import { strFromU8, unzipSync } from 'fflate'
import { GuichetError } from '../../shared/errors'
import { ONEROSTER_FILES } from '../domain/roster/oneroster'

/** A bundle of a few thousand students is a few megabytes; anything far larger is refused. */
const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024

/**
 * The CSV files of a OneRoster zip, by name (folders inside the zip are ignored: some
 * exporters put the files one level down). Only the files OneRoster names are inflated.
 */
export function filesFromZip(zip: Uint8Array): Record<string, string> {
  let total = 0
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(zip, {
      filter: (file) => {
        const name = file.name.split('/').pop() ?? ''
        if (!(ONEROSTER_FILES as readonly string[]).includes(name)) return false
        total += file.originalSize
        if (total > MAX_UNZIPPED_BYTES) throw new Error('too large')
        return true
      },
    })
  } catch {
    throw new GuichetError('IMPORT_FAILED', {}, [{ path: 'file', key: 'oneroster.badZip' }])
  }
  const files: Record<string, string> = {}
  for (const [path, data] of Object.entries(entries)) files[path.split('/').pop()!] = strFromU8(data)
  return files
}
