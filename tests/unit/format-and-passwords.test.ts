import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../src/core/services/passwords'
import { formatMoney, formatSchoolDate } from '../../src/shared/format'

describe('money', () => {
  it('formats integer cents the Canadian way in each language', () => {
    expect(formatMoney(1250, 'fr-CA')).toBe('12,50\u00a0$')
    expect(formatMoney(1250, 'en-CA')).toBe('$12.50')
    expect(formatMoney(123456, 'fr-CA')).toBe('1\u00a0234,56\u00a0$')
    expect(formatMoney(-500, 'en-CA')).toBe('-$5.00')
  })
  it('refuses anything but integer cents', () => {
    expect(() => formatMoney(12.5, 'fr-CA')).toThrow(RangeError)
  })
})

describe('school dates', () => {
  it('shows the school day whatever the viewer’s time zone', () => {
    expect(formatSchoolDate('2026-12-04', 'fr-CA')).toBe('vendredi 4 décembre 2026')
    expect(formatSchoolDate('2026-12-04', 'en-CA')).toBe('Friday, December 4, 2026')
  })
})

describe('passwords', () => {
  const cheap = { N: 2 ** 10, r: 8, p: 1 }
  it('verifies the right password only, and salts every hash', async () => {
    const hash = await hashPassword('Bonjour-2026', cheap)
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/)
    expect(await verifyPassword('Bonjour-2026', hash)).toBe(true)
    expect(await verifyPassword('bonjour-2026', hash)).toBe(false)
    expect(await hashPassword('Bonjour-2026', cheap)).not.toBe(hash)
  })
  it('treats a damaged or foreign hash as a wrong password', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false)
    expect(await verifyPassword('x', '')).toBe(false)
    const hash = await hashPassword('x', cheap)
    expect(await verifyPassword('x', hash.slice(0, -4) + 'AAAA')).toBe(false)
  })
  it('uses the memory-hard parameters by default', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$131072\$8\$1\$/)
  })
})
