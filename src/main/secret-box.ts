import type { SecretBox } from '../core/services/secrets'

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(sealed: Buffer): string
}

/**
 * The app's box: Electron's safeStorage, sealed by the OS keychain (DPAPI on Windows). Without
 * it (no keychain on this desktop), no box: the core then refuses to store a key rather than
 * store it badly.
 */
export function safeStorageBox(safe: SafeStorageLike | undefined): SecretBox | undefined {
  if (!safe?.isEncryptionAvailable()) return undefined
  return { scheme: 'electron-safe-storage', seal: (plain) => safe.encryptString(plain), open: (sealed) => safe.decryptString(sealed) }
}
