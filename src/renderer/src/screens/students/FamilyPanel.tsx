import { useEffect, useId, useRef, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { ChildItem, FamilyChild, GuardianView, StudentRow } from '../../../../shared/contract/students'
import { formatMoney } from '../../../../shared/format'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { dayAndTime } from '../../ui/dates'
import { elides } from '../../ui/french'
import { AlertIcon, CloseIcon } from '../../ui/Icons'
import { FamilyCredit } from './FamilyCredit'
import { FamilyHistory } from './FamilyHistory'
import { WaiverDialog } from './WaiverDialog'

type Family = Output<'families.ofStudent'>

/**
 * The family around a student, for the phone call: who the guardians are and how to reach them,
 * every child of theirs across the board's schools, and where each child stands on each item.
 * A modal dialog (native <dialog>): focus stays inside, Escape closes it.
 */
export function FamilyPanel({ student, onClose }: { student: StudentRow; onClose(): void }) {
  const t = useT()
  const { epoch, locked } = useSession()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [family, setFamily] = useState<Family | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)

  // Whether the dialog should be showing. A native 'close' while it should is the user's (or the
  // browser's) doing and is reported; the closes made here (lock, unmount) are not.
  const wanted = useRef(false)
  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    // A modal dialog makes the rest of the page inert, the lock screen included: it steps
    // aside while the session is locked and comes back, as it was, once unlocked.
    wanted.current = !locked
    if (!locked && !dialog.open) dialog.showModal()
    if (locked && dialog.open) dialog.close()
  }, [locked])
  useEffect(() => {
    const dialog = dialogRef.current
    return () => {
      wanted.current = false
      dialog?.close()
    }
  }, [])

  useEffect(() => {
    let current = true
    setError(null)
    call('families.ofStudent', { studentId: student.id }).then(
      (value) => {
        if (current) setFamily(value)
      },
      (e: unknown) => {
        if (current) setError(e)
      },
    )
    return () => {
      current = false
    }
  }, [student.id, epoch, reload])

  const name = `${student.firstName} ${student.lastName}`
  return (
    <dialog
      ref={dialogRef}
      className="family-panel"
      aria-labelledby={titleId}
      onClose={() => {
        if (wanted.current) onClose()
      }}
      onCancel={(e) => {
        // Escape: close through React so the state and the focus follow.
        e.preventDefault()
        onClose()
      }}
    >
      <div className="panel-header">
        <h2 id={titleId}>{t('family.title', { name, elide: elides(name) })}</h2>
        <button type="button" className="button button-quiet" onClick={onClose} autoFocus>
          <CloseIcon />
          {t('common.close')}
        </button>
      </div>
      {/* Focusable so that the keyboard can scroll it: most of its content is text and tables. */}
      <div className="panel-body" tabIndex={0} role="region" aria-labelledby={titleId} aria-busy={family === null && error === null}>
        {error ? (
          <p className="notice notice-error" role="alert">
            {messageOf(error, t)}
          </p>
        ) : family === null ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <FamilyContent family={family} selectedId={student.id} onChanged={() => setReload((n) => n + 1)} />
        )}
      </div>
    </dialog>
  )
}

