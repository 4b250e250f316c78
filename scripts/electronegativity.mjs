#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security scanner) on the code that runs in Electron:
// src/main and src/preload by default, or the directories given on the command line.
//
//   node scripts/electronegativity.mjs [--report <file.csv|file.json>] [dir ...]
//
// Exit code: 0 no HIGH or MEDIUM finding; 1 at least one; 2 the scan itself failed (nothing to
// scan, a file the scanner could not parse, a crash). Electronegativity's CLI always exits 0,
// so it cannot gate anything by itself.
//
// Why the scanner's API and not its CLI: the CLI's CSV writer writes the header and the rows
// with two concurrent fs.writeFile calls (the header can truncate the rows), its SARIF has no
// severity, and it does not report files it failed to parse. The API returns all three; this
// script writes the report itself.
//
// The directories are copied into one temporary folder and scanned together: the global checks
// (CSP, navigation limits, permission handler) must see the main process and the preload at once.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const SCANNED_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx', '.html', '.htm'])
const SEVERITY_ORDER = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']
const FAILING = new Set(['HIGH', 'MEDIUM'])
// Its only input is package.json, which is not scanned here, and it downloads Electron's release list.
const EXCLUDED_CHECKS = ['availablesecurityfixesglobalcheck']

function parseArgs(argv) {
  const dirs = []
  let report = join(tmpdir(), 'guichet-electronegativity.csv')
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--report') report = resolve(argv[++i] ?? fail('--report needs a file name'))
    else if (arg.startsWith('-')) fail(`unknown option ${arg}`)
    else dirs.push(resolve(arg))
  }
  if (dirs.length === 0) dirs.push(join(root, 'src/main'), join(root, 'src/preload'))
  if (!/\.(csv|json)$/.test(report)) fail('--report must end in .csv or .json')
  return { dirs, report }
}

function fail(message) {
  console.error(`electronegativity: ${message}`)
  process.exit(2)
}

function listFiles(dir) {
  const files = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listFiles(path))
    else if (SCANNED_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(path)
  }
  return files
}

function csvField(value) {
  return `"${String(value ?? '').replace(/"/g, '""')}"`
}

function writeReport(file, findings) {
  mkdirSync(dirname(file), { recursive: true })
  if (file.endsWith('.json')) {
    writeFileSync(file, JSON.stringify(findings, null, 2) + '\n')
    return
  }
  const header = ['issue', 'severity', 'confidence', 'manualReview', 'file', 'location', 'sample', 'description', 'url']
  const rows = findings.map((f) =>
    [f.id, f.severity, f.confidence, f.manualReview, f.file, `${f.line}:${f.column}`, f.sample, f.description, f.url].map(csvField).join(','),
  )
  writeFileSync(file, [header.join(','), ...rows].join('\n') + '\n')
}

async function main() {
  const { dirs, report } = parseArgs(process.argv.slice(2))
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
  const scannerVersion = JSON.parse(readFileSync(require.resolve('@doyensec/electronegativity/package.json'), 'utf8')).version

  const work = mkdtempSync(join(tmpdir(), 'guichet-eng-'))
  // fail() exits at once: clean up on the way out whatever the path.
  process.on('exit', () => rmSync(work, { recursive: true, force: true }))
  {
    // One copy per input, under a name that maps findings back to the real path.
    const copies = dirs.map((dir, index) => {
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) fail(`not a directory: ${dir}`)
      const copy = join(work, `${index}-${basename(dir)}`)
      cpSync(dir, copy, { recursive: true, filter: (path) => !path.split(sep).includes('node_modules') })
      return { dir, copy }
    })
    const original = (file) => {
      const match = copies.find(({ copy }) => file === copy || file.startsWith(copy + sep))
      return match ? relative(root, join(match.dir, relative(match.copy, file))) || '.' : file
    }

    const files = listFiles(work)
    if (files.length === 0) fail(`no .js/.ts/.tsx/.html file in ${dirs.map((d) => relative(root, d) || '.').join(', ')}`)

    // The scanner talks on stdout (translation download notes); keep it out of the summary.
    process.env.LANG = 'en-US'
    const notes = []
    const log = console.log
    console.log = (...args) => notes.push(args.join(' '))
    let result
    try {
      const run = require('@doyensec/electronegativity')
      result = await run({ input: work, electronVersionOverride: electronVersion, excludeFromScan: EXCLUDED_CHECKS })
    } finally {
      console.log = log
    }

    const findings = result.issues
      .map((issue) => ({
        id: issue.id,
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        manualReview: Boolean(issue.manualReview),
        file: issue.file === 'N/A' ? '(global)' : original(issue.file),
        line: issue.location?.line ?? 0,
        column: issue.location?.column ?? 0,
        sample: issue.sample ?? '',
        description: issue.description ?? '',
        url: `https://github.com/doyensec/electronegativity/wiki/${issue.id}`,
      }))
      .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.file.localeCompare(b.file) || a.line - b.line)
    writeReport(report, findings)

    const parseErrors = result.errors.filter((e) => !e.tolerable)
    const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length]))

    console.log(`Electronegativity ${scannerVersion}, assuming Electron ${electronVersion}; ${result.atomicChecks} atomic and ${result.globalChecks} global checks`)
    console.log(`${files.length} files scanned:`)
    for (const file of files) console.log(`  ${original(file)}`)
    for (const f of findings) {
      console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}${f.manualReview ? ' (review)' : ''}  ${f.file}${f.line ? `:${f.line}` : ''}`)
      if (f.sample) console.log(`${' '.repeat(24)}${f.sample}`)
    }
    for (const e of result.errors) console.log(`${e.tolerable ? 'parse warning' : 'PARSE ERROR'}: ${original(e.file)}: ${e.message}`)
    for (const note of notes) if (note.trim()) console.log(`scanner: ${note.trim()}`)
    console.log(`findings: ${SEVERITY_ORDER.map((s) => `${counts[s]} ${s}`).join(', ')}; report: ${report}`)

    if (parseErrors.length > 0) fail(`${parseErrors.length} file(s) could not be parsed, so they were not checked`)
    const failing = findings.filter((f) => FAILING.has(f.severity))
    if (failing.length > 0) {
      console.error(`electronegativity: ${failing.length} HIGH/MEDIUM finding(s)`)
      process.exitCode = 1
    }
  }
}

main().catch((error) => fail(error?.stack ?? String(error)))
