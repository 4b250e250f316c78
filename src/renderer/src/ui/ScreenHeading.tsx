import type { ReactNode } from 'react'

/** A screen's h1: focusable by script, so moving to a screen announces where the user is. */
export function ScreenHeading({ children }: { children: ReactNode }) {
  return (
    <h1 className="screen-title" tabIndex={-1}>
      {children}
    </h1>
  )
}