function FamilyContent({ family, selectedId, onChanged }: { family: Family; selectedId: string; onChanged(): void }) {
  const t = useT()
  const guardiansId = useId()
  const childrenId = useId()
  const childName = new Map(family.children.map((c) => [c.student.id, c.student.firstName]))
  return (
    <>
      <section aria-labelledby={guardiansId} className="family-section">
        <h3 id={guardiansId}>{t('family.guardians', { count: family.guardians.length })}</h3>
        {family.guardians.length === 0 ? (
          <p>{t('family.noGuardian')}</p>
        ) : (
          <ul className="guardian-list">
            {family.guardians.map((g) => (
              <Guardian key={g.id} guardian={g} childName={childName} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={childrenId} className="family-section">
        <h3 id={childrenId}>{t('family.children', { count: family.children.length })}</h3>
        {family.children.map((c) => (
          <Child key={c.student.id} child={c} selected={c.student.id === selectedId} onChanged={onChanged} />
        ))}
      </section>
      <FamilyCredit studentId={selectedId} />
      <FamilyHistory studentId={selectedId} />
    </>
  )
}

function Guardian({ guardian: g, childName }: { guardian: GuardianView; childName: Map<string, string> }) {
  const t = useT()
  const name = `${g.firstName} ${g.lastName}`
  return (
    <li className="guardian card">
      <h4>{name}</h4>
      <dl className="facts facts-compact">
        <dt>{t('family.relationship')}</dt>
        <dd>
          {g.relationships.map((r) => {
            const child = childName.get(r.studentId) ?? ''
            return (
              <span key={r.studentId} className="relationship">
                {t('family.relationshipOf', { relationship: r.relationship, child, elide: elides(child) })}
              </span>
            )
          })}
        </dd>
        <dt>{t('family.email')}</dt>
        <dd>
          {g.email ? <span className="selectable">{g.email}</span> : <span className="muted">{t('family.noEmail')}</span>}
          {g.emailBounced ? (
            <span className="tag tag-warning">
              <AlertIcon />
              {t('family.emailBounced')}
            </span>
          ) : null}
        </dd>
        <dt>{t('family.phone')}</dt>
        <dd>{g.phone ?? <span className="muted">{t('family.noPhone')}</span>}</dd>
        {g.phoneAlt ? (
          <>
            <dt>{t('family.phoneAlt')}</dt>
            <dd>{g.phoneAlt}</dd>
          </>
        ) : null}
        <dt>{t('family.language')}</dt>
        <dd>{t(g.preferredLanguage === 'en' ? 'family.languageEn' : 'family.languageFr')}</dd>
      </dl>
    </li>
  )
}

function Child({ child, selected, onChanged }: { child: FamilyChild; selected: boolean; onChanged(): void }) {
  const t = useT()
  const headingId = useId()
  const s = child.student
  const name = `${s.firstName} ${s.lastName}`
  return (
    <article className={`child card${selected ? ' child-selected' : ''}`} aria-labelledby={headingId}>
      <div className="child-header">
        <h4 id={headingId}>{name}</h4>
        {selected ? <span className="tag tag-info">{t('family.selectedChild')}</span> : null}
        {s.status === 'withdrawn' ? <span className="tag tag-muted">{t('students.withdrawnTag')}</span> : null}
      </div>
      <p className="child-meta">
        <span>{s.schoolName}</span>
        <span>{t('grade.label', { grade: s.grade })}</span>
        <span>{s.className ? t('family.class', { name: s.className }) : t('students.noClass')}</span>
      </p>
      {s.medicalAlert ? (
        <p className="medical-alert">
          <AlertIcon />
          <span>
            <strong>{t('family.medicalAlert')}</strong> {s.medicalAlert}
          </span>
        </p>
      ) : null}
      {child.items.length === 0 ? (
        <p className="muted">{t('family.noItems')}</p>
      ) : (
        <ItemTable items={child.items} childName={s.firstName} studentId={s.id} fullName={name} onChanged={onChanged} />
      )}
    </article>
  )
}

function ItemTable({ items, childName, studentId, fullName, onChanged }: { items: ChildItem[]; childName: string; studentId: string; fullName: string; onChanged(): void }) {
  const t = useT()
  const locale = useLocale()
  // Waivers are the principal's: the column is not there for anyone else.
  const principal = useSession().session.staff.role === 'principal'
  const [waiving, setWaiving] = useState<ChildItem | null>(null)
  const money = (cents: number) => <span className={cents === 0 ? 'muted' : undefined}>{formatMoney(cents, locale)}</span>
  return (
    <table className="items">
      <caption className="sr-only">{t('family.itemsCaption', { name: childName, elide: elides(childName) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('family.col.item')}</th>
          <th scope="col">{t('family.col.kind')}</th>
          <th scope="col">{t('family.col.deadline')}</th>
          <th scope="col" className="num">
            {t('family.col.ordered')}
          </th>
          <th scope="col" className="num">
            {t('family.col.paid')}
          </th>
          <th scope="col" className="num">
            {t('family.col.refunded')}
          </th>
          <th scope="col" className="num">
            {t('family.col.waived')}
          </th>
          <th scope="col">{t('family.col.consent')}</th>
          {principal ? <th scope="col">{t('waive.col')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          // The English title when the UI is English and there is one; the French one otherwise.
          const english = locale === 'en-CA' && item.titleEn
          return (
            <tr key={item.offeringId}>
              <th scope="row" className="item-title">
                <span lang={english ? 'en-CA' : 'fr-CA'}>{english ? item.titleEn : item.titleFr}</span>
                {item.status !== 'published' ? <span className="tag tag-muted">{t('item.status', { status: item.status })}</span> : null}
              </th>
              <td>{t('item.kind', { kind: item.kind })}</td>
              <td className="deadline">
                <Deadline iso={item.deadlineAt} />
              </td>
              <td className="num">{money(item.orderedCents)}</td>
              <td className="num">{money(item.paidCents)}</td>
              <td className="num">{money(item.refundedCents)}</td>
              <td className="num">{money(item.waivedCents)}</td>
              <td>
                {item.needsConsent ? (
                  <span className={`consent consent-${item.consent ?? 'none'}`}>{t('item.consent', { consent: item.consent ?? 'none' })}</span>
                ) : (
                  <span className="muted" title={t('item.noConsentNeeded')}>
                    <span aria-hidden="true">—</span>
                    <span className="sr-only">{t('item.noConsentNeeded')}</span>
                  </span>
                )}
              </td>
              {principal ? (
                <td>
                  {(item.kind === 'fee' || item.kind === 'outing') && item.status !== 'cancelled' && item.status !== 'archived' ? (
                    <button type="button" className="button button-quiet" onClick={() => setWaiving(item)} aria-label={t('waive.openLabel', { item: english ? item.titleEn! : item.titleFr })}>
                      {t('waive.open')}
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          )
        })}
      </tbody>
      {waiving ? (
        <WaiverDialog
          studentId={studentId}
          studentName={fullName}
          item={waiving}
          onClose={(granted) => {
            setWaiving(null)
            if (granted) onChanged()
          }}
        />
      ) : null}
    </table>
  )
}

function Deadline({ iso }: { iso: string }) {
  const locale = useLocale()
  const { day, time } = dayAndTime(iso, locale)
  return (
    <>
      <span className="deadline-day">{day}</span>
      <span className="deadline-time">{time}</span>
    </>
  )
}
