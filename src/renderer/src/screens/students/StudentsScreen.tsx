import type { PaginationState, SortingState, Updater } from '@tanstack/react-table'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { StudentRow, StudentSearchInput } from '../../../../shared/contract/students'
import type { ClassView, SchoolView } from '../../../../shared/contract/system'
import { navigate, useSubPath } from '../../app/routes'
import { useSession } from '../../app/session'
import { useT } from '../../i18n/I18n'
import { call } from '../../rpc/client'
import { messageOf } from '../../ui/errors'
import { ExportButton, withoutPage } from '../../ui/ExportButton'
import { ChevronIcon } from '../../ui/Icons'
import { ScreenHeading } from '../../ui/ScreenHeading'
import { useDebounced } from '../../ui/useDebounced'
import { FamilyPanel } from './FamilyPanel'
import { isFiltered, NO_FILTERS, StudentFilters, type Filters } from './StudentFilters'
import { StudentGrid } from './StudentGrid'
import { useStudentSearch } from './useStudentSearch'

export const PAGE_SIZE = 50
/** Long enough to skip the keystrokes of a name typed quickly, short enough to feel instant. */
const SEARCH_DEBOUNCE_MS = 120
const EMPTY: StudentRow[] = []

// The contract's sort fields, repeated as a type-checked list so that zod stays out of the bundle.
type SortField = NonNullable<StudentSearchInput['sort']>['field']
const SORT_FIELDS = ['lastName', 'firstName', 'grade', 'className', 'schoolName'] as const satisfies readonly SortField[]
const isSortField = (id: string): id is SortField => (SORT_FIELDS as readonly string[]).includes(id)

