import { describe, expect, it } from 'vitest'
import { translate, translateCode } from '../../../src/core/i18n'
import { hasErrors, OUTING_CODES, STUDENT_STATES, validateOuting, validateOutingPlan, type ChaperoneReason, type OutingIssue } from '../../../src/core/domain/outings'
import { catalogs } from '../../../src/shared/i18n'
import { consentingAndPaid, input, plan, row, student, TODAY } from './fixtures'

const codes = (issues: OutingIssue[]) => issues.map((i) => i.code)

describe('the plan’s checks', () => {
  it('pass a sound plan', () => {
    expect(validateOutingPlan(plan({ chaperones: [{ id: 'c1', name: 'Marie Roy', policeCheckExpiresOn: '2027-06-30' }] }), TODAY)).toEqual([])
  })

  it('refuse a ratio of 0, a negative one or a fraction, naming the band', () => {
    const issues = validateOutingPlan(
      plan({
        ratios: [
          { grades: ['4'], studentsPerAdult: 0 },
          { grades: ['5'], studentsPerAdult: -8 },
          { grades: ['6'], studentsPerAdult: 7.5 },
          { grades: ['7'], studentsPerAdult: 12 },
        ],
      }),
      TODAY,
    )
    expect(issues).toEqual([
      { code: 'outing.ratioInvalid', severity: 'error', field: 'ratios.0.studentsPerAdult', values: { band: 1, value: 0 } },
      { code: 'outing.ratioInvalid', severity: 'error', field: 'ratios.1.studentsPerAdult', values: { band: 2, value: -8 } },
      { code: 'outing.ratioInvalid', severity: 'error', field: 'ratios.2.studentsPerAdult', values: { band: 3, value: 7.5 } },
    ])
  })

  it('refuse no ratio at all, a band without grades, a grade in two bands', () => {
    expect(codes(validateOutingPlan(plan({ ratios: [] }), TODAY))).toEqual(['outing.ratioMissing'])
    const issues = validateOutingPlan(
      plan({
        ratios: [
          { grades: ['4', '5'], studentsPerAdult: 10 },
          { grades: [], studentsPerAdult: 10 },
          { grades: ['5', '6'], studentsPerAdult: 8 },
          { grades: ['5'], studentsPerAdult: 8 },
        ],
      }),
      TODAY,
    )
    expect(issues).toEqual([
      { code: 'outing.ratioNoGrades', severity: 'error', field: 'ratios.1.grades', values: { band: 2 } },
      { code: 'outing.gradeInTwoBands', severity: 'error', field: 'ratios.2.grades', values: { grade: '5' } },
    ])
  })

  it('refuse negative seats, a bus without seats, a fraction of a seat, the same bus twice', () => {
    const issues = validateOutingPlan(
      plan({
        buses: [
          { id: 'a', seats: -4 },
          { id: 'b', seats: 0 },
          { id: 'c', seats: 40.5 },
          { id: 'd', seats: 48 },
          { id: 'd', seats: 48 },
        ],
      }),
      TODAY,
    )
    expect(issues).toEqual([
      { code: 'outing.busSeatsNegative', severity: 'error', field: 'buses.0.seats', values: { bus: 1, seats: -4 } },
      { code: 'outing.busNoSeats', severity: 'error', field: 'buses.1.seats', values: { bus: 2 } },
      { code: 'outing.busSeatsNotWhole', severity: 'error', field: 'buses.2.seats', values: { bus: 3, seats: 40.5 } },
      { code: 'outing.busDuplicate', severity: 'error', field: 'buses.4', values: { bus: 5 } },
    ])
  })

  it('refuse a venue limit of 0 or below, negative staff, a negative cost, and buses full of adults', () => {
    expect(validateOutingPlan(plan({ venueLimit: 0 }), TODAY)).toEqual([{ code: 'outing.venueLimitInvalid', severity: 'error', field: 'venueLimit', values: { value: 0 } }])
    expect(codes(validateOutingPlan(plan({ venueLimit: -5 }), TODAY))).toEqual(['outing.venueLimitInvalid'])
    expect(codes(validateOutingPlan(plan({ staffCount: -1 }), TODAY))).toEqual(['outing.staffInvalid'])
    expect(codes(validateOutingPlan(plan({ costCents: -100 }), TODAY))).toEqual(['outing.costInvalid'])
    expect(codes(validateOutingPlan(plan({ costCents: 12.5 }), TODAY))).toEqual(['outing.costInvalid'])
    expect(validateOutingPlan(plan({ buses: [{ id: 'a', seats: 5 }], staffCount: 5 }), TODAY)).toEqual([
      { code: 'outing.noSeatsForStudents', severity: 'error', field: 'buses', values: { seats: 5, adults: 5 } },
    ])
  })

  it('refuse unreadable dates and a last day before the first', () => {
    expect(codes(validateOutingPlan(plan({ date: '2026-13-01' }), TODAY))).toEqual(['outing.dateInvalid'])
    expect(validateOutingPlan(plan({ date: '2026-05-20', endDate: '2026-05-19' }), TODAY)).toEqual([
      { code: 'outing.endDateBeforeDate', severity: 'error', field: 'endDate', values: { date: '2026-05-20', endDate: '2026-05-19' } },
    ])
  })

  it('warn once per chaperone who does not cover, with the reason, and refuse an unreadable expiry or a duplicate', () => {
    const issues = validateOutingPlan(
      plan({
        chaperones: [
          { id: 'c1', name: 'Marie Roy', policeCheckExpiresOn: '2027-06-30' },
          { id: 'c2', name: 'Luc Roy', policeCheckExpiresOn: null },
          { id: 'c3', name: 'Ana Diaz', policeCheckExpiresOn: '2026-03-01' },
          { id: 'c4', name: 'Paul Dion', policeCheckExpiresOn: '2026-05-10' },
          { id: 'c5', name: 'Zoé Gagnon', policeCheckExpiresOn: '31/12/2026' },
          { id: 'c1', name: 'Marie Roy', policeCheckExpiresOn: '2027-06-30' },
        ],
      }),
      TODAY,
    )
    expect(issues).toEqual([
      { code: 'outing.chaperoneCheckMissing', severity: 'warning', field: 'chaperones.1.policeCheckExpiresOn', values: { name: 'Luc Roy' } },
      { code: 'outing.chaperoneCheckExpired', severity: 'warning', field: 'chaperones.2.policeCheckExpiresOn', values: { name: 'Ana Diaz', expiresOn: '2026-03-01' } },
      {
        code: 'outing.chaperoneCheckExpiresBeforeOuting',
        severity: 'warning',
        field: 'chaperones.3.policeCheckExpiresOn',
        values: { name: 'Paul Dion', expiresOn: '2026-05-10', date: '2026-05-20' },
      },
      { code: 'outing.chaperoneCheckDateInvalid', severity: 'error', field: 'chaperones.4.policeCheckExpiresOn', values: { name: 'Zoé Gagnon', value: '31/12/2026' } },
      { code: 'outing.chaperoneDuplicate', severity: 'error', field: 'chaperones.5', values: { name: 'Marie Roy' } },
    ])
    expect(hasErrors(issues)).toBe(true)
    expect(hasErrors(issues.filter((i) => i.severity === 'warning'))).toBe(false)
  })
})

