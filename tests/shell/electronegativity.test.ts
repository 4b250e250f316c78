import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// scripts/electronegativity.mjs, run as CI runs it: on a deliberately bad window (to prove the
// scanner reads our TypeScript and the script fails on what it finds) and on src/main + src/preload.

interface Finding {
  id: string
  severity: string
  file: string
  line: number
}

const SCRIPT = resolve('scripts/electronegativity.mjs')
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-eng-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(report: string, dirs: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [SCRIPT, '--report', report, ...dirs], { timeout: 60_000 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: stdout + stderr })
    })
  })
}

async function scan(name: string, dirs: string[]): Promise<{ status: number | null; stdout: string; findings: Finding[] }> {
  const report = join(dir, `${name}.json`)
  const { status, stdout } = await run(report, dirs)
  const findings = JSON.parse(readFileSync(report, 'utf8')) as Finding[]
  return { status, stdout, findings }
}

// Each scan waits about 3 s for the scanner's translation download to give up offline: in parallel.
describe.concurrent('electronegativity', () => {
  it('finds a window without isolation or sandbox, written in TypeScript', async () => {
    const bad = join(dir, 'bad')
    mkdirSync(bad)
    writeFileSync(
      join(bad, 'window.ts'),
      [
        "import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'",
        'interface Options { preload: string }',
        'export function open({ preload }: Options): BrowserWindow {',
        '  const window = new BrowserWindow({',
        '    webPreferences: {',
        '      preload,',
        '      nodeIntegration: true,',
        '      contextIsolation: false,',
        '      sandbox: false,',
        '    },',
        '  } satisfies BrowserWindowConstructorOptions)',
        '  return window as BrowserWindow',
        '}',
      ].join('\n'),
    )
    const { status, stdout, findings } = await scan('bad', [bad])
    expect(stdout).toContain('1 files scanned')
    expect(status).toBe(1)
    const ids = findings.filter((f) => f.file.endsWith('window.ts')).map((f) => `${f.severity} ${f.id}`)
    expect(ids).toContain('HIGH CONTEXT_ISOLATION_JS_CHECK')
    expect(ids).toContain('MEDIUM SANDBOX_JS_CHECK')
  })

  it('stops with an error when a file cannot be parsed (so it was not checked)', async () => {
    const broken = join(dir, 'broken')
    mkdirSync(broken)
    writeFileSync(join(broken, 'index.ts'), 'export const = ;\n')
    const { status, stdout } = await run(join(dir, 'broken.json'), [broken])
    expect(status).toBe(2)
    expect(stdout).toMatch(/could not be parsed/)
  })

  it('finds no HIGH or MEDIUM issue in src/main and src/preload', async () => {
    const { status, stdout, findings } = await scan('app', [])
    expect(stdout).toMatch(/src\/main\/window\.ts/)
    expect(stdout).toMatch(/src\/preload\/index\.ts/)
    expect(findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM')).toEqual([])
    expect(status).toBe(0)
  })
})
