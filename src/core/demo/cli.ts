import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '../db/connection'
import { seedDemoBoard, type DemoOptions } from './seed'

const USAGE = 'usage: tsx src/core/demo/cli.ts --out FILE [--students 230,170] [--full-year] [--seed N] [--anchor YYYY-MM-DD]'

/**
 * `npm run demo -- --out demo.sqlite`: writes a demo board into a new SQLite file and prints
 * its summary as one line of JSON. An existing file is never touched.
 */
async function main(): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        students: { type: 'string' },
        'full-year': { type: 'boolean', default: false },
        seed: { type: 'string' },
        anchor: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }))
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (!values.out) {
    console.error(`--out is required\n${USAGE}`)
    return 2
  }
  if (existsSync(values.out)) {
    console.error(`${values.out} already exists; the demo board is written only into a new file.`)
    return 1
  }

  const options: DemoOptions = { anchor: new Date() }
  if (values.anchor !== undefined) {
    const day = new Date(`${values.anchor}T15:00:00Z`)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.anchor) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== values.anchor) {
      console.error(`--anchor must be a date YYYY-MM-DD\n${USAGE}`)
      return 2
    }
    // Mid-morning in Ottawa on that day (15:00 UTC is 10:00 or 11:00 there).
    options.anchor = day
  }
  if (values.students !== undefined) {
    const parts = values.students.split(',').map((s) => Number(s.trim()))
    if (parts.length !== 2 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 100_000)) {
      console.error(`--students takes two counts, e.g. 1500,100\n${USAGE}`)
      return 2
    }
    options.studentsPerSchool = [parts[0]!, parts[1]!]
  }
  if (values.seed !== undefined) {
    const seed = Number(values.seed)
    if (!Number.isSafeInteger(seed)) {
      console.error(`--seed must be an integer\n${USAGE}`)
      return 2
    }
    options.seed = seed
  }
  if (values['full-year']) options.fullYear = true

  const connection = openDatabase({ file: values.out })
  try {
    const summary = seedDemoBoard(connection.raw, options)
    console.log(JSON.stringify(summary))
  } finally {
    await connection.close()
    // Kysely closes the file only if it ever opened a connection: close it here so the WAL is folded in.
    if (connection.raw.open) connection.raw.close()
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
