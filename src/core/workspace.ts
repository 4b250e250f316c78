import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { WorkspaceControl } from './api/types'
import { createCore, type Core, type CoreOptions } from './index'
import type { SecretBox } from './services/secrets'

/**
 * Which database the app opens (issue 14): the install's own, empty until its first admin and
 * the board's feed fill it, or the demo's, in a file of its own so that demo families and
 * payments never mix with real ones. The choice is one small file beside the databases, so the
 * Electron shell and browser mode (`--first-run`) open the same way and stay thin.
 */
export interface WorkspaceFiles {
  board: string
  demo: string
  /** Holds "demo" while the demo is open; absent otherwise. */
  choice: string
}

export function workspaceFiles(boardFile: string): WorkspaceFiles {
  const stem = boardFile.replace(/\.sqlite$/, '')
  return { board: boardFile, demo: `${stem}-demo.sqlite`, choice: `${stem}.workspace` }
}

export function readChoice(files: WorkspaceFiles): 'board' | 'demo' {
  try {
    return readFileSync(files.choice, 'utf8').trim() === 'demo' && existsSync(files.demo) ? 'demo' : 'board'
  } catch {
    return 'board'
  }
}

function writeChoice(files: WorkspaceFiles, kind: 'board' | 'demo'): void {
  if (kind === 'board') return rmSync(files.choice, { force: true })
  // Written whole or not at all: a crash never leaves half a word to read.
  writeFileSync(`${files.choice}.tmp`, 'demo\n')
  renameSync(`${files.choice}.tmp`, files.choice)
}

/** The demo's database and its companions (WAL, shared memory, browser mode's key file). */
function discardDemo(files: WorkspaceFiles): void {
  for (const suffix of ['', '-wal', '-shm', '.key']) rmSync(`${files.demo}${suffix}`, { force: true })
}

export interface WorkspaceOptions extends Omit<CoreOptions, 'file' | 'demoIfNew' | 'workspace' | 'secretBox'> {
  /** The install's own database; the demo's and the choice sit beside it (workspaceFiles). */
  boardFile: string
  /** Where secrets of the database `file` are sealed (a key file beside it in browser mode). */
  secretBox?: (file: string) => SecretBox | undefined
}

/**
 * A Core that can close itself and open the other database when the first screen asks for the
 * demo or the demo is left. Calls that arrive while it switches wait for the new core.
 */
export async function openWorkspace(options: WorkspaceOptions): Promise<Core> {
  const { boardFile, secretBox, ...coreOptions } = options
  const files = workspaceFiles(boardFile)
  let current: Core
  let switching: Promise<void> | null = null
  let scheduler: { everyMs: number | undefined; stop: () => void } | null = null

  const open = (kind: 'board' | 'demo'): Promise<Core> => {
    const file = kind === 'demo' ? files.demo : files.board
    const control: WorkspaceControl = { kind, switchTo }
    return createCore({ ...coreOptions, file, demoIfNew: kind === 'demo', workspace: control, ...(secretBox ? { secretBox: () => secretBox(file) } : {}) })
  }

  function switchTo(kind: 'board' | 'demo'): void {
    const previous = switching ?? Promise.resolve()
    switching = previous
      .then(async () => {
        scheduler?.stop()
        await current.close()
        if (kind === 'demo') {
          // A demo always starts fresh, generated around today.
          discardDemo(files)
          current = await open('demo')
          writeChoice(files, 'demo')
        } else {
          writeChoice(files, 'board')
          discardDemo(files)
          current = await open('board')
        }
      })
      .catch(async (error: unknown) => {
        options.logError?.(error)
        // Whatever failed, the install's own database is where the app goes back to.
        writeChoice(files, 'board')
        current = await open('board')
      })
      .finally(() => {
        if (scheduler) scheduler.stop = current.startScheduler(scheduler.everyMs)
        switching = null
      })
  }

  current = await open(readChoice(files))
  const settled = async () => {
    while (switching) await switching
  }
  return {
    get connection() {
      return current.connection
    },
    get refunds() {
      return current.refunds
    },
    get sync() {
      return current.sync
    },
    async dispatch(request) {
      await settled()
      return current.dispatch(request)
    },
    async runScheduledWork() {
      await settled()
      return current.runScheduledWork()
    },
    startScheduler(everyMs) {
      scheduler = { everyMs, stop: current.startScheduler(everyMs) }
      return () => {
        scheduler?.stop()
        scheduler = null
      }
    },
    async close() {
      await settled()
      await current.close()
    },
  }
}
