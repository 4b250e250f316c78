import { localTime } from '../src/core/demo/calendar'
import { fastRng, IdMaker, type Rng } from '../src/core/demo/random'
import { GRADES, type EntityRecord } from '../src/shared/sync/protocol'
import { isTargeted, type CentralStore, type SchoolRow, type VirtualClock } from './store'

/**
 * The parents' side of the board, played over a virtual clock: families visit the portal at
 * the hours parents are online, and on the items that are published and open for their
 * children they consent, decline or withdraw (outings, consent forms), and order and pay
 * (fees, programs, products; outings once consented) — never after a deadline or a program
 * date's cutoff, never beyond an item's stock or its limit per student. The board's SIS moves
 * a student to another class now and then, or withdraws one. The board's emails (receipts,
 * consent confirmations) are recorded, some of them bounce. Everything goes through the
 * store, so each act is a change in the school's feed.
 *
 * Deterministic: the same seed, the same store and the same clock steps give the same changes.
 */

export interface SimulatorRates {
  /** Family visits per hour per school at the evening peak (fewer at other hours, few at night). */
  visitsPerHour: number
  /** Chance a visiting family acts on an open item its children can have. */
  act: number
  /** Chance a family withdraws a consent given and not paid for, at a visit. */
  withdraw: number
  /** Chance an email bounces. */
  bounce: number
  /** Students moved to another class, per school per day. */
  classChangesPerDay: number
  /** Students who leave the school, per school per day. */
  departuresPerDay: number
}

export const DEFAULT_RATES: SimulatorRates = {
  visitsPerHour: 12,
  act: 0.6,
  withdraw: 0.06,
  bounce: 0.01,
  classChangesPerDay: 0.3,
  departuresPerDay: 0.1,
}

export interface SimEvent {
  at: string
  kind: 'order' | 'consent' | 'withdrawal' | 'class_change' | 'departure' | 'bounce'
  schoolId: string
  id: string
}

export interface SimulatorOptions {
  store: CentralStore
  clock: VirtualClock
  seed: number
  rates?: Partial<SimulatorRates>
  /** Step of the simulation; default 10 minutes. */
  tickMs?: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** Share of the peak traffic by local hour (evenings above all). */
const HOUR_WEIGHT = [0.02, 0.01, 0, 0, 0, 0.02, 0.25, 0.45, 0.4, 0.25, 0.25, 0.25, 0.4, 0.25, 0.15, 0.25, 0.25, 0.3, 0.45, 0.75, 1, 0.85, 0.45, 0.15]

const CARDS = ['visa', 'mastercard', 'visa_debit'] as const

export class ParentSimulator {
  readonly events: SimEvent[] = []
  private readonly rng: Rng
  private readonly ids: IdMaker
  private readonly rates: SimulatorRates
  private readonly tickMs: number

  constructor(private readonly options: SimulatorOptions) {
    this.rng = fastRng(options.seed >>> 0)
    this.ids = new IdMaker(fastRng((options.seed ^ 0x51a7e) >>> 0))
    this.rates = { ...DEFAULT_RATES, ...(options.rates ?? {}) }
    this.tickMs = options.tickMs ?? 10 * 60_000
  }

  /** The transaction of the act being played (the simulator plays one act at a time). */
  private tx: CentralStore | null = null

  private get store(): CentralStore {
    return this.tx ?? this.options.store
  }

  /** Moves the clock `ms` forward, playing every tick; returns what happened. */
  advance(ms: number): Promise<SimEvent[]> {
    return this.advanceTo(this.options.clock.now() + ms)
  }

  async advanceTo(targetMs: number): Promise<SimEvent[]> {
    const clock = this.options.clock
    const before = this.events.length
    while (clock.now() < targetMs) {
      const start = clock.now()
      const end = Math.min(targetMs, start + this.tickMs)
      for (const school of await this.store.schools()) await this.tick(school, start, end)
      clock.set(end)
    }
    return this.events.slice(before)
  }

  private async tick(school: SchoolRow, start: number, end: number): Promise<void> {
    const span = end - start
    const hour = localTime(start).hour
    const acts: Array<{ t: number; run: (t: number) => Promise<void> }> = []
    const visits = poisson(this.rng, (this.rates.visitsPerHour * HOUR_WEIGHT[hour]! * span) / HOUR_MS)
    if (visits > 0) {
      const online = await this.store.guardiansOnline(school.id)
      for (let i = 0; i < visits && online.length; i++) {
        const guardianId = this.rng.pick(online)
        acts.push({ t: start + Math.floor(this.rng.next() * span), run: (t) => this.visit(school, guardianId, t) })
      }
    }
    for (let i = poisson(this.rng, (this.rates.classChangesPerDay * span) / DAY_MS); i > 0; i--) {
      acts.push({ t: start + Math.floor(this.rng.next() * span), run: (t) => this.changeClass(school, t) })
    }
    for (let i = poisson(this.rng, (this.rates.departuresPerDay * span) / DAY_MS); i > 0; i--) {
      acts.push({ t: start + Math.floor(this.rng.next() * span), run: (t) => this.departure(school, t) })
    }
    acts.sort((a, b) => a.t - b.t)
    for (const act of acts) {
      this.options.clock.set(Math.max(this.options.clock.now(), act.t))
      const t = this.options.clock.now()
      await this.options.store.transaction(async (tx) => {
        this.tx = tx
        try {
          await act.run(t)
        } finally {
          this.tx = null
        }
      })
    }
  }

