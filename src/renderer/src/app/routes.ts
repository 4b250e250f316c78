import { useSyncExternalStore } from 'react'
import type { MessageKey } from '../../../shared/i18n'

/** The screens, in the order of the navigation; the slug is the hash route (#/eleves). */
export const ROUTES = [
  { id: 'dashboard', slug: 'tableau-de-bord', label: 'nav.dashboard' },
  { id: 'catalogue', slug: 'catalogue', label: 'nav.catalogue' },
  { id: 'outings', slug: 'sorties', label: 'nav.outings' },
  { id: 'orders', slug: 'commandes', label: 'nav.orders' },
  { id: 'students', slug: 'eleves', label: 'nav.students' },
  { id: 'reports', slug: 'rapports', label: 'nav.reports' },
  { id: 'kiosk', slug: 'kiosque', label: 'nav.kiosk' },
  { id: 'sync', slug: 'synchronisation', label: 'nav.sync' },
  { id: 'settings', slug: 'parametres', label: 'nav.settings' },
  { id: 'accounts', slug: 'comptes', label: 'nav.accounts', adminOnly: true },
  { id: 'myAccount', slug: 'mon-compte', label: 'myAccount.link' },
] as const satisfies ReadonlyArray<{ id: string; slug: string; label: MessageKey; adminOnly?: boolean }>

export type RouteId = (typeof ROUTES)[number]['id']
export const HOME: RouteId = 'dashboard'

export function hrefOf(id: RouteId): string {
  return `#/${ROUTES.find((r) => r.id === id)?.slug ?? ''}`
}

/** What follows the screen's slug: '#/catalogue/article/ID' → ['article', 'ID']. */
function restOf(hash: string): string {
  return hash.split('/').slice(2).map(decodeURIComponent).join('/')
}

function parse(hash: string): RouteId | null {
  const slug = /^#\/([a-z-]+)/.exec(hash)?.[1]
  return ROUTES.find((r) => r.slug === slug)?.id ?? null
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The route in the address (null when there is none or it is unknown). */
export function useRoute(): RouteId | null {
  return useSyncExternalStore(subscribe, () => parse(window.location.hash))
}

/** The screen's own path, for screens with views of their own (an item of the catalogue). */
export function useSubPath(): string[] {
  const rest = useSyncExternalStore(subscribe, () => restOf(window.location.hash))
  return rest === '' ? [] : rest.split('/')
}

export function subHref(id: RouteId, ...parts: string[]): string {
  return [hrefOf(id), ...parts.map(encodeURIComponent)].join('/')
}

export function navigate(id: RouteId, ...parts: string[]): void {
  const href = subHref(id, ...parts)
  if (window.location.hash !== href) window.location.hash = href
}

/** Replaces the address without a history entry (after sign-in, on an unknown route). */
export function replaceRoute(id: RouteId | null): void {
  const url = window.location.pathname + window.location.search + (id ? hrefOf(id) : '')
  window.history.replaceState(null, '', url)
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}
