import type { Faker } from '@faker-js/faker'

/** The few draws the generator needs, over any source of uniform numbers in [0, 1). */
export class Rng {
  constructor(readonly next: () => number) {}

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0
    for (const [, w] of items) total += w
    let r = this.next() * total
    for (const [item, w] of items) {
      r -= w
      if (r < 0) return item
    }
    return items[items.length - 1]![0]
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const t = out[i]!
      out[i] = out[j]!
      out[j] = t
    }
    return out
  }

  uint32(): number {
    return Math.floor(this.next() * 0x100000000) >>> 0
  }

  /** `n` hexadecimal digits. */
  hex(n: number): string {
    let s = ''
    while (s.length < n) s += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0')
    return s.slice(0, n)
  }

  digits(n: number): string {
    let s = ''
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10))
    return s
  }
}

/** The roster's draws come from faker, seeded: names and families stay those faker gives for the seed. */
export function fakerRng(faker: Faker): Rng {
  return new Rng(() => faker.number.int({ min: 0, max: 0xffffffff }) / 0x100000000)
}

/**
 * sfc32, seeded through splitmix32: a small, fast generator for the hundreds of thousands of
 * draws the activity needs (faker's own generator is several times slower per draw).
 */
export function fastRng(seed: number): Rng {
  let s = seed >>> 0
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return new Rng(next)
}

/**
 * Deterministic ids shaped like the app's own (UUIDv7): the 48-bit millisecond timestamp of
 * the row's moment, then seeded random bits, then a scrambled counter, so that no two ids of
 * one board can be equal.
 */
export class IdMaker {
  private counter = 0
  private readonly mask: number

  constructor(private readonly rng: Rng) {
    this.mask = rng.int(0, 0xffffffff) >>> 0
  }

  next(ms: number): string {
    const t = Math.max(0, Math.floor(ms))
    const high = Math.floor(t / 0x10000)
    const low = t % 0x10000
    const a = this.rng.uint32()
    const b = this.rng.uint32()
    // A bijection of the counter (xor, multiply by an odd constant, xorshift): unique, and not a visible sequence.
    let tail = Math.imul((this.counter++ ^ this.mask) >>> 0, 0x9e3779b1) >>> 0
    tail = (tail ^ (tail >>> 16)) >>> 0
    return (
      hex(high, 8) +
      '-' +
      hex(low, 4) +
      '-7' +
      hex(a & 0xfff, 3) +
      '-' +
      hex(0x8000 | ((a >>> 12) & 0x3fff), 4) +
      '-' +
      hex(b & 0xffff, 4) +
      hex(tail, 8)
    )
  }
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}
