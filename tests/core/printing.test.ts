import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { receiptRollPdf } from '../../src/core/adapters/documents/receipt-roll'
import type { ReceiptModel } from '../../src/core/adapters/documents/receipt'
import type { DocumentPrinter, PrintJob, PrintOutcome } from '../../src/core/adapters/printing/types'
import type { PrintJobState } from '../../src/shared/contract/printing'
import { ok } from './fixtures'
import { sampleReceipt } from './receipt-fixture'
import { APPROVED, kioskWorld, type KioskWorld } from './kiosk/helpers'
import { pdfPages, pdfPageSizes } from '../support/pdf-text'

const MM = 72 / 25.4

// The sample with an office number and a part paid with credit; Louis's fee counted twice.
const receipt: ReceiptModel = {
  ...sampleReceipt,
  series: 'office',
  creditCents: 1000,
  lines: [sampleReceipt.lines[0]!, { ...sampleReceipt.lines[1]!, quantity: 2 }],
}

const flat = (text: string) => text.replace(/\s+/g, ' ')
/** The roll is narrow: a line wraps anywhere, so lines are compared without their spaces. */
const joined = (text: string) => text.replace(/\s+/g, '')

describe('the 80 mm receipt', () => {
  it('is 80 mm wide, one page as long as its lines, and carries every line of the letter receipt', async () => {
    const roll = await receiptRollPdf(receipt)
    const sizes = await pdfPageSizes(roll.pdf)
    expect(sizes).toHaveLength(1)
    expect(sizes[0]!.width).toBeCloseTo(80 * MM, 1)
    expect(sizes[0]!.height).toBeCloseTo(roll.heightPt, 1)
    // Shorter than a letter page, longer than its header alone.
    expect(sizes[0]!.height).toBeLessThan(792)
    expect(sizes[0]!.height).toBeGreaterThan(200)
    const [page] = await pdfPages(roll.pdf)
    const text = joined(page!)
    for (const line of [
      'École élémentaire catholique Saint-Guillaume',
      '20, rue Saint-Guillaume, Ottawa (Ontario)',
      '613-555-0142',
      'Reçu no K-001287 / Receipt no. K-001287',
      'Démo — aucun paiement réel / Demo — no real payment',
      'Isabelle Côté',
      'Carte VISA se terminant par 4242 / VISA card ending in 4242 : 18,00 $ / $18.00',
      'Payé avec le crédit familial / Paid with the family credit : 10,00 $ / $10.00',
      'Payé au secrétariat (kiosque) / Paid at the school office (kiosk)',
      'Hélène Bélanger',
      'Pizza du vendredi',
      'Friday pizza',
      'vendredi 11 déc. — Fromage',
      'Qté / Qty 1 — 3,00 $ / $3.00',
      'Louis Bélanger',
      'Cotisation scolaire',
      'Qté / Qty 2 — 25,00 $ / $25.00',
      'Total payé / Total paid : 28,00 $ / $28.00',
      'Journée de neige',
      'Net après remboursements / Net after refunds : 25,00 $ / $25.00',
      'Conservez ce reçu',
    ]) {
      expect(text).toContain(joined(line))
    }
  })

  it('grows with its lines and stays one page', async () => {
    const many = { ...receipt, lines: Array.from({ length: 40 }, (_, i) => ({ ...receipt.lines[0]!, student: `Élève ${i + 1}` })) }
    const [short, long] = [await receiptRollPdf(receipt), await receiptRollPdf(many)]
    expect(long.heightPt).toBeGreaterThan(short.heightPt + 40 * 20)
    expect(await pdfPageSizes(long.pdf)).toHaveLength(1)
    const text = flat((await pdfPages(long.pdf))[0]!)
    expect(text).toContain('Élève 1 ')
    expect(text).toContain('Élève 40')
  })
})

/** A printer that records each job and answers as told. */
class FakePrinter implements DocumentPrinter {
  jobs: PrintJob[] = []
  answer: PrintOutcome = { status: 'printed' }
  installed = [
    { name: 'EPSON_TM_T20III', displayName: 'EPSON TM-T20III Receipt' },
    { name: 'HP_LaserJet_Bureau', displayName: 'HP LaserJet (bureau)' },
  ]
  printers = async () => this.installed
  print = async (job: PrintJob) => {
    this.jobs.push(job)
    return this.answer
  }
}

