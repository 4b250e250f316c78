import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PrintJob } from '../../src/core/adapters/printing/types'
import { createElectronPrinter, PRINT_PARTITION } from '../../src/main/printer'
import { FakeBrowserWindow, FakeWebContents } from './fake-electron'

let root: string
let kiosk: boolean
let listFrom: FakeWebContents | null

const PDF = Buffer.from('%PDF-1.3\n% a receipt\n')
const roll: PrintJob = { pdf: PDF, title: 'recu-STG-K-000001', dialog: false, printer: 'EPSON_TM_T20III', paper: { widthMicrons: 80_000, heightMicrons: 142_000 } }
const sheet: PrintJob = { pdf: PDF, title: 'feuille-de-sortie', dialog: true, printer: null, paper: 'letter' }

function printer() {
  return createElectronPrinter({ BrowserWindow: FakeBrowserWindow as never, listFrom: () => listFrom as never, inKiosk: () => kiosk, tempRoot: root })
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'guichet-printer-'))
  kiosk = false
  listFrom = new FakeWebContents()
  FakeBrowserWindow.instances = []
  FakeWebContents.printers = []
  FakeWebContents.printAnswer = [true, '']
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('the desktop printer', () => {
  it('prints a receipt to the chosen printer without a dialog, on the roll’s own paper, from a hidden sandboxed window', async () => {
    const outcome = printer().print(roll)
    await expect(outcome).resolves.toEqual({ status: 'printed' })
    const [window] = FakeBrowserWindow.instances
    expect(window!.options).toMatchObject({ show: false, title: 'recu-STG-K-000001' })
    expect(window!.options.webPreferences).toMatchObject({ partition: PRINT_PARTITION, sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, devTools: false })
    expect(window!.options.webPreferences).not.toHaveProperty('preload')
    // The PDF itself was loaded, from a private folder that is gone once printed.
    const path = window!.loadFile.mock.calls[0]![0]
    expect(path.startsWith(root)).toBe(true)
    expect(window!.loaded).toEqual([PDF])
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(root)).toEqual([])
    expect(window!.webContents.print).toHaveBeenCalledExactlyOnceWith(
      { silent: true, deviceName: 'EPSON_TM_T20III', printBackground: true, margins: { marginType: 'none' }, pageSize: { width: 80_000, height: 142_000 } },
      expect.any(Function),
    )
    expect(window!.destroy).toHaveBeenCalled()
  })

  it('opens the system print dialog for a sheet, on letter paper, no printer chosen in advance', async () => {
    await expect(printer().print(sheet)).resolves.toEqual({ status: 'printed' })
    const [window] = FakeBrowserWindow.instances
    expect(window!.webContents.print).toHaveBeenCalledExactlyOnceWith({ silent: false, printBackground: true, margins: { marginType: 'none' }, pageSize: 'Letter' }, expect.any(Function))
  })

  it('says when the dialog was cancelled or the job failed, and cleans up either way', async () => {
    FakeWebContents.printAnswer = [false, 'Print job canceled']
    await expect(printer().print(sheet)).resolves.toEqual({ status: 'cancelled' })
    FakeWebContents.printAnswer = [false, 'Invalid printer settings']
    await expect(printer().print(roll)).resolves.toEqual({ status: 'failed', reason: 'Invalid printer settings' })
    expect(FakeBrowserWindow.instances.every((w) => w.destroyed)).toBe(true)
    expect(readdirSync(root)).toEqual([])
  })

  it('in kiosk mode, never opens a dialog nor prints to an unnamed printer: no window, no print', async () => {
    kiosk = true
    await expect(printer().print(sheet)).resolves.toEqual({ status: 'failed', reason: 'No print dialog at the kiosk' })
    await expect(printer().print({ ...roll, printer: null })).resolves.toMatchObject({ status: 'failed' })
    expect(FakeBrowserWindow.instances).toHaveLength(0)
    // The receipt printer chosen in Paramètres still prints, silently.
    await expect(printer().print(roll)).resolves.toEqual({ status: 'printed' })
    expect(FakeBrowserWindow.instances[0]!.webContents.print.mock.calls[0]![0]).toMatchObject({ silent: true, deviceName: 'EPSON_TM_T20III' })
  })

  it('lists the system’s printers by the names printing needs', async () => {
    FakeWebContents.printers = [
      { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III Receipt', description: '', options: {} },
      { name: 'HP_LaserJet', displayName: '', description: '', options: {} },
    ]
    await expect(printer().printers()).resolves.toEqual([
      { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III Receipt' },
      { name: 'HP_LaserJet', displayName: 'HP_LaserJet' },
    ])
    listFrom = null
    await expect(printer().printers()).resolves.toEqual([])
  })
})
