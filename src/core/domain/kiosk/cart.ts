/**
 * The kiosk's cart, as plain data: what a guardian at the office PC chose for their children,
 * split by school (DOMAIN.md, "Payments": a family with children in two schools pays each school
 * separately, one payment and one receipt per school). Pure: no IO, no clock.
 */

export type CartKind = 'product' | 'program' | 'fee' | 'outing'

export interface CartLine {
  /** One line per student, item, date and variant: adding the same again replaces it. */
  key: string
  studentId: string
  offeringId: string
  schoolId: string
  kind: CartKind
  variantId: string | null
  programDateId: string | null
  quantity: number
  /** The guardian chose the waitlist for an outing that is full (paid, seated when one is freed). */
  waitlist: boolean
}

export interface PricedLine extends CartLine {
  unitPriceCents: number
  amountCents: number
}

export interface SchoolCart<L extends PricedLine = PricedLine> {
  schoolId: string
  lines: L[]
  totalCents: number
}

/**
 * The key of a line: a program date is one line whatever its variant (choosing another kind of
 * pizza for the same Friday replaces the first); a product is one line per variant.
 */
export function lineKey(line: Pick<CartLine, 'kind' | 'studentId' | 'offeringId' | 'variantId' | 'programDateId'>): string {
  const detail = line.kind === 'program' ? (line.programDateId ?? '') : line.kind === 'product' ? (line.variantId ?? '') : ''
  return [line.kind, line.studentId, line.offeringId, detail].join(':')
}

/** Whole cents for a line: quantity × unit price. */
export function priceLine<L extends CartLine>(line: L, unitPriceCents: number): L & { unitPriceCents: number; amountCents: number } {
  if (!Number.isSafeInteger(unitPriceCents) || unitPriceCents < 0) throw new RangeError('unit price must be whole cents, not negative')
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError('quantity must be a whole number from 1')
  const amountCents = unitPriceCents * line.quantity
  if (!Number.isSafeInteger(amountCents)) throw new RangeError('amount out of range')
  return { ...line, unitPriceCents, amountCents }
}

/**
 * The cart split by school, in the order the schools first appear; each school's lines keep
 * their order and add up to its total. Every line lands in exactly one school.
 */
export function splitBySchool<L extends PricedLine>(lines: readonly L[]): SchoolCart<L>[] {
  const bySchool = new Map<string, L[]>()
  for (const line of lines) {
    const list = bySchool.get(line.schoolId)
    if (list) list.push(line)
    else bySchool.set(line.schoolId, [line])
  }
  return [...bySchool].map(([schoolId, list]) => ({ schoolId, lines: list, totalCents: list.reduce((sum, l) => sum + l.amountCents, 0) }))
}

/**
 * What identifies the content of a school's cart: an order already written for the same lines
 * (a card declined, another tried) is paid again rather than written twice.
 */
export function cartSignature(lines: readonly PricedLine[]): string {
  return lines
    .map((l) => [l.key, l.variantId ?? '', l.quantity, l.unitPriceCents].join('|'))
    .sort()
    .join(';')
}
