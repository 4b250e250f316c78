import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { describe, expect, it } from 'vitest'
import { catalogs } from '../../src/shared/i18n'
import { ERROR_CODES } from '../../src/shared/errors'

function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) into.add(el.value)
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      into.add(el.value)
      for (const option of Object.values(el.options)) placeholders(option.value, into)
    }
    if (el.type === TYPE.tag) placeholders(el.children, into)
  }
  return into
}

const frCA = catalogs['fr-CA']
const enCA = catalogs['en-CA']

describe('the message catalogs', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(enCA).sort()).toEqual(Object.keys(frCA).sort())
  })

  it.each(Object.keys(frCA))('%s parses as ICU in both languages, with the same placeholders, and is translated', (key) => {
    const fr = frCA[key as keyof typeof frCA]
    const en = enCA[key as keyof typeof enCA]
    expect(en.trim(), 'empty English').not.toBe('')
    expect([...placeholders(parse(en))].sort()).toEqual([...placeholders(parse(fr))].sort())
  })

  it('have a message for every error code', () => {
    for (const code of ERROR_CODES) expect(frCA).toHaveProperty(`error.${code}`)
  })
})

describe('the roster’s codes', () => {
  it('each have a message in both languages', async () => {
    const { readFileSync } = await import('node:fs')
    const source = ['src/core/domain/roster/oneroster.ts', 'src/core/adapters/oneroster-zip.ts'].map((f) => readFileSync(f, 'utf8')).join('\n')
    // The codes: the members of RosterIssueCode and the keys the zip reader throws.
    const codes = [...new Set([...source.matchAll(/(?:\| |key: )'(oneroster\.[A-Za-z]+)'/g)].map((m) => m[1]!))]
    expect(codes.length).toBeGreaterThan(10)
    for (const code of codes) {
      expect(frCA, code).toHaveProperty([code])
      expect(enCA, code).toHaveProperty([code])
    }
  })
})