export function StudentsScreen() {
  const t = useT()
  const { epoch } = useSession()
  const titleId = useId()
  const hintId = useId()

  const [query, setQuery] = useState('')
  const debouncedQuery = useDebounced(query.trim(), SEARCH_DEBOUNCE_MS)
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [sorting, setSorting] = useState<SortingState>([{ id: 'lastName', desc: false }])

  // The page belongs to one search: any new search, filter or sort starts again at page 1.
  const searchKey = JSON.stringify([debouncedQuery, filters, sorting])
  const [page, setPage] = useState({ key: searchKey, index: 0 })
  const pageIndex = page.key === searchKey ? page.index : 0
  const pagination: PaginationState = useMemo(() => ({ pageIndex, pageSize: PAGE_SIZE }), [pageIndex])

  const sort = sorting[0]
  const input: StudentSearchInput = {
    query: debouncedQuery,
    status: filters.status,
    sort: { field: sort && isSortField(sort.id) ? sort.id : 'lastName', direction: sort?.desc ? 'desc' : 'asc' },
    offset: pageIndex * PAGE_SIZE,
    limit: PAGE_SIZE,
    ...(filters.schoolId ? { schoolId: filters.schoolId } : {}),
    ...(filters.grade ? { grade: filters.grade } : {}),
    ...(filters.classId ? { classId: filters.classId } : {}),
  }
  const search = useStudentSearch(input, epoch)
  const rows = search.result?.rows ?? EMPTY
  const total = search.result?.total ?? 0

  const [schools, setSchools] = useState<SchoolView[]>([])
  const [classes, setClasses] = useState<ClassView[]>([])
  useEffect(() => {
    let current = true
    Promise.all([call('schools.list', {}), call('classes.list', {})]).then(
      ([s, c]) => {
        if (!current) return
        setSchools(s)
        setClasses(c)
      },
      () => {
        // The filters stay without their lists; the grid reports errors itself.
      },
    )
    return () => {
      current = false
    }
  }, [epoch])

  const [open, setOpen] = useState<StudentRow | null>(null)
  const returnFocus = useRef<HTMLElement | null>(null)

  // '#/eleves/famille/ID' (the dashboard's roster alerts) opens that student's family.
  const [view, linkedId] = useSubPath()
  useEffect(() => {
    if (view !== 'famille' || !linkedId) return
    let current = true
    call('families.ofStudent', { studentId: linkedId }).then(
      (family) => {
        const child = family.children.find((c) => c.student.id === linkedId)
        if (current && child) setOpen(child.student)
      },
      () => undefined,
    )
    return () => {
      current = false
    }
  }, [view, linkedId, epoch])

  const onPaginationChange = (updater: Updater<PaginationState>) => {
    const next = typeof updater === 'function' ? updater(pagination) : updater
    setPage({ key: searchKey, index: next.pageIndex })
  }
  const onSortingChange = (updater: Updater<SortingState>) => {
    setSorting((current) => (typeof updater === 'function' ? updater(current) : updater))
  }

  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const from = total === 0 ? 0 : pageIndex * PAGE_SIZE + 1
  const to = Math.min(total, (pageIndex + 1) * PAGE_SIZE)
  const canPrevious = pageIndex > 0
  const canNext = pageIndex + 1 < pageCount

  let status: string
  if (search.result === null) status = search.error ? '' : t('common.loading')
  else if (total === 0) status = t('students.none')
  else status = t('students.count', { from, to, total })

  return (
    <div className="screen screen-students">
      <ScreenHeading>
        <span id={titleId}>{t('nav.students')}</span>
      </ScreenHeading>
      <StudentFilters query={query} onQueryChange={setQuery} filters={filters} onFiltersChange={setFilters} schools={schools} classes={classes} />

      <div className="grid-toolbar">
        <div className="grid-toolbar-start">
          <p className="result-count" role="status" aria-live="polite" aria-atomic="true">
            {status}
          </p>
          {isFiltered(query, filters) ? (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setQuery('')
                setFilters(NO_FILTERS)
              }}
            >
              {t('students.clearFilters')}
            </button>
          ) : null}
          <ExportButton fetch={() => call('reports.studentsXlsx', withoutPage(input))} />
        </div>
        <div className="pager" role="group" aria-label={t('students.pagerLabel')}>
          {/* aria-disabled rather than disabled: the button keeps focus when it reaches the first page. */}
          <button
            type="button"
            className="button"
            aria-disabled={!canPrevious}
            onClick={() => canPrevious && onPaginationChange((p) => ({ ...p, pageIndex: p.pageIndex - 1 }))}
          >
            <ChevronIcon direction="left" />
            {t('students.previousPage')}
          </button>
          <span className="pager-position">{t('students.pagePosition', { page: pageIndex + 1, pages: pageCount })}</span>
          <button
            type="button"
            className="button"
            aria-disabled={!canNext}
            onClick={() => canNext && onPaginationChange((p) => ({ ...p, pageIndex: p.pageIndex + 1 }))}
          >
            {t('students.nextPage')}
            <ChevronIcon direction="right" />
          </button>
        </div>
      </div>

      {search.error ? (
        <div className="notice notice-error" role="alert">
          {messageOf(search.error, t)}
        </div>
      ) : null}

      <StudentGrid
        rows={rows}
        total={total}
        loading={search.loading}
        sorting={sorting}
        onSortingChange={onSortingChange}
        pagination={pagination}
        onPaginationChange={onPaginationChange}
        labelledBy={titleId}
        describedBy={hintId}
        empty={search.result !== null && total === 0 ? <p className="grid-empty">{t('students.noneHelp')}</p> : null}
        onOpen={(student, fromElement) => {
          returnFocus.current = fromElement
          setOpen(student)
        }}
      />
      <p id={hintId} className="grid-hint">
        {t('students.gridHint')}
      </p>

      {open ? (
        <FamilyPanel
          student={open}
          onClose={() => {
            setOpen(null)
            if (view === 'famille') navigate('students')
            // Once the modal dialog is gone (the page behind is inert until then), back to the row.
            requestAnimationFrame(() => {
              const back = returnFocus.current
              if (back?.isConnected) back.focus()
              else document.querySelector<HTMLElement>('.student-grid tbody tr[tabindex="0"]')?.focus()
            })
          }}
        />
      ) : null}
    </div>
  )
}
