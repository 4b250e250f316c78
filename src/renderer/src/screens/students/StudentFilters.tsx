import { useId } from 'react'
import type { ClassView, SchoolView } from '../../../../shared/contract/system'
import { useT } from '../../i18n/I18n'
import { SearchIcon } from '../../ui/Icons'
import { GRADES, type Grade } from './labels'

export type StatusFilter = 'active' | 'withdrawn' | 'all'

export interface Filters {
  schoolId: string
  grade: Grade | ''
  classId: string
  status: StatusFilter
}

export const NO_FILTERS: Filters = { schoolId: '', grade: '', classId: '', status: 'active' }

export function isFiltered(query: string, filters: Filters): boolean {
  return query.trim() !== '' || filters.schoolId !== '' || filters.grade !== '' || filters.classId !== '' || filters.status !== 'active'
}

interface Props {
  query: string
  onQueryChange(query: string): void
  filters: Filters
  onFiltersChange(filters: Filters): void
  schools: readonly SchoolView[]
  classes: readonly ClassView[]
}

/** Search as you type and the four filters, in a search landmark. */
export function StudentFilters({ query, onQueryChange, filters, onFiltersChange, schools, classes }: Props) {
  const t = useT()
  const ids = { query: useId(), school: useId(), grade: useId(), klass: useId(), status: useId(), hint: useId() }
  const set = (change: Partial<Filters>) => onFiltersChange({ ...filters, ...change })

  // Classes of the chosen school; with no school chosen, every class grouped by school.
  const visibleClasses = filters.schoolId ? classes.filter((c) => c.schoolId === filters.schoolId) : classes
  const groups = schools
    .map((s) => ({ school: s, classes: visibleClasses.filter((c) => c.schoolId === s.id) }))
    .filter((g) => g.classes.length > 0)

  return (
    <form className="filters" role="search" aria-label={t('students.searchLabel')} onSubmit={(e) => e.preventDefault()}>
      <div className="field field-search">
        <label htmlFor={ids.query}>{t('students.query')}</label>
        <div className="search-box">
          <SearchIcon />
          <input
            id={ids.query}
            type="search"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            aria-describedby={ids.hint}
            value={query}
            onChange={(e) => onQueryChange(e.target.value)}
          />
        </div>
        <span id={ids.hint} className="field-hint">
          {t('students.queryHint')}
        </span>
      </div>

      <div className="field filter-school">
        <label htmlFor={ids.school}>{t('students.school')}</label>
        <select
          id={ids.school}
          value={filters.schoolId}
          onChange={(e) => {
            const schoolId = e.target.value
            const keepClass = classes.some((c) => c.id === filters.classId && c.schoolId === schoolId)
            set({ schoolId, classId: keepClass ? filters.classId : '' })
          }}
        >
          <option value="">{t('students.allSchools')}</option>
          {schools.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>

      <div className="field">
        <label htmlFor={ids.grade}>{t('students.grade')}</label>
        <select id={ids.grade} value={filters.grade} onChange={(e) => set({ grade: e.target.value as Grade | '' })}>
          <option value="">{t('students.allGrades')}</option>
          {GRADES.map((g) => (
            <option key={g} value={g}>
              {t('grade.label', { grade: g })}
            </option>
          ))}
        </select>
      </div>

      <div className="field filter-class">
        <label htmlFor={ids.klass}>{t('students.class')}</label>
        <select id={ids.klass} value={filters.classId} onChange={(e) => set({ classId: e.target.value })}>
          <option value="">{t('students.allClasses')}</option>
          {filters.schoolId
            ? visibleClasses.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.teacher ? t('students.classOption', { name: c.name, teacher: c.teacher }) : c.name}
                </option>
              ))
            : groups.map((g) => (
                <optgroup key={g.school.id} label={g.school.name}>
                  {g.classes.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.teacher ? t('students.classOption', { name: c.name, teacher: c.teacher }) : c.name}
                    </option>
                  ))}
                </optgroup>
              ))}
        </select>
      </div>

      <div className="field filter-status">
        <label htmlFor={ids.status}>{t('students.status')}</label>
        <select id={ids.status} value={filters.status} onChange={(e) => set({ status: e.target.value as StatusFilter })}>
          <option value="active">{t('students.statusActive')}</option>
          <option value="withdrawn">{t('students.statusWithdrawn')}</option>
          <option value="all">{t('students.statusAll')}</option>
        </select>
      </div>

    </form>
  )
}