  // ---- a family's visit ----------------------------------------------------------------------

  private async visit(school: SchoolRow, guardianId: string, t: number): Promise<void> {
    const { store, rng } = this
    const kids = (await store.childrenOf(guardianId, school.id)).filter((k) => k.status === 'active')
    if (kids.length === 0) return
    const now = new Date(t).toISOString()
    const open = (await store.records('offering', school.id)).filter((o) => o.status === 'published' && Date.parse(o.opensAt) <= t && t < Date.parse(o.deadlineAt))
    const lines: Array<EntityRecord<'order'>['lines'][number]> = []
    const inCart = new Map<string, number>()
    const add = (o: EntityRecord<'offering'>, studentId: string, quantity: number, variantId: string | null, programDateId: string | null): void => {
      const unit = variantId ? o.variants.find((v) => v.id === variantId)!.priceCents : o.priceCents
      if (unit <= 0) return
      lines.push({ id: this.ids.next(t), studentId, offeringId: o.id, variantId, programDateId, quantity, unitPriceCents: unit, amountCents: unit * quantity })
      inCart.set(o.id, (inCart.get(o.id) ?? 0) + quantity)
    }
    const variant = (o: EntityRecord<'offering'>): string | null => {
      const active = o.variants.filter((v) => v.active)
      return active.length ? rng.pick(active).id : null
    }

    for (const o of open) {
      const mine = kids.filter((k) => isTargeted(o, k))
      if (mine.length === 0 || !rng.chance(this.rates.act)) continue
      switch (o.kind) {
        case 'consent_form':
        case 'outing':
          for (const kid of mine) {
            const current = await store.currentConsent(o.id, kid.id)
            if (!current) {
              const grant = rng.chance(o.kind === 'outing' ? 0.86 : 0.95)
              await this.consent(school, o, kid.id, guardianId, grant ? 'granted' : 'declined', now)
              if (grant && o.kind === 'outing' && (await this.owes(o, kid.id)) && rng.chance(0.8)) add(o, kid.id, 1, null, null)
            } else if (current.decision === 'granted' && o.kind === 'outing' && (await this.owes(o, kid.id))) {
              if (rng.chance(this.rates.withdraw)) await this.consent(school, o, kid.id, guardianId, 'withdrawn', now)
              else if (rng.chance(0.7)) add(o, kid.id, 1, null, null)
            }
          }
          break
        case 'fee':
          if (o.feePer === 'family') {
            if (!(await store.familyHasLine(o.id, kids.map((k) => k.id))) && (await store.waivedCents(o.id, mine[0]!.id)) === 0) add(o, mine[0]!.id, 1, null, null)
          } else {
            for (const kid of mine) if ((await store.studentQuantity(o.id, kid.id)) === 0 && (await store.waivedCents(o.id, kid.id)) === 0 && rng.chance(0.85)) add(o, kid.id, 1, null, null)
          }
          break
        case 'program': {
          const dates = o.dates
            .filter((d) => d.status === 'scheduled' && Date.parse(d.cutoffAt) > t)
            .sort((a, b) => (a.date < b.date ? -1 : 1))
            .slice(0, 5)
          for (const kid of mine) {
            const bought = await store.datesBought(o.id, kid.id)
            const favourite = variant(o)
            for (const d of dates) if (!bought.has(d.id) && rng.chance(0.7)) add(o, kid.id, 1, rng.chance(0.8) ? favourite : variant(o), d.id)
          }
          break
        }
        case 'product': {
          const kid = rng.pick(mine)
          let quantity = rng.chance(0.25) ? 2 : 1
          if (o.perStudentLimit !== null) quantity = Math.min(quantity, o.perStudentLimit - (await store.studentQuantity(o.id, kid.id)) - (inCart.get(`${o.id}:${kid.id}`) ?? 0))
          if (o.stockLimit !== null) quantity = Math.min(quantity, o.stockLimit - (await store.soldQuantity(o.id)) - (inCart.get(o.id) ?? 0))
          if (quantity <= 0) break
          add(o, kid.id, quantity, variant(o), null)
          inCart.set(`${o.id}:${kid.id}`, (inCart.get(`${o.id}:${kid.id}`) ?? 0) + quantity)
          break
        }
      }
    }
    if (lines.length > 0) await this.order(school, guardianId, lines, t)
  }

