import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { SecretBox } from '../../services/secrets'

/**
 * Browser mode's box, documented in the README: AES-256-GCM under a random key kept in a file
 * readable by the user only (0600), beside the database. It keeps the key out of the database
 * and its backups; it is not the OS keychain, which only the Electron app can reach.
 */
export function localKeyBox(keyFile: string): SecretBox {
  const key = loadOrCreateKey(keyFile)
  return {
    scheme: 'local-key-aes-256-gcm',
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      decipher.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

function loadOrCreateKey(file: string): Buffer {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`)
    return key
  }
  const key = randomBytes(32)
  writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return key
}
