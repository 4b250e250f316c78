import { createContext, useContext } from 'react'
import type { Output } from '../../../shared/contract'
import type { SessionView } from '../../../shared/contract/schemas'

export type SystemInfo = Output<'system.info'>

export interface SessionContextValue {
  session: SessionView
  /** The core locked the session: the lock screen is up and the screens are hidden behind it. */
  locked: boolean
  /** Bumped each time the session is unlocked, so screens reload what failed while it was locked. */
  epoch: number
  setLanguage(language: 'fr' | 'en'): Promise<void>
  signOut(): Promise<void>
}

export const SessionContext = createContext<SessionContextValue | null>(null)

/** The signed-in staff member's session; only used below the signed-in shell. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext)
  if (!value) throw new Error('useSession outside a signed-in shell')
  return value
}

export const SystemInfoContext = createContext<SystemInfo | null>(null)

export function useSystemInfo(): SystemInfo | null {
  return useContext(SystemInfoContext)
}