describe('printing through the core', () => {
  let w: KioskWorld
  let printer: FakePrinter
  let admin: string

  beforeEach(async () => {
    printer = new FakePrinter()
    w = await kioskWorld({ printer })
    w.board.staff('dir', 'principal')
    admin = (await ok(w.core, 'auth.signIn', { username: 'dir', password: 'secret-pass' })).token
  })
  afterEach(() => w.cleanup())

  async function settled(method: 'printing.job' | 'kiosk.printJob', jobId: string, session: string): Promise<PrintJobState> {
    for (let i = 0; i < 100; i++) {
      const state = await ok(w.core, method, { jobId }, session)
      if (state.status !== 'printing') return state
      await new Promise((r) => setTimeout(r, 5))
    }
    throw new Error('the print job never finished')
  }

  /** Annie pays popcorn at the kiosk: the payment whose receipt is printed. */
  async function kioskSale(): Promise<{ kiosk: string; paymentId: string }> {
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.butter, quantity: 2 }, kiosk)
    const view = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'print-request-1', card: { kind: 'test_card', number: APPROVED } }, kiosk)).chargeId)
    return { kiosk, paymentId: view.paymentId! }
  }

  it('lists the printers, keeps the receipt printer and layout chosen, and audits the choice', async () => {
    expect(await w.ok('printing.status', {}, w.staff)).toEqual({ available: true, receiptLayout: 'letter', receiptPrinter: null })
    expect((await w.ok('printing.printers', {}, admin)).printers.map((p) => p.name)).toEqual(['EPSON_TM_T20III', 'HP_LaserJet_Bureau'])
    // Paramètres is the principal's and the admin's.
    expect((await w.refused('printing.setReceipt', { layout: 'roll80', printer: 'EPSON_TM_T20III' }, w.staff)).code).toBe('FORBIDDEN')
    const unknown = await w.refused('printing.setReceipt', { layout: 'roll80', printer: 'EPSON TM-T20III' }, admin)
    expect(unknown).toMatchObject({ code: 'PRINT_UNAVAILABLE', message: 'Cette imprimante n’est pas installée sur ce poste.' })
    expect(await w.ok('printing.status', {}, w.staff)).toMatchObject({ receiptLayout: 'letter', receiptPrinter: null })

    expect(await w.ok('printing.setReceipt', { layout: 'roll80', printer: 'EPSON_TM_T20III' }, admin)).toEqual({ available: true, receiptLayout: 'roll80', receiptPrinter: 'EPSON_TM_T20III' })
    const audit = w.one<{ actor: string; before: string; after: string }>(`SELECT actor, before, after FROM audit_log WHERE action = 'printing.setReceipt'`)
    expect(audit.actor).toBe('dir (test)')
    expect(JSON.parse(audit.before)).toEqual({ receiptLayout: 'letter', receiptPrinter: null })
    expect(JSON.parse(audit.after)).toEqual({ receiptLayout: 'roll80', receiptPrinter: 'EPSON_TM_T20III' })
  })

  it('prints a receipt to the receipt printer without a dialog, on the 80 mm roll, every line there', async () => {
    const { paymentId } = await kioskSale()
    await w.ok('printing.setReceipt', { layout: 'roll80', printer: 'EPSON_TM_T20III' }, admin)
    const { jobId } = await w.ok('printing.printReceipt', { paymentId }, w.staff)
    expect(await settled('printing.job', jobId, w.staff)).toEqual({ status: 'printed', reason: null })
    const [job] = printer.jobs
    expect(job).toMatchObject({ dialog: false, printer: 'EPSON_TM_T20III', title: 'recu-' + w.schoolA.toUpperCase() + '-K-000001' })
    expect(job!.paper).toMatchObject({ widthMicrons: 80_000 })
    const [size] = await pdfPageSizes(job!.pdf)
    expect(size!.width).toBeCloseTo(80 * MM, 1)
    expect((job!.paper as { heightMicrons: number }).heightMicrons).toBeCloseTo((size!.height / 72) * 25_400, -1)
    const text = joined((await pdfPages(job!.pdf))[0]!)
    for (const line of ['École Saint-Test', 'Reçu no K-000001 / Receipt no. K-000001', 'Annie Lalonde', 'Zoé Lalonde', 'Maïs soufflé', 'Beurre', 'Qté / Qty 2 — 4,00 $ / $4.00', 'Total payé / Total paid : 4,00 $ / $4.00', 'Carte VISA se terminant par 4242']) {
      expect(text).toContain(joined(line))
    }
  })

  it('goes through the dialog on letter paper when no receipt printer is chosen, and says when it was cancelled or failed', async () => {
    const { paymentId } = await kioskSale()
    printer.answer = { status: 'cancelled' }
    const first = await w.ok('printing.printReceipt', { paymentId }, w.staff)
    expect(await settled('printing.job', first.jobId, w.staff)).toEqual({ status: 'cancelled', reason: null })
    expect(printer.jobs[0]).toMatchObject({ dialog: true, printer: null, paper: 'letter' })
    expect((await pdfPageSizes(printer.jobs[0]!.pdf))[0]).toEqual({ width: 612, height: 792 })

    printer.answer = { status: 'failed', reason: 'Invalid printer settings' }
    const second = await w.ok('printing.printReceipt', { paymentId }, w.staff)
    expect(await settled('printing.job', second.jobId, w.staff)).toEqual({ status: 'failed', reason: 'Invalid printer settings' })
    // A job is its session's: another's id answers nothing.
    expect((await w.refused('printing.job', { jobId: second.jobId }, admin)).code).toBe('NOT_FOUND')
  })

  it('prints a sheet through the dialog, and refuses what is not a PDF', async () => {
    const sheet = await w.ok('printing.receiptFile', { paymentId: (await kioskSale()).paymentId }, w.staff)
    const { jobId } = await w.ok('printing.printDocument', { fileName: 'liste.pdf', base64: sheet.base64 }, w.staff)
    await settled('printing.job', jobId, w.staff)
    expect(printer.jobs[0]).toMatchObject({ dialog: true, printer: null, title: 'liste' })
    const refused = await w.refused('printing.printDocument', { fileName: 'x.pdf', base64: Buffer.from('<html>').toString('base64') }, w.staff)
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.message).toBe('Ce fichier n’est pas un PDF.')
    expect(printer.jobs).toHaveLength(1)
  })

  it('at the kiosk, prints only to the receipt printer, never with a dialog, and refuses clearly without one', async () => {
    const { kiosk, paymentId } = await kioskSale()
    expect(await w.ok('kiosk.printStatus', {}, kiosk)).toEqual({ desktop: true, available: false })
    const refused = await w.refused('kiosk.printReceipt', { paymentId }, kiosk)
    expect(refused).toMatchObject({ code: 'PRINT_UNAVAILABLE', message: 'Aucune imprimante de reçus n’est choisie ici : demandez votre reçu par courriel ou au secrétariat.' })
    expect(printer.jobs).toHaveLength(0)

    await w.ok('printing.setReceipt', { layout: 'roll80', printer: 'EPSON_TM_T20III' }, admin)
    expect(await w.ok('kiosk.printStatus', {}, kiosk)).toEqual({ desktop: true, available: true })
    const { jobId } = await w.ok('kiosk.printReceipt', { paymentId }, kiosk)
    expect(await settled('kiosk.printJob', jobId, kiosk)).toEqual({ status: 'printed', reason: null })
    expect(printer.jobs).toEqual([expect.objectContaining({ dialog: false, printer: 'EPSON_TM_T20III' })])

    // Only this session's receipts, and no staff printing from the kiosk's token.
    const other = (await w.all<{ id: string }>(`SELECT id FROM payments`)).length
    expect(other).toBe(1)
    expect((await w.refused('kiosk.printReceipt', { paymentId: 'payment-not-hers' }, kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('printing.printDocument', { fileName: 'x.pdf', base64: 'JVBERi0xLjM=' }, kiosk)).code).toBe('FORBIDDEN')
    expect((await w.refused('printing.printReceipt', { paymentId }, kiosk)).code).toBe('FORBIDDEN')
  })
})

describe('printing in browser mode', () => {
  let w: KioskWorld
  beforeEach(async () => {
    w = await kioskWorld()
  })
  afterEach(() => w.cleanup())

  it('has no printer: the receipt comes as a file in the chosen layout, for the browser’s viewer', async () => {
    expect(await w.ok('printing.status', {}, w.staff)).toEqual({ available: false, receiptLayout: 'letter', receiptPrinter: null })
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.butter, quantity: 1 }, kiosk)
    const view = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'browser-request-1', card: { kind: 'test_card', number: APPROVED } }, kiosk)).chargeId)
    expect(await w.ok('kiosk.printStatus', {}, kiosk)).toEqual({ desktop: false, available: false })
    const refused = await w.refused('printing.printReceipt', { paymentId: view.paymentId! }, w.staff)
    expect(refused).toMatchObject({ code: 'PRINT_UNAVAILABLE', message: 'Pas d’imprimante dans le navigateur : ouvrez le PDF et imprimez-le depuis la visionneuse.' })
    const file = await w.ok('printing.receiptFile', { paymentId: view.paymentId! }, w.staff)
    expect((await pdfPageSizes(Buffer.from(file.base64, 'base64')))[0]).toEqual({ width: 612, height: 792 })
  })
})
