/**
 * Stripe's v1 bodies and query strings: application/x-www-form-urlencoded with bracket notation
 * (`metadata[refundId]=r1`, `expand[0]=latest_charge`, `card_present[number]=4242…`, `a[]=x`),
 * brackets sent plain or percent-encoded. Objects whose keys are all indices become arrays.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue }
export type FormObject = { [key: string]: FormValue }

export function parseForm(text: string): FormObject {
  const root: Node = {}
  for (const pair of text.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const rawKey = eq === -1 ? pair : pair.slice(0, eq)
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1)
    const key = decode(rawKey)
    const value = decode(rawValue)
    const path = splitKey(key)
    if (path.length === 0) continue
    assign(root, path, value)
  }
  return arraysOf(root) as FormObject
}

function decode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '))
}

/** 'a[b][0]' → ['a', 'b', '0']; 'a[]' → ['a', '']. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[')
  if (open <= 0) return key ? [key] : []
  const path = [key.slice(0, open)]
  const re = /\[([^\]]*)\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(key.slice(open))) !== null) path.push(m[1]!)
  return path
}

type Node = { [key: string]: Node | string }

function assign(root: Node, path: string[], value: string): void {
  let node = root
  for (let i = 0; i < path.length - 1; i++) {
    let segment = path[i]!
    const next = node[segment]
    if (typeof next !== 'object') node[segment] = {}
    node = node[segment] as Node
    // 'a[]' appends
    if (path[i + 1] === '') {
      segment = String(Object.keys(node).length)
      if (i + 1 === path.length - 1) {
        node[segment] = value
        return
      }
      path[i + 1] = segment
    }
  }
  const last = path[path.length - 1]!
  node[last === '' ? String(Object.keys(node).length) : last] = value
}

function arraysOf(node: Node | string): FormValue {
  if (typeof node === 'string') return node
  const keys = Object.keys(node)
  const converted: Record<string, FormValue> = {}
  for (const k of keys) converted[k] = arraysOf(node[k]!)
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]!)
  }
  return converted
}

/** A flat string record (metadata), or undefined. */
export function recordOf(value: FormValue | undefined): Record<string, string> | undefined {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return value === '' ? {} : undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v
  return out
}

export function listOf(value: FormValue | undefined): string[] {
  if (value === undefined) return []
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return Object.values(value).filter((v): v is string => typeof v === 'string')
}

export function stringOf(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}
