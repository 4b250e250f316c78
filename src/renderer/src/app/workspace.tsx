import { createContext, useContext, useState } from 'react'
import type { SetupState } from '../../../shared/contract/accounts'
import { useT } from '../i18n/I18n'
import { call } from '../rpc/client'
import { messageOf } from '../ui/errors'

export interface WorkspaceValue {
  setup: SetupState | null
  /** The demo's database was left or opened: sign out here and ask again what this install is. */
  switched(): void
}

export const WorkspaceContext = createContext<WorkspaceValue>({ setup: null, switched: () => undefined })

/** « Quitter la démo »: shown only in the demo's own database, back to the install's first screen. */
export function LeaveDemoButton({ className = 'button button-link' }: { className?: string }) {
  const t = useT()
  const { setup, switched } = useContext(WorkspaceContext)
  const [error, setError] = useState('')
  if (setup?.workspace !== 'demo') return null
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() =>
          call('setup.leaveDemo', {}).then(
            () => switched(),
            (e: unknown) => setError(messageOf(e, t)),
          )
        }
      >
        {t('setup.leaveDemo')}
      </button>
      {error ? <span role="alert">{error}</span> : null}
    </>
  )
}
