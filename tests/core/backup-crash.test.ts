import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { checkCopy, listBackups, runBackup } from '../../src/core/services/backups'
import { Board, T0, tempDir } from './fixtures'

/**
 * A backup killed (SIGKILL) in the middle of the copy: the earlier backup is intact, the half
 * copy never looks like a backup, and the next run removes it and makes a good one.
 */
const CHILD = resolve(__dirname, '../support/backup-crash-child.ts')

describe('a backup killed half-way', () => {
  it('leaves the earlier backups intact, and the next run clean', { timeout: 120_000 }, async () => {
    const dir = tempDir()
    try {
      const file = join(dir.dir, 'g.sqlite')
      const folder = join(dir.dir, 'sauvegardes')
      mkdirSync(folder)
      const core = await createCore({ file, appVersion: 'test' })
      const b = new Board(core.connection.raw)
      const school = b.school()
      // A few megabytes, so the copy takes many steps.
      const insert = core.connection.raw.prepare(`INSERT INTO audit_log (at, actor, action, detail) VALUES (?, 'test', 'test.fill', ?)`)
      core.connection.raw.transaction(() => {
        for (let i = 0; i < 6000; i += 1) insert.run(T0, JSON.stringify({ schoolId: school, filler: 'x'.repeat(600) }))
      })()
      const earlier = await runBackup(core.connection.raw, { folder, at: T0, reason: 'manual' })
      await core.close()

      const later = '2026-11-21T15:00:00.000Z'
      let output = ''
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, CRASH_DB: file, CRASH_FOLDER: folder, CRASH_AT: later }, stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout.on('data', (d: Buffer) => (output += d.toString()))
      child.stderr.on('data', (d: Buffer) => (output += d.toString()))
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      const deadline = Date.now() + 60_000
      while ((output.match(/step/g) ?? []).length < 5) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the child did not start its copy: ${output}`)
        await new Promise((r) => setTimeout(r, 5))
      }
      child.kill('SIGKILL')
      await exited
      expect(output).not.toContain('finished')

      // The half copy is there under its .partial name, and is not listed.
      const partial = readdirSync(folder).filter((f) => f.endsWith('.partial'))
      expect(partial).toHaveLength(1)
      expect(listBackups(folder)).toEqual([earlier])
      expect(checkCopy(join(folder, earlier.name))).toMatchObject({ ok: true })

      const again = await createCore({ file, appVersion: 'test' })
      const nextDay = '2026-11-22T15:00:00.000Z'
      const next = await runBackup(again.connection.raw, { folder, at: nextDay, reason: 'daily' })
      await again.close()
      expect(next).toMatchObject({ ok: true, at: nextDay })
      expect(existsSync(join(folder, partial[0]!))).toBe(false)
      expect(readdirSync(folder).sort()).toEqual([earlier.name, `${earlier.name}.json`, next.name, `${next.name}.json`].sort())
      expect(listBackups(folder).map((e) => e.name)).toEqual([next.name, earlier.name])
    } finally {
      dir.cleanup()
    }
  })
})
