import { addDays, DAY_MS, localDate, localToUtc, type SchoolYear } from './calendar'
import type { OfferingPlan, ProgramDatePlan, Role, VariantPlan } from './catalogue'
import type { IdMaker, Rng } from './random'
import type { Card, FamilyPlan, GuardianPlan, SchoolPlan, StudentPlan } from './roster'

export interface LinePlan {
  id: string
  student: StudentPlan
  offering: OfferingPlan
  variant: VariantPlan | null
  date: ProgramDatePlan | null
  quantity: number
  unitCents: number
}

export interface OrderPlan {
  id: string
  school: SchoolPlan
  guardian: GuardianPlan
  channel: 'online' | 'kiosk'
  ms: number
  lines: LinePlan[]
  payment: {
    id: string
    ms: number
    card: Card
    processorRef: string
    receipt: number
  }
}

export interface ConsentPlan {
  id: string
  offering: OfferingPlan
  student: StudentPlan
  guardian: GuardianPlan
  decision: 'granted' | 'declined' | 'withdrawn'
  answers: Record<string, boolean | string> | null
  channel: 'online' | 'kiosk'
  ms: number
}

export interface WaiverPlan {
  id: string
  student: StudentPlan
  offering: OfferingPlan
  amountCents: number
  reason: string
  ms: number
}

export interface RefundPlan {
  id: string
  order: OrderPlan
  line: LinePlan
  amountCents: number
  reason: string
  idempotencyKey: string
  processorRef: string
  requestedMs: number
  settledMs: number
}

export interface Activity {
  orders: OrderPlan[]
  consents: ConsentPlan[]
  waivers: WaiverPlan[]
}

export interface Participation {
  /** Share of students signed up for a program, and share of its dates they then take. */
  pizza: readonly [number, number]
  milk: readonly [number, number]
  lunch: readonly [number, number]
  /** Share of a family's purchase rounds skipped (forgotten, away). */
  skipRound: number
  fee: number
  popcorn: number
}

export const PARTICIPATION_DEMO: Participation = {
  pizza: [0.52, 0.87],
  milk: [0.4, 0.9],
  lunch: [0.28, 0.55],
  skipRound: 0.06,
  fee: 0.76,
  popcorn: 0.3,
}

/** A year of a busy school, for benchmarks: the families order most days. */
export const PARTICIPATION_FULL_YEAR: Participation = {
  pizza: [0.85, 0.93],
  milk: [0.85, 0.94],
  lunch: [0.72, 0.85],
  skipRound: 0.03,
  fee: 0.8,
  popcorn: 0.35,
}

export interface ActivityInput {
  rng: Rng
  ids: IdMaker
  catalogues: ReadonlyArray<{ school: SchoolPlan; offerings: OfferingPlan[] }>
  year: SchoolYear
  anchorMs: number
  participation: Participation
  assistanceBudgetCents: number
}

const MINUTE = 60_000
const HOUR = 3_600_000

/** When parents are online: mornings before work, lunch, and above all the evening. */
const ONLINE_HOURS: ReadonlyArray<readonly [number, number]> = [
  [6, 3], [7, 6], [8, 5], [9, 3], [10, 3], [11, 3], [12, 5], [13, 3], [14, 2], [15, 3],
  [16, 3], [17, 4], [18, 6], [19, 10], [20, 13], [21, 11], [22, 6], [23, 2],
]

interface Prefs {
  pizza: VariantPlan | null
  milk: VariantPlan | null
  lunch: boolean
}