describe('the outing’s checks with its students', () => {
  const students = [student(1, '4'), student(2, '5'), student(3, '7'), student(4, '7')]

  it('refuse a consent for a student who is not eligible, once per student', () => {
    const consents = [row('s001', 'granted', 1), row('s999', 'granted', 2), row('s999', 'withdrawn', 3)]
    const issues = validateOuting(input({ plan: plan({ ratios: [{ grades: ['4', '5', '7'], studentsPerAdult: 10 }] }), students, consents }))
    expect(issues).toEqual([{ code: 'outing.consentNotEligible', severity: 'error', field: 'consents', values: { student: 's999' } }])
  })

  it('refuse eligible students in a grade no band covers', () => {
    expect(validateOuting(input({ students }))).toEqual([{ code: 'outing.gradeWithoutRatio', severity: 'error', field: 'ratios', values: { grade: '7', count: 2 } }])
  })

  it('warn while the covering chaperones are fewer than the confirmed students need', () => {
    const s = Array.from({ length: 21 }, (_, i) => student(i + 1, '5'))
    const chaperones = [
      { id: 'c1', name: 'Marie Roy', policeCheckExpiresOn: '2027-06-30' },
      { id: 'c2', name: 'Luc Roy', policeCheckExpiresOn: null },
    ]
    const issues = validateOuting(input({ plan: plan({ chaperones }), students: s, ...consentingAndPaid(s) }))
    expect(issues).toContainEqual({ code: 'outing.chaperonesShort', severity: 'warning', field: 'chaperones', values: { needed: 3, covering: 1 } })
    expect(codes(issues)).toEqual(['outing.chaperoneCheckMissing', 'outing.chaperonesShort'])
  })
})

describe('the messages', () => {
  const sample: Record<string, string | number> = { value: 0, date: '2026-05-20', endDate: '2026-05-19', band: 2, grade: '7', count: 3, bus: 2, seats: 48, adults: 5, name: 'Marie Roy', expiresOn: '2026-05-10', needed: 3, covering: 1, student: 's999' }

  it('exist in French and English for every code, and use the values', () => {
    for (const code of Object.keys(OUTING_CODES)) {
      expect(catalogs['fr-CA'], code).toHaveProperty([code])
      expect(catalogs['en-CA'], code).toHaveProperty([code])
      for (const locale of ['fr-CA', 'en-CA'] as const) {
        const text = translateCode(locale, code, sample)
        expect(text).not.toBe(translate(locale, 'issue.invalid'))
        expect(text).not.toMatch(/[{}]/)
      }
    }
    expect(translate('fr-CA', 'outing.ratioInvalid', { band: 1, value: 0 })).toBe('Groupe 1 : le nombre d’élèves par adulte doit être un nombre entier d’au moins 1 (reçu : 0).')
    expect(translate('en-CA', 'outing.chaperoneCheckExpired', { name: 'Ana Diaz', expiresOn: '2026-03-01' })).toBe(
      'Ana Diaz: the police records check expired on 2026-03-01. Does not count as a chaperone.',
    )
  })

  it('name every state and every reason in both languages', () => {
    const reasons: ChaperoneReason[] = ['checkMissing', 'checkDateInvalid', 'checkExpired', 'checkExpiresBeforeOuting']
    for (const locale of ['fr-CA', 'en-CA'] as const) {
      for (const state of STUDENT_STATES) expect(translate(locale, 'outing.state', { state })).not.toBe(state)
      for (const reason of reasons) expect(translate(locale, 'outing.chaperoneReason', { reason })).not.toBe(reason)
    }
    expect(translate('fr-CA', 'outing.state', { state: 'waitlisted' })).toBe('Liste d’attente')
  })
})