  /** Consented and not yet paid for: a paid, free or fully waived outing owes nothing. */
  private async owes(o: EntityRecord<'offering'>, studentId: string): Promise<boolean> {
    return o.priceCents > 0 && (await this.store.studentQuantity(o.id, studentId)) === 0 && (await this.store.waivedCents(o.id, studentId)) === 0
  }

  private async consent(school: SchoolRow, o: EntityRecord<'offering'>, studentId: string, guardianId: string, decision: 'granted' | 'declined' | 'withdrawn', now: string): Promise<void> {
    const guardian = (await this.store.record('guardian', guardianId))!
    const answers: Record<string, boolean | string> | null =
      decision === 'granted' && o.questions.length
        ? Object.fromEntries(o.questions.map((q) => [q.id, q.kind === 'yes_no' ? this.rng.chance(0.8) : q.kind === 'choice' ? (q.choices[0]?.labelFr ?? '') : '']))
        : null
    const id = this.ids.next(Date.parse(now))
    await this.store.put('consent', {
      id,
      schoolId: school.id,
      offeringId: o.id,
      studentId,
      guardianId,
      decision,
      signedName: `${guardian.firstName} ${guardian.lastName}`,
      answers,
      channel: 'online',
      recordedAt: now,
      reason: null,
    })
    this.events.push({ at: now, kind: decision === 'withdrawn' ? 'withdrawal' : 'consent', schoolId: school.id, id })
    await this.email(school, guardianId, 'consent_recorded', { offeringId: o.id, consentId: id }, Date.parse(now))
  }

  private async order(school: SchoolRow, guardianId: string, lines: Array<EntityRecord<'order'>['lines'][number]>, t: number): Promise<void> {
    const now = new Date(t).toISOString()
    const orderId = this.ids.next(t)
    const paymentId = this.ids.next(t)
    const amount = lines.reduce((n, l) => n + l.amountCents, 0)
    await this.store.put('order', { id: orderId, schoolId: school.id, guardianId, channel: 'online', createdAt: now, lines })
    const receiptNumber = await this.store.nextReceiptNumber(school.id)
    await this.store.put('payment', {
      id: paymentId,
      schoolId: school.id,
      orderId,
      processor: 'board',
      processorRef: `brd_${this.rng.hex(20)}`,
      cardBrand: this.rng.pick(CARDS),
      last4: this.rng.digits(4),
      amountCents: amount,
      creditCents: 0,
      channel: 'online',
      receiptSeries: 'board',
      receiptNumber,
      createdAt: now,
    })
    this.events.push({ at: now, kind: 'order', schoolId: school.id, id: orderId })
    await this.email(school, guardianId, 'receipt', { paymentId }, t)
  }

  private async email(school: SchoolRow, guardianId: string, kind: 'receipt' | 'consent_recorded', refs: { offeringId?: string; paymentId?: string; consentId?: string }, t: number): Promise<void> {
    const bounce = this.rng.chance(this.rates.bounce)
    const row = await this.store.recordEmail({ id: this.ids.next(t), schoolId: school.id, guardianId, kind, bounce, ...refs })
    if (row?.status === 'bounced') this.events.push({ at: row.createdAt, kind: 'bounce', schoolId: school.id, id: guardianId })
  }

  // ---- the board's SIS -------------------------------------------------------------------------

  private async changeClass(school: SchoolRow, t: number): Promise<void> {
    const students = (await this.store.records('student', school.id)).filter((s) => s.status === 'active')
    if (students.length === 0) return
    const student = this.rng.pick(students)
    // Another class of the same grade; in a small school, the class of the next grade up or down.
    const rank = (s: EntityRecord<'student'>) => GRADES.indexOf(s.grade)
    const others = (near: (s: EntityRecord<'student'>) => boolean) =>
      [...new Set(students.filter((s) => near(s) && s.classId !== null && s.classId !== student.classId).map((s) => s.classId!))].sort()
    let classes = others((s) => s.grade === student.grade)
    if (classes.length === 0) classes = others((s) => Math.abs(rank(s) - rank(student)) === 1)
    if (classes.length === 0) return
    await this.store.put('student', { ...withoutVersion(student), classId: this.rng.pick(classes) })
    this.events.push({ at: new Date(t).toISOString(), kind: 'class_change', schoolId: school.id, id: student.id })
  }

  private async departure(school: SchoolRow, t: number): Promise<void> {
    const students = (await this.store.records('student', school.id)).filter((s) => s.status === 'active')
    if (students.length === 0) return
    const student = this.rng.pick(students)
    await this.store.put('student', { ...withoutVersion(student), status: 'withdrawn' })
    this.events.push({ at: new Date(t).toISOString(), kind: 'departure', schoolId: school.id, id: student.id })
  }
}

function withoutVersion<T extends object>(record: T): T {
  const { version: _v, ...rest } = record as T & { version?: number }
  return rest as T
}

/** A Poisson draw (Knuth), for the small means of one tick. */
function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0
  const limit = Math.exp(-mean)
  let k = 0
  let p = 1
  do {
    k += 1
    p *= rng.next()
  } while (p > limit)
  return k - 1
}