export function buildActivity(input: ActivityInput): Activity {
  const { rng, ids, anchorMs, participation: p, year } = input
  const latest = anchorMs - 2 * MINUTE
  const orders: OrderPlan[] = []
  const consents: ConsentPlan[] = []
  const waivers: WaiverPlan[] = []
  const budget = new Map<SchoolPlan, number>()
  const prefs = new Map<StudentPlan, Prefs>()

  // ---- when things happen -------------------------------------------------------------------

  /** An instant in [from, to] at an hour a parent would be online; null when the range is empty. */
  const onlineMoment = (from: number, to: number, skew = 1): number | null => {
    if (to <= from) return null
    for (let tries = 0; tries < 6; tries++) {
      const raw = from + (to - from) * Math.pow(rng.next(), skew)
      const date = localDate(raw)
      const hour = rng.weighted(ONLINE_HOURS)
      const ms = localToUtc(date, hour, rng.int(0, 59), rng.int(0, 59))
      if (ms >= from && ms <= to) return ms
    }
    return Math.round(from + (to - from) * rng.next())
  }
  /** An instant in [from, to] during office hours on a school day; null when there is none. */
  const officeMoment = (from: number, to: number): number | null => {
    if (to <= from) return null
    const first = localDate(from)
    const last = localDate(to)
    const days = year.schoolDays.filter((d) => d >= first && d <= last)
    if (days.length === 0) return null
    for (let tries = 0; tries < 6; tries++) {
      const ms = localToUtc(rng.pick(days), rng.int(8, 15), rng.int(0, 59), rng.int(0, 59))
      if (ms >= from && ms <= to) return ms
    }
    return null
  }
  const moment = (family: FamilyPlan, from: number, to: number, skew = 1): { ms: number; channel: 'online' | 'kiosk' } | null => {
    const kiosk = family.kiosk || rng.chance(0.015)
    if (kiosk) {
      const ms = officeMoment(from, to)
      if (ms !== null) return { ms, channel: 'kiosk' }
      if (family.kiosk) return null
    }
    const ms = onlineMoment(from, to, skew)
    return ms === null ? null : { ms, channel: 'online' }
  }

  const payer = (family: FamilyPlan): GuardianPlan => (family.guardians.length > 1 && rng.chance(0.25) ? family.guardians[1]! : family.guardians[0]!)

  const order = (school: SchoolPlan, guardian: GuardianPlan, channel: 'online' | 'kiosk', ms: number, lines: LinePlan[]): OrderPlan => {
    const card = guardian.cards.length > 1 && rng.chance(0.3) ? guardian.cards[1]! : guardian.cards[0]!
    const o: OrderPlan = {
      id: '',
      school,
      guardian,
      channel,
      ms,
      lines,
      payment: { id: '', ms: Math.min(anchorMs, ms + rng.int(4_000, 40_000)), card, processorRef: '', receipt: 0 },
    }
    orders.push(o)
    return o
  }

  const activeAt = (s: StudentPlan, ms: number): boolean => s.withdrawnMs === null || ms < s.withdrawnMs
  const eligible = (offering: OfferingPlan, s: StudentPlan): boolean => offering.grades === null || offering.grades.includes(s.grade)
  const byRole = (offerings: OfferingPlan[], role: Role): OfferingPlan | undefined => offerings.find((o) => o.role === role && o.active && o.status !== 'draft')

  const waive = (school: SchoolPlan, student: StudentPlan, offering: OfferingPlan, amountCents: number, ms: number, reason: string): boolean => {
    const left = budget.get(school) ?? 0
    if (amountCents > left || ms > latest) return false
    budget.set(school, left - amountCents)
    waivers.push({ id: ids.next(ms), student, offering, amountCents, reason, ms })
    return true
  }

  // ---- students' habits ---------------------------------------------------------------------
  for (const { school, offerings } of input.catalogues) {
    budget.set(school, input.assistanceBudgetCents)
    const pizza = byRole(offerings, 'pizza')
    const milk = byRole(offerings, 'milk')
    for (const s of school.students) {
      const alert = s.medicalAlert ?? ''
      const noGluten = alert.includes('gluten')
      const noDairy = alert.includes('lactose')
      const young = ['JK', 'SK', '1', '2'].includes(s.grade)
      prefs.set(s, {
        pizza:
          pizza && !noGluten && rng.chance(p.pizza[0])
            ? pizza.variants[rng.weighted<number>(young ? [[0, 40], [1, 5], [2, 35], [3, 5], [4, 15]] : [[0, 15], [1, 25], [2, 15], [3, 35], [4, 10]])]!
            : null,
        milk: milk && !noDairy && rng.chance(p.milk[0]) ? milk.variants[rng.chance(0.55) ? 0 : 1]! : null,
        lunch: !noGluten && rng.chance(p.lunch[0]),
      })
    }
  }

  const familiesOf = (school: SchoolPlan): Array<{ family: FamilyPlan; kids: StudentPlan[] }> => {
    const seen = new Map<FamilyPlan, StudentPlan[]>()
    for (const s of school.students) {
      const list = seen.get(s.family) ?? []
      list.push(s)
      seen.set(s.family, list)
    }
    return [...seen].map(([family, kids]) => ({ family, kids }))
  }

  for (const { school, offerings } of input.catalogues) {
    const families = familiesOf(school)

    // ---- the school fee: most families, mostly in the first weeks -------------------------
    const fee = byRole(offerings, 'fee')
    if (fee) {
      for (const { family, kids } of families) {
        const to = Math.min(fee.deadlineMs, latest)
        if (rng.chance(0.025)) {
          // The principal waives the fee, confidentially.
          for (const kid of kids) {
            const ms = officeMoment(fee.opensMs + 2 * DAY_MS, fee.deadlineMs)
            if (ms !== null && ms <= to) waive(school, kid, fee, fee.priceCents, ms, rng.pick(WAIVER_REASONS))
          }
          continue
        }
        if (!rng.chance(p.fee)) continue
        const when = moment(family, fee.opensMs, fee.deadlineMs, 2.2)
        if (!when || when.ms > to) continue
        const lines = kids.filter((k) => activeAt(k, when.ms)).map((k) => ({ id: '', student: k, offering: fee, variant: null, date: null, quantity: 1, unitCents: fee.priceCents }))
        if (lines.length) order(school, payer(family), when.channel, when.ms, lines)
      }
    }

    // ---- programs: families buy a round of dates at a time -------------------------------
    for (const role of ['pizza', 'milk', 'lunch'] as const) {
      const program = byRole(offerings, role)
      if (!program) continue
      const attend = p[role][1]
      const rounds = roundsOf(program.dates)
      for (const { family, kids } of families) {
        const takers = kids.filter((k) => eligible(program, k) && (role === 'lunch' ? prefs.get(k)!.lunch : prefs.get(k)![role] !== null))
        if (takers.length === 0) continue
        const cadence = rng.weighted<keyof typeof rounds>([['month', 60], ['fortnight', 25], ['term', 15]])
        for (const round of rounds[cadence].groups) {
          if (rng.chance(p.skipRound)) continue
          const firstCutoff = round[0]!.cutoffMs
          const from = Math.max(program.opensMs, firstCutoff - rounds[cadence].leadDays * DAY_MS)
          const when = moment(family, from, firstCutoff - HOUR)
          if (!when || when.ms > latest) continue
          const lines: LinePlan[] = []
          for (const kid of takers) {
            if (!activeAt(kid, when.ms)) continue
            const fav = role === 'pizza' ? prefs.get(kid)!.pizza : role === 'milk' ? prefs.get(kid)!.milk : null
            for (const date of round) {
              if (!rng.chance(attend)) continue
              const variant = fav && rng.chance(0.82) ? fav : rng.pick(program.variants)
              lines.push({ id: '', student: kid, offering: program, variant, date, quantity: 1, unitCents: variant.priceCents })
            }
          }
          if (lines.length) order(school, payer(family), when.channel, when.ms, lines)
        }
      }
    }

    // ---- popcorn: first come, first served, up to the stock ---------------------------------
    const popcorn = byRole(offerings, 'popcorn')
    if (popcorn) {
      const candidates: Array<{ family: FamilyPlan; ms: number; channel: 'online' | 'kiosk'; lines: LinePlan[] }> = []
      for (const { family, kids } of families) {
        const buyers = kids.filter(() => rng.chance(p.popcorn))
        if (buyers.length === 0) continue
        const when = moment(family, popcorn.opensMs, popcorn.deadlineMs, 1.4)
        if (!when || when.ms > Math.min(latest, popcorn.deadlineMs)) continue
        const [butter, caramel] = popcorn.variants as [VariantPlan, VariantPlan]
        const lines: LinePlan[] = []
        for (const kid of buyers) {
          if (!activeAt(kid, when.ms)) continue
          const pickLines = rng.weighted<Array<[VariantPlan, number]>>([
            [[[butter, 1]], 30],
            [[[caramel, 1]], 25],
            [[[butter, 2]], 12],
            [[[caramel, 2]], 10],
            [[[butter, 1], [caramel, 1]], 23],
          ])
          for (const [variant, quantity] of pickLines) lines.push({ id: '', student: kid, offering: popcorn, variant, date: null, quantity, unitCents: variant.priceCents })
        }
        if (lines.length) candidates.push({ family, ms: when.ms, channel: when.channel, lines })
      }
      candidates.sort((a, b) => a.ms - b.ms)
      let stock = popcorn.stockLimit ?? Infinity
      for (const c of candidates) {
        const qty = c.lines.reduce((n, l) => n + l.quantity, 0)
        if (qty > stock) continue
        stock -= qty
        order(school, payer(c.family), c.channel, c.ms, c.lines)
      }
    }

    // ---- outings: consent, then payment -----------------------------------------------------
    for (const role of ['pastOuting', 'outing'] as const) {
      const outing = byRole(offerings, role)
      if (!outing) continue
      const open = outing.deadlineMs >= anchorMs
      const to = Math.min(outing.deadlineMs, latest - 10 * MINUTE)
      const grantedUnpaid: Array<{ kid: StudentPlan; consent: ConsentPlan }> = []
      for (const { family, kids } of families) {
        const going = kids.filter((k) => eligible(outing, k) && activeAt(k, outing.opensMs))
        if (going.length === 0) continue
        if (!rng.chance(open ? 0.82 : 0.95)) continue
        const when = moment(family, outing.opensMs, to, 1.6)
        if (!when || when.ms > to) continue
        const guardian = payer(family)
        const familyGrants = rng.chance(0.86)
        const granted: StudentPlan[] = []
        going.forEach((kid, i) => {
          if (!activeAt(kid, when.ms)) return
          const grant = rng.chance(0.05) ? !familyGrants : familyGrants
          const consent: ConsentPlan = {
            id: ids.next(when.ms + i * 25_000),
            offering: outing,
            student: kid,
            guardian,
            decision: grant ? 'granted' : 'declined',
            answers: grant ? outingAnswers(rng, outing, family, guardian) : null,
            channel: when.channel,
            ms: when.ms + i * 25_000,
          }
          consents.push(consent)
          if (grant) {
            granted.push(kid)
            grantedUnpaid.push({ kid, consent })
          }
        })
        if (granted.length === 0 || !rng.chance(open ? 0.8 : 0.92)) continue
        const payMs = when.ms + granted.length * 25_000 + rng.int(20_000, 90_000)
        if (payMs > latest) continue
        order(
          school,
          guardian,
          when.channel,
          payMs,
          granted.map((k) => ({ id: '', student: k, offering: outing, variant: null, date: null, quantity: 1, unitCents: outing.priceCents })),
        )
        for (const k of granted) grantedUnpaid.splice(grantedUnpaid.findIndex((g) => g.kid === k), 1)
      }
      // Some of the consented and unpaid are helped by the principal; a couple change their mind.
      const pool = rng.shuffle(grantedUnpaid)
      const helped = pool.filter(() => rng.chance(0.3))
      for (const { kid, consent } of helped) {
        const ms = officeMoment(consent.ms + DAY_MS, Math.min(consent.ms + 8 * DAY_MS, to))
        if (ms === null) continue
        const partial = rng.chance(0.2)
        waive(school, kid, outing, partial ? Math.round(outing.priceCents / 2) : outing.priceCents, ms, rng.pick(partial ? PARTIAL_REASONS : WAIVER_REASONS))
      }
      if (open) {
        const changing = pool.filter((g) => !helped.includes(g) && g.consent.ms < latest - 2 * DAY_MS).slice(0, 2)
        for (const { kid, consent } of changing) {
          const until = Math.min(consent.ms + 5 * DAY_MS, to)
          const ms = consent.channel === 'kiosk' ? officeMoment(consent.ms + DAY_MS, until) : onlineMoment(consent.ms + DAY_MS, until)
          if (ms === null) continue
          consents.push({ ...consent, id: ids.next(ms), student: kid, decision: 'withdrawn', answers: null, ms })
        }
      }
    }

    // ---- start-of-year consents ------------------------------------------------------------
    const form = byRole(offerings, 'consentForm')
    if (form) {
      for (const { family, kids } of families) {
        if (!rng.chance(0.93)) continue
        const when = moment(family, form.opensMs, form.deadlineMs, 2.5)
        if (!when || when.ms > Math.min(latest, form.deadlineMs)) continue
        const guardian = payer(family)
        const declines = rng.chance(0.015)
        const photos = rng.chance(0.88)
        const internet = rng.chance(0.97)
        const walks = rng.chance(0.96)
        const [q1, q2, q3] = form.questions
        kids.forEach((kid, i) => {
          if (!activeAt(kid, when.ms)) return
          const ms = when.ms + i * 20_000
          consents.push({
            id: ids.next(ms),
            offering: form,
            student: kid,
            guardian,
            decision: declines ? 'declined' : 'granted',
            answers: declines || !q1 || !q2 || !q3 ? null : { [q1.id]: photos, [q2.id]: internet, [q3.id]: walks },
            channel: when.channel,
            ms,
          })
        })
      }
    }
  }

  return { orders, consents, waivers }
}

