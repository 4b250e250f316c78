#!/usr/bin/env node
// Draws Guichet's icon (a service window: an arched opening over a counter, on a blue tile)
// from one set of shapes into resources/icon.svg and build/icon.png (512×512, what packagers
// such as electron-builder expect in build/ and turn into .ico/.icns). No dependencies: the PNG
// is rasterised here with 4×4 supersampling and written with node:zlib.
//
//   node build/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SIZE = 512
const BLUE = [0x1f, 0x4e, 0x8c]
const WHITE = [0xff, 0xff, 0xff]
const SKY = [0xdc, 0xe8, 0xf7]

// Shapes, painted in order. Coordinates in a 512 grid.
const tile = { kind: 'roundRect', x: 16, y: 16, w: 480, h: 480, r: 96, color: BLUE }
const frame = { kind: 'arch', x: 136, y: 96, w: 240, h: 280, color: WHITE }
const opening = { kind: 'arch', x: 164, y: 124, w: 184, h: 252, color: SKY }
const counter = { kind: 'roundRect', x: 104, y: 360, w: 304, h: 48, r: 12, color: WHITE }
const shapes = [tile, frame, opening, counter]

function inside(shape, px, py) {
  const { x, y, w, h } = shape
  if (px < x || px > x + w || py < y || py > y + h) return false
  if (shape.kind === 'roundRect') {
    const r = shape.r
    const cx = Math.min(Math.max(px, x + r), x + w - r)
    const cy = Math.min(Math.max(py, y + r), y + h - r)
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r
  }
  // arch: a rectangle whose top is a half circle of diameter w
  const r = w / 2
  if (py >= y + r) return true
  return (px - (x + r)) ** 2 + (py - (y + r)) ** 2 <= r * r
}

function svg() {
  const rgb = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`
  const draw = (s) => {
    if (s.kind === 'roundRect') return `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${rgb(s.color)}"/>`
    const r = s.w / 2
    return `<path d="M${s.x} ${s.y + s.h}V${s.y + r}A${r} ${r} 0 0 1 ${s.x + s.w} ${s.y + r}V${s.y + s.h}Z" fill="${rgb(s.color)}"/>`
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}">\n  ${shapes.map(draw).join('\n  ')}\n</svg>\n`
}

function png() {
  const SAMPLES = 4
  const rows = []
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4) // filter byte 0, then RGBA
    for (let x = 0; x < SIZE; x++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const px = x + (sx + 0.5) / SAMPLES
          const py = y + (sy + 0.5) / SAMPLES
          let color = null
          for (const shape of shapes) if (inside(shape, px, py)) color = shape.color
          if (color) {
            r += color[0]
            g += color[1]
            b += color[2]
            a += 1
          }
        }
      }
      const o = 1 + x * 4
      if (a > 0) {
        row[o] = Math.round(r / a)
        row[o + 1] = Math.round(g / a)
        row[o + 2] = Math.round(b / a)
      }
      row[o + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255)
    }
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr.writeUInt8(8, 8) // bit depth
  ihdr.writeUInt8(6, 9) // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function crc32(buffer) {
  let crc = 0xffffffff
  for (const byte of buffer) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

function write(path, data) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  process.stdout.write(`wrote ${path.slice(root.length + 1)}\n`)
}

write(join(root, 'resources/icon.svg'), svg())
write(join(root, 'build/icon.png'), png())
