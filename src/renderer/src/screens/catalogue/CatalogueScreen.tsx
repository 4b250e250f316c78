import { createColumnHelper, type SortingState } from '@tanstack/react-table'
import { useEffect, useId, useMemo, useState } from 'react'
import type { Input, Output } from '../../../../shared/contract'
import type { CatalogueRow } from '../../../../shared/contract/catalogue'
import type { SchoolView } from '../../../../shared/contract/system'
import { formatInstant } from '../../../../shared/format'
import type { MessageKey } from '../../../../shared/i18n'
import { navigate, subHref, useSubPath } from '../../app/routes'
import { useSession } from '../../app/session'
import { useLocale, useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { SchoolSelect } from '../../ui/SchoolSelect'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { Pager } from '../../ui/Pager'
import { SortableTable, useServerSortedTable, type SortedGridFeatures } from '../../ui/SortableTable'
import { useDebounced } from '../../ui/useDebounced'
import { isKind, KINDS, STATUSES } from './draft'
import { MonthCalendar } from './MonthCalendar'
import { OfferingEditor } from './OfferingEditor'
import { SchoolCalendar } from './SchoolCalendar'

/** '#/catalogue', '#/catalogue/article/ID', '#/catalogue/nouveau/program', '#/catalogue/calendrier', '#/catalogue/calendrier-scolaire'. */
export function CatalogueScreen() {
  const [view, arg] = useSubPath()
  if (view === 'article' && arg) return <OfferingEditor key={arg} id={arg} />
  if (view === 'nouveau' && isKind(arg)) return <OfferingEditor key={`new-${arg}`} newKind={arg} />
  return <CatalogueHome view={view === 'calendrier' ? 'month' : view === 'calendrier-scolaire' ? 'school' : 'items'} />
}

const VIEWS = [
  { id: 'items', path: [] as string[], label: 'cat.view.items' },
  { id: 'month', path: ['calendrier'], label: 'cat.view.month' },
  { id: 'school', path: ['calendrier-scolaire'], label: 'cat.view.school' },
] as const satisfies ReadonlyArray<{ id: string; path: string[]; label: MessageKey }>

function CatalogueHome({ view }: { view: (typeof VIEWS)[number]['id'] }) {
  const t = useT()
  const { epoch } = useSession()
  const [schools, setSchools] = useState<SchoolView[]>([])
  useEffect(() => {
    call('schools.list', {}).then(setSchools, () => setSchools([]))
  }, [epoch])
  return (
    <div className="screen screen-catalogue">
      <ScreenHeading>{t('nav.catalogue')}</ScreenHeading>
      <nav className="subnav" aria-label={t('cat.views')}>
        {VIEWS.map((v) => (
          <a key={v.id} href={subHref('catalogue', ...v.path)} aria-current={v.id === view ? 'page' : undefined}>
            {t(v.label)}
          </a>
        ))}
      </nav>
      {view === 'items' ? <ItemsView schools={schools} /> : view === 'month' ? <MonthCalendar schools={schools} /> : <SchoolCalendar schools={schools} />}
    </div>
  )
}

const PAGE_SIZE = 50
type SortField = NonNullable<Input<'catalogue.list'>['sort']>['field']
const SORTABLE: Record<string, SortField> = { titleFr: 'titleFr', kind: 'kind', status: 'status', deadlineAt: 'deadlineAt', opensAt: 'opensAt' }
const helper = createColumnHelper<SortedGridFeatures, CatalogueRow>()

function TitleCell({ row }: { row: { original: CatalogueRow } }) {
  const t = useT()
  const r = row.original
  return (
    <>
      <a href={subHref('catalogue', 'article', r.id)}>{r.titleFr}</a>
      {r.waitingToSend > 0 ? <span className="tag tag-info">{t('cat.waitingToSend')}</span> : null}
    </>
  )
}
function Label({ k }: { k: MessageKey }) {
  return <>{useT()(k)}</>
}
function WhenCell({ iso }: { iso: string }) {
  return <>{formatInstant(iso, useLocale())}</>
}

const columns = helper.columns([
  helper.accessor('titleFr', { meta: { label: 'cat.col.title' }, cell: TitleCell }),
  helper.accessor('kind', { meta: { label: 'cat.col.kind' }, cell: ({ getValue }) => <Label k={`cat.kind.${getValue()}`} /> }),
  helper.accessor('status', { meta: { label: 'cat.col.status' }, cell: ({ getValue }) => <span className={`tag status-${getValue()}`}><Label k={`cat.status.${getValue()}`} /></span> }),
  helper.accessor('schoolName', { enableSorting: false, meta: { label: 'cat.col.school' } }),
  helper.accessor('deadlineAt', { meta: { label: 'cat.col.deadline' }, cell: ({ getValue }) => <WhenCell iso={getValue()} /> }),
  helper.accessor('eligible', { enableSorting: false, meta: { label: 'cat.col.eligible', numeric: true } }),
  helper.accessor('answered', { enableSorting: false, meta: { label: 'cat.col.answered', numeric: true } }),
  helper.accessor('paid', { enableSorting: false, meta: { label: 'cat.col.paid', numeric: true } }),
])

function ItemsView({ schools }: { schools: SchoolView[] }) {
  const t = useT()
  const { epoch } = useSession()
  const ids = { search: useId(), kind: useId(), status: useId(), count: useId(), newKind: useId(), template: useId(), templateSchool: useId() }
  const [query, setQuery] = useState('')
  const debounced = useDebounced(query.trim(), 200)
  const [filters, setFilters] = useState({ schoolId: '', kind: '', status: '' })
  const [sorting, setSorting] = useState<SortingState>([{ id: 'deadlineAt', desc: true }])
  const [page, setPage] = useState(0)
  const [result, setResult] = useState<Output<'catalogue.list'> | null>(null)
  const [error, setError] = useState('')
  const [newKind, setNewKind] = useState<string>('program')
  const [template, setTemplate] = useState<'photos' | 'internet' | 'walks'>('photos')
  const [templateSchool, setTemplateSchool] = useState('')

  const sort = sorting[0]
  const input = useMemo<Input<'catalogue.list'>>(
    () => ({
      query: debounced,
      sort: { field: (sort && SORTABLE[sort.id]) || 'deadlineAt', direction: sort?.desc ? 'desc' : 'asc' },
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(filters.schoolId ? { schoolId: filters.schoolId } : {}),
      ...(isKind(filters.kind) ? { kind: filters.kind } : {}),
      ...(filters.status ? { status: filters.status as (typeof STATUSES)[number] } : {}),
    }),
    [debounced, sort, page, filters],
  )
  useEffect(() => {
    let current = true
    call('catalogue.list', input).then(
      (r) => current && (setResult(r), setError('')),
      (e: unknown) => current && setError(messageOf(e, t)),
    )
    return () => {
      current = false
    }
  }, [input, epoch, t])

  const table = useServerSortedTable({ columns, data: result?.rows ?? [], getRowId: (r) => r.id, sorting, setSorting, setPage })
  const setFilter = (key: keyof typeof filters, value: string) => {
    setFilters((f) => ({ ...f, [key]: value }))
    setPage(0)
  }
  const fromTemplate = async () => {
    try {
      const created = await call('catalogue.fromTemplate', { schoolId: templateSchool || schools[0]!.id, template })
      navigate('catalogue', 'article', created.id)
    } catch (e) {
      setError(messageOf(e, t))
    }
  }
  const total = result?.total ?? 0
  return (
    <>
      <div className="catalogue-create">
        <fieldset className="create-group">
        <legend>{t('cat.new.title')}</legend>
        <div className="field">
          <label htmlFor={ids.newKind}>{t('cat.new.kind')}</label>
          <select id={ids.newKind} value={newKind} onChange={(e) => setNewKind(e.target.value)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cat.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button-primary" onClick={() => navigate('catalogue', 'nouveau', newKind)}>
          {t('cat.new.create')}
        </button>
        </fieldset>
        <fieldset className="create-group">
        <legend>{t('cat.template.title')}</legend>
        <div className="field">
          <label htmlFor={ids.template}>{t('cat.template')}</label>
          <select id={ids.template} value={template} onChange={(e) => setTemplate(e.target.value as typeof template)}>
            {(['photos', 'internet', 'walks'] as const).map((x) => (
              <option key={x} value={x}>
                {t(`template.${x}.title`)}
              </option>
            ))}
          </select>
        </div>
        {schools.length > 1 ? (
          <div className="field">
            <label htmlFor={ids.templateSchool}>{t('cat.school')}</label>
            <select id={ids.templateSchool} value={templateSchool} onChange={(e) => setTemplateSchool(e.target.value)}>
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="button" className="button" disabled={!schools.length} onClick={() => void fromTemplate()}>
          {t('cat.template.create')}
        </button>
        </fieldset>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor={ids.search}>{t('cat.search')}</label>
          <input id={ids.search} type="search" value={query} onChange={(e) => (setQuery(e.target.value), setPage(0))} />
        </div>
        <SchoolSelect schools={schools} value={filters.schoolId} onChange={(v) => setFilter('schoolId', v)} label={t('cat.school')} allLabel={t('cat.allSchools')} />
        <div className="field">
          <label htmlFor={ids.kind}>{t('cat.col.kind')}</label>
          <select id={ids.kind} value={filters.kind} onChange={(e) => setFilter('kind', e.target.value)}>
            <option value="">{t('cat.allKinds')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cat.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('cat.col.status')}</label>
          <select id={ids.status} value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">{t('cat.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`cat.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <div className="orders-bar">
        <p id={ids.count} role="status" className="report-count">
          {result ? (total === 0 ? t('cat.none') : t('cat.count', { from: page * PAGE_SIZE + 1, to: Math.min(total, (page + 1) * PAGE_SIZE), total })) : ''}
        </p>
        <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />
      </div>
      <SortableTable table={table} describedBy={ids.count} />
    </>
  )
}