/**
 * Orders sorted by payment time; ids given in that order (so they sort like the app's own
 * UUIDv7), receipts numbered 1..n per school, processor references made unique.
 */
export function finalizeOrders(orders: OrderPlan[], ids: IdMaker, rng: Rng): OrderPlan[] {
  const sorted = orders.slice().sort((a, b) => a.payment.ms - b.payment.ms || a.ms - b.ms)
  const receipts = new Map<SchoolPlan, number>()
  const refs = new Set<string>()
  for (const o of sorted) {
    o.id = ids.next(o.ms)
    for (const l of o.lines) l.id = ids.next(o.ms)
    o.payment.id = ids.next(o.payment.ms)
    const n = (receipts.get(o.school) ?? 0) + 1
    receipts.set(o.school, n)
    o.payment.receipt = n
    let ref: string
    do ref = o.channel === 'kiosk' ? `demo_pi_${rng.hex(24)}` : `mel_pay_${rng.hex(20)}`
    while (refs.has(ref))
    refs.add(ref)
    o.payment.processorRef = ref
  }
  return sorted
}

export interface RefundInput {
  rng: Rng
  ids: IdMaker
  orders: OrderPlan[]
  catalogues: ReadonlyArray<{ school: SchoolPlan; offerings: OfferingPlan[] }>
  year: SchoolYear
  anchorMs: number
  /** Individual refunds per school. */
  perSchool: number
}

