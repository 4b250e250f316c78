import { useSyncExternalStore } from 'react'
import { setKioskToken } from './client'

/**
 * The kiosk running on this window, if any: its token (in memory), the family's name and the
 * idle time. While it runs, the window shows the kiosk and nothing else: the address is held on
 * the kiosk's route (a typed address, the back button, a link), the staff screens behind are
 * inert, and the context menu is off.
 */
export interface KioskRun {
  token: string
  idleSeconds: number
  guardianName: string
  language: 'fr' | 'en'
}

export const KIOSK_HASH = '#/kiosque/session'

let current: KioskRun | null = null
const listeners = new Set<() => void>()

function emit(): void {
  for (const listener of listeners) listener()
}

function holdRoute(): void {
  if (!current || window.location.hash === KIOSK_HASH) return
  window.history.replaceState(null, '', window.location.pathname + window.location.search + KIOSK_HASH)
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}

function noMenu(event: Event): void {
  event.preventDefault()
}

export function startKiosk(run: KioskRun): void {
  current = run
  setKioskToken(run.token)
  window.addEventListener('hashchange', holdRoute)
  window.addEventListener('contextmenu', noMenu)
  holdRoute()
  emit()
}

export function endKiosk(): void {
  current = null
  setKioskToken(undefined)
  window.removeEventListener('hashchange', holdRoute)
  window.removeEventListener('contextmenu', noMenu)
  emit()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useKioskRun(): KioskRun | null {
  return useSyncExternalStore(subscribe, () => current)
}
