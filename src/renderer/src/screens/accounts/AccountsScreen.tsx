import { useCallback, useEffect, useId, useState, type FormEvent } from 'react'
import type { StaffAccount } from '../../../../shared/contract/accounts'
import { ROLES, type Role } from '../../../../shared/contract/method'
import type { SchoolView } from '../../../../shared/contract/system'
import { useSession } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { fieldMessagesOf, messageOf } from '../../ui/errors'
import { FormError } from '../../ui/FormError'
import { OutcomeLine, type Outcome } from '../../ui/Outcome'
import { ScreenHeading } from '../../ui/ScreenHeading'

/** The admin's « Comptes »: create, change the role and schools, disable, reset a password (issue 14). */
export function AccountsScreen() {
  const t = useT()
  const { epoch } = useSession()
  const [accounts, setAccounts] = useState<StaffAccount[]>([])
  const [schools, setSchools] = useState<SchoolView[]>([])
  const [selected, setSelected] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<Outcome>(null)
  const [error, setError] = useState('')
  const tableId = useId()

  const reload = useCallback(() => {
    call('staff.list', {}).then(
      (list) => (setAccounts(list), setError('')),
      (e: unknown) => setError(messageOf(e, t)),
    )
  }, [t])
  useEffect(() => {
    reload()
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [reload, epoch])

  const schoolNames = (ids: readonly string[]) => (ids.length === 0 ? t('accounts.allSchools') : ids.map((id) => schools.find((s) => s.id === id)?.name ?? id).join(', '))
  const stateOf = (a: StaffAccount) => (!a.active ? 'disabled' : a.mustChangePassword ? 'oneTime' : 'active')
  const done = (next: Outcome) => (setOutcome(next), reload())
  const account = accounts.find((a) => a.id === selected) ?? null

  return (
    <>
      <ScreenHeading>{t('accounts.title')}</ScreenHeading>
      <p>{t('accounts.intro')}</p>
      <FormError message={error} />
      <OutcomeLine outcome={outcome} />
      <table className="data-table" aria-labelledby={tableId}>
        <caption id={tableId}>{t('accounts.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('accounts.col.name')}</th>
            <th scope="col">{t('accounts.col.username')}</th>
            <th scope="col">{t('accounts.col.role')}</th>
            <th scope="col">{t('accounts.col.schools')}</th>
            <th scope="col">{t('accounts.col.state')}</th>
            <th scope="col">{t('accounts.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id}>
              <th scope="row">{a.displayName}</th>
              <td>{a.username}</td>
              <td>{t('role.label', { role: a.role })}</td>
              <td>{schoolNames(a.schoolIds)}</td>
              <td>{t('accounts.state', { state: stateOf(a) })}</td>
              <td>
                <button type="button" className="button button-small" onClick={() => (setSelected(a.id), setOutcome(null))}>
                  {t('accounts.manage', { name: a.displayName })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {account ? <EditAccount key={account.id} account={account} schools={schools} onDone={done} onClose={() => setSelected(null)} /> : null}
      <CreateAccount schools={schools} onDone={done} />
    </>
  )
}

function RoleAndSchools({ role, schoolIds, schools, onRole, onSchools }: { role: Role; schoolIds: string[]; schools: SchoolView[]; onRole(r: Role): void; onSchools(ids: string[]): void }) {
  const t = useT()
  const roleId = useId()
  return (
    <>
      <div className="field">
        <label htmlFor={roleId}>{t('accounts.field.role')}</label>
        <select id={roleId} value={role} onChange={(e) => onRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t('role.label', { role: r })}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>{t('accounts.field.schools')}</legend>
        {schools.map((s) => (
          <label key={s.id} className="checkbox">
            <input type="checkbox" checked={schoolIds.includes(s.id)} onChange={(e) => onSchools(e.target.checked ? [...schoolIds, s.id] : schoolIds.filter((id) => id !== s.id))} /> {s.name}
          </label>
        ))}
      </fieldset>
    </>
  )
}

function CreateAccount({ schools, onDone }: { schools: SchoolView[]; onDone(outcome: Outcome): void }) {
  const t = useT()
  const ids = { title: useId(), name: useId(), username: useId() }
  const [displayName, setDisplayName] = useState('')
  const [username, setUsername] = useState('')
  const [role, setRole] = useState<Role>('secretary')
  const [schoolIds, setSchoolIds] = useState<string[]>([])
  const [error, setError] = useState('')

  async function submit(event: FormEvent) {
    event.preventDefault()
    setError('')
    try {
      const created = await call('staff.create', { displayName, username, role, schoolIds })
      setDisplayName('')
      setUsername('')
      setSchoolIds([])
      onDone({ kind: 'ok', text: t('accounts.oneTime', { name: created.account.displayName, password: created.oneTimePassword }) })
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    }
  }

  return (
    <section className="panel" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('accounts.create.title')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>{t('accounts.field.displayName')}</label>
          <input id={ids.name} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.username}>{t('accounts.field.username')}</label>
          <input id={ids.username} type="text" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <RoleAndSchools role={role} schoolIds={schoolIds} schools={schools} onRole={setRole} onSchools={setSchoolIds} />
        <FormError message={error} />
        <button type="submit" className="button button-primary">
          {t('accounts.create.submit')}
        </button>
      </form>
    </section>
  )
}

function EditAccount({ account, schools, onDone, onClose }: { account: StaffAccount; schools: SchoolView[]; onDone(outcome: Outcome): void; onClose(): void }) {
  const t = useT()
  const titleId = useId()
  const [role, setRole] = useState<Role>(account.role)
  const [schoolIds, setSchoolIds] = useState<string[]>(account.schoolIds)
  const [error, setError] = useState('')

  const act = async (run: () => Promise<Outcome>) => {
    setError('')
    try {
      onDone(await run())
    } catch (e) {
      setError(fieldMessagesOf(e, t))
    }
  }

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('accounts.edit.title', { name: account.displayName })}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void act(async () => (await call('staff.update', { staffId: account.id, role, schoolIds }), { kind: 'ok', text: t('accounts.edit.saved') }))
        }}
        noValidate
      >
        <RoleAndSchools role={role} schoolIds={schoolIds} schools={schools} onRole={setRole} onSchools={setSchoolIds} />
        <button type="submit" className="button button-primary">
          {t('accounts.edit.save')}
        </button>
      </form>
      <div className="row-fields">
        <button
          type="button"
          className="button"
          onClick={() =>
            void act(async () => {
              const reset = await call('staff.resetPassword', { staffId: account.id })
              return { kind: 'ok', text: t('accounts.oneTime', { name: account.displayName, password: reset.oneTimePassword }) }
            })
          }
        >
          {t('accounts.reset')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            void act(async () => {
              await call('staff.setActive', { staffId: account.id, active: !account.active })
              return { kind: 'ok', text: t(account.active ? 'accounts.disabled' : 'accounts.enabled') }
            })
          }
        >
          {t(account.active ? 'accounts.disable' : 'accounts.enable')}
        </button>
        <button type="button" className="button button-link" onClick={onClose}>
          {t('accounts.edit.close')}
        </button>
      </div>
      <FormError message={error} />
    </section>
  )
}