/**
 * A snow day that cancelled a pizza Friday at one school (every line refunded, as the bulk
 * refund does it), and a few one-off refunds per school.
 */
export function buildRefunds(input: RefundInput): RefundPlan[] {
  const { rng, ids, orders, anchorMs } = input
  const anchorDate = localDate(anchorMs)
  const refunds: RefundPlan[] = []
  const refunded = new Set<LinePlan>()
  const refs = new Set<string>()

  const refund = (order: OrderPlan, line: LinePlan, amountCents: number, reason: string, requestedMs: number): void => {
    let ref: string
    do ref = order.channel === 'kiosk' ? `demo_re_${rng.hex(24)}` : `mel_ref_${rng.hex(20)}`
    while (refs.has(ref))
    refs.add(ref)
    const id = ids.next(requestedMs)
    refunds.push({
      id,
      order,
      line,
      amountCents,
      reason,
      idempotencyKey: `refund-${id}`,
      processorRef: ref,
      requestedMs,
      settledMs: Math.min(anchorMs, requestedMs + rng.int(1_500, 6_000)),
    })
    refunded.add(line)
  }

  // The snow day: at the second school (the first if the second has no students).
  const withStudents = input.catalogues.filter((c) => c.school.students.length > 0)
  const snowy = withStudents[withStudents.length - 1]
  const pizza = snowy?.offerings.find((o) => o.role === 'pizza')
  if (snowy && pizza) {
    const winter = pizza.dates.filter((d) => {
      const m = Number(d.date.slice(5, 7))
      return (m === 12 || m <= 3) && d.date < anchorDate
    })
    if (winter.length > 0) {
      const day = rng.pick(winter)
      day.cancelReason = 'Tempête de neige — transport scolaire annulé, livraison de pizza annulée'
      let ms = localToUtc(day.date, 9, rng.int(30, 55), rng.int(0, 59))
      for (const o of orders) {
        if (o.school !== snowy.school) continue
        for (const l of o.lines) {
          if (l.date !== day) continue
          refund(o, l, l.quantity * l.unitCents, 'Journée de neige — pizza annulée', ms)
          ms += rng.int(1_200, 3_000)
        }
      }
    }
  }

  // One-off refunds, asked for by phone and made by the secretary: lines drawn at random.
  for (const { school } of input.catalogues) {
    const schoolOrders = orders.filter((o) => o.school === school && o.lines.some((l) => l.date !== null))
    let made = 0
    for (let tries = 0; made < input.perSchool && tries < input.perSchool * 200 && schoolOrders.length > 0; tries++) {
      const order = rng.pick(schoolOrders)
      const line = rng.pick(order.lines)
      if (!line.date || line.date.date >= anchorDate || line.date.cancelReason || refunded.has(line)) continue
      const date = line.date.date
      const from = localToUtc(date, 12, 0)
      const to = Math.min(anchorMs - HOUR, localToUtc(addDays(date, 8), 16, 0))
      const days = input.year.schoolDays.filter((d) => d >= date && d <= localDate(to))
      if (days.length === 0 || to <= from) continue
      let requested = localToUtc(rng.pick(days), rng.int(8, 15), rng.int(0, 59), rng.int(0, 59))
      if (requested < from || requested > to) requested = from + Math.floor((to - from) * rng.next())
      const paid = line.quantity * line.unitCents
      const cheapest = Math.min(...line.offering.variants.map((v) => v.priceCents))
      const [reason, amount] = rng.weighted<[string, number]>([
        [['Commande en double — remboursement', paid], 3],
        [['Élève malade ce jour-là — remboursement accordé', paid], 3],
        [['Sortie éducative le même jour — repas non requis', paid], 2],
        [['Mauvaise sorte commandée — différence remboursée', paid - cheapest > 0 ? paid - cheapest : paid], 2],
      ])
      refund(order, line, amount, reason, requested)
      made += 1
    }
  }
  return refunds
}

