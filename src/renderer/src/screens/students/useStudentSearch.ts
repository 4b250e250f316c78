import { useEffect, useState } from 'react'
import type { Output } from '../../../../shared/contract'
import type { StudentSearchInput } from '../../../../shared/contract/students'
import { call } from '../../rpc/client'

export type SearchResult = Output<'students.search'>

export interface SearchState {
  result: SearchResult | null
  loading: boolean
  error: unknown
}

/**
 * students.search for the given input; the core filters, sorts and pages. Each new input cancels
 * the answer of the previous one, so an older, slower response never replaces a newer one.
 * `epoch` forces a reload (after unlocking, for one).
 */
export function useStudentSearch(input: StudentSearchInput, epoch: number): SearchState {
  const key = JSON.stringify(input)
  const [state, setState] = useState<SearchState>({ result: null, loading: true, error: null })

  useEffect(() => {
    let current = true
    setState((s) => ({ ...s, loading: true }))
    call('students.search', JSON.parse(key) as StudentSearchInput).then(
      (result) => {
        if (current) setState({ result, loading: false, error: null })
      },
      (error: unknown) => {
        if (current) setState((s) => ({ ...s, loading: false, error }))
      },
    )
    return () => {
      current = false
    }
  }, [key, epoch])

  return state
}
