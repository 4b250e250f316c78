import type { z } from 'zod'

/**
 * Reads a contract schema (zod 4's definitions) to build a value it accepts, with every optional
 * field present, and to list the leaves of that value: where the fuzz and the date tests aim.
 */
type Def = { type: string } & Record<string, unknown>
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

export type Path = Array<string | number>
export interface Leaf {
  path: Path
  /** The leaf's own schema, with optional, nullable and default taken off. */
  schema: z.ZodType
  type: string
}

const STRINGS = ['2026-11-20', '2026-11-20T15:00:00.000Z', 'abc', '08:30', '2026-2027', '2026-11', 'a@example.org', '4242424242424242', '1234', 'abcdefgh1234']
const NUMBERS = [1, 0, 100, 2026]

function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success
}

/** The schema under optional, nullable, default and readonly wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema
  for (;;) {
    const def = defOf(s)
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) s = def['innerType'] as z.ZodType
    else if (def.type === 'pipe') s = def['in'] as z.ZodType
    else if (def.type === 'lazy') s = (def['getter'] as () => z.ZodType)()
    else return s
  }
}

/** A value the schema accepts (every optional key present when it can be), or undefined. */
export function sample(schema: z.ZodType, depth = 0): unknown {
  if (depth > 8) return undefined
  const inner = unwrap(schema)
  const def = defOf(inner)
  let candidates: unknown[]
  switch (def.type) {
    case 'object': {
      const shape = def['shape'] as Record<string, z.ZodType>
      const full = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, sample(s, depth + 1)]).filter(([, v]) => v !== undefined))
      const required = Object.fromEntries(Object.entries(full).filter(([k]) => !accepts(shape[k]!, undefined)))
      candidates = [full, required]
      break
    }
    case 'array': {
      const element = sample(def['element'] as z.ZodType, depth + 1)
      candidates = [[element], []]
      break
    }
    case 'union':
      candidates = (def['options'] as z.ZodType[]).map((o) => sample(o, depth + 1))
      break
    case 'record':
      candidates = [{}]
      break
    case 'tuple':
      candidates = [(def['items'] as z.ZodType[]).map((i) => sample(i, depth + 1))]
      break
    case 'enum':
      candidates = Object.values(def['entries'] as Record<string, unknown>)
      break
    case 'literal':
      candidates = def['values'] as unknown[]
      break
    case 'string':
      candidates = STRINGS
      break
    case 'number':
    case 'int':
      candidates = NUMBERS
      break
    case 'boolean':
      candidates = [true, false]
      break
    case 'null':
      candidates = [null]
      break
    default:
      candidates = [{}, null, 'abc', 1]
  }
  const found = candidates.find((c) => c !== undefined && accepts(schema, c))
  if (found !== undefined) return found
  return accepts(schema, undefined) ? undefined : candidates[0]
}

/** Every leaf of `value` as the schema reads it (objects and arrays walked, unions by the option that accepts). */
export function leaves(schema: z.ZodType, value: unknown, path: Path = []): Leaf[] {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'object' && value && typeof value === 'object') {
    const shape = def['shape'] as Record<string, z.ZodType>
    return Object.entries(shape).flatMap(([k, s]) => (k in (value as object) ? leaves(s, (value as Record<string, unknown>)[k], [...path, k]) : []))
  }
  if (def.type === 'array' && Array.isArray(value)) return value.flatMap((v, i) => leaves(def['element'] as z.ZodType, v, [...path, i]))
  if (def.type === 'union') {
    const option = (def['options'] as z.ZodType[]).find((o) => accepts(o, value))
    return option ? leaves(option, value, path) : []
  }
  return [{ path, schema: inner, type: def.type }]
}

/** A copy of `value` with `leaf` at `path`. */
export function setAt(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>
  const [head, ...rest] = path as [string | number, ...Path]
  copy[head] = setAt(copy[head], rest, leaf)
  return copy
}