const WAIVER_REASONS = [
  'Difficultés financières — demande confidentielle du parent',
  'Famille nouvellement arrivée — soutien de l’école',
  'Entente avec la direction — situation familiale',
  'Recommandation de la travailleuse sociale de l’école',
] as const

const PARTIAL_REASONS = ['Exemption partielle — entente avec la direction', 'Moitié du coût assumée par le fonds d’aide de l’école'] as const

function outingAnswers(rng: Rng, outing: OfferingPlan, family: FamilyPlan, guardian: GuardianPlan): Record<string, boolean | string> {
  const answers: Record<string, boolean | string> = {}
  const other = family.guardians.find((g) => g !== guardian)
  for (const q of outing.questions) {
    if (q.kind === 'text') {
      answers[q.id] = other
        ? `${other.firstName} ${other.lastName} — ${other.phone}`
        : `${guardian.firstName} ${guardian.lastName} — ${guardian.phoneAlt ?? guardian.phone}`
    } else if (q.required) {
      answers[q.id] = rng.chance(0.08)
    } else {
      answers[q.id] = rng.chance(0.07)
    }
  }
  return answers
}

type Cadence = 'month' | 'fortnight' | 'term'

/** A program's dates cut into purchase rounds, for each way families tend to buy. */
function roundsOf(dates: readonly ProgramDatePlan[]): Record<Cadence, { groups: ProgramDatePlan[][]; leadDays: number }> {
  const group = (key: (d: ProgramDatePlan, i: number) => string): ProgramDatePlan[][] => {
    const map = new Map<string, ProgramDatePlan[]>()
    dates.forEach((d, i) => {
      const k = key(d, i)
      const list = map.get(k) ?? []
      list.push(d)
      map.set(k, list)
    })
    return [...map.values()]
  }
  const weekOf = (d: ProgramDatePlan): number => Math.floor((Date.parse(`${d.date}T12:00:00Z`) / DAY_MS + 3) / 7)
  return {
    month: { groups: group((d) => d.date.slice(0, 7)), leadDays: 16 },
    fortnight: { groups: group((d) => String(Math.floor(weekOf(d) / 2))), leadDays: 8 },
    term: {
      groups: group((d) => {
        const m = Number(d.date.slice(5, 7))
        return m >= 8 ? 'fall' : m <= 3 ? 'winter' : 'spring'
      }),
      leadDays: 25,
    },
  }
}
