import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addSchoolDays,
  countSchoolDays,
  createSchoolCalendar,
  dayOff,
  isSchoolDay,
  MAX_CALENDAR_ROWS,
  notSchoolDayReason,
  parseCalendarFile,
  schoolDaysBetween,
  weekdayDates,
  type SchoolCalendar,
} from '../../../src/core/domain/catalogue'
import { CAL, DAYS_OFF, TZ, YEAR } from './fixtures'

describe('school days', () => {
  it.each([
    ['2026-09-08', true, undefined], // first day of school, a Tuesday
    ['2026-09-07', false, 'outside_year'], // Labour Day, before the year
    ['2026-11-20', true, undefined],
    ['2026-11-21', false, 'weekend'],
    ['2026-11-22', false, 'weekend'],
    ['2026-11-13', false, 'pd_day'],
    ['2026-10-12', false, 'holiday'],
    ['2026-12-24', false, 'holiday'],
    ['2027-06-25', true, undefined], // last day
    ['2027-06-28', false, 'outside_year'],
  ] as const)('%s: school day %s (%s)', (date, school, reason) => {
    expect(isSchoolDay(CAL, date)).toBe(school)
    expect(notSchoolDayReason(CAL, date)).toBe(reason)
  })

  it('gives the day off with its labels', () => {
    expect(dayOff(CAL, '2027-02-15')).toEqual({ date: '2027-02-15', kind: 'holiday', labelFr: 'Jour de la Famille', labelEn: 'Family Day' })
    expect(dayOff(CAL, '2027-02-16')).toBeUndefined()
  })

  it('reads the days off from a plain array as well as a Map', () => {
    const fromArray: SchoolCalendar = { timeZone: TZ, year: YEAR, daysOff: DAYS_OFF }
    for (const date of ['2026-11-13', '2026-11-16', '2027-03-26']) {
      expect(isSchoolDay(fromArray, date)).toBe(isSchoolDay(CAL, date))
      expect(dayOff(fromArray, date)).toEqual(dayOff(CAL, date))
    }
  })

  it('lists the school days between two dates, both ends included', () => {
    // 14–18 December, then the winter break, then 4–8 January.
    expect(schoolDaysBetween(CAL, '2026-12-14', '2027-01-08')).toEqual([
      '2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18',
      '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
    ])
    expect(countSchoolDays(CAL, '2026-09-01', '2026-09-11')).toBe(4) // the year starts on the 8th
    expect(countSchoolDays(CAL, '2027-01-08', '2027-01-04')).toBe(0)
    expect(countSchoolDays(CAL, '2026-12-21', '2027-01-01')).toBe(0)
  })
})

describe('addSchoolDays', () => {
  it.each([
    ['2026-11-20', 1, '2026-11-23'], // Friday → Monday
    ['2026-11-12', 1, '2026-11-16'], // over the PD Friday and the weekend
    ['2026-11-16', -2, '2026-11-11'], // Monday after a PD Friday, two back: Wednesday
    ['2026-10-13', -1, '2026-10-08'], // over Thanksgiving and the PD Friday before it
    ['2027-01-04', -1, '2026-12-18'], // over the winter break
    ['2027-03-12', 1, '2027-03-22'], // over the March break
    ['2026-11-20', 0, '2026-11-20'],
    ['2026-11-21', 0, '2026-11-21'], // 0 gives the date back, school day or not
    ['2026-11-21', 1, '2026-11-23'], // from a Saturday
    ['2026-11-21', -1, '2026-11-20'],
  ])('%s %+d → %s', (date, n, expected) => {
    expect(addSchoolDays(CAL, date, n)).toBe(expected)
  })

  it('gives undefined past the year, unless told to count working days there', () => {
    expect(addSchoolDays(CAL, '2027-06-25', 1)).toBeUndefined()
    expect(addSchoolDays(CAL, '2026-09-08', -1)).toBeUndefined()
    expect(addSchoolDays(CAL, '2026-09-08', -1, 'weekdays')).toBe('2026-09-07')
    expect(addSchoolDays(CAL, '2026-09-08', -2, 'weekdays')).toBe('2026-09-04')
    const withLabourDay = createSchoolCalendar(TZ, YEAR, [...DAYS_OFF, { date: '2026-09-07', kind: 'holiday', labelFr: 'Fête du Travail' }])
    expect(addSchoolDays(withLabourDay, '2026-09-08', -1, 'weekdays')).toBe('2026-09-04')
  })

  it('refuses a step no caller should take, and a date that is not one', () => {
    expect(() => addSchoolDays(CAL, '2026-11-20', 401)).toThrow(RangeError)
    expect(() => addSchoolDays(CAL, '2026-11-20', 1.5)).toThrow(RangeError)
    expect(() => addSchoolDays(CAL, '2026-02-30', 1)).toThrow(RangeError)
  })

  it('comes back to the same school day: +n then -n', () => {
    const schoolDays = schoolDaysBetween(CAL, YEAR.startsOn, YEAR.endsOn)
    fc.assert(
      fc.property(fc.constantFrom(...schoolDays), fc.integer({ min: 1, max: 60 }), (day, n) => {
        const there = addSchoolDays(CAL, day, n)
        fc.pre(there !== undefined)
        expect(isSchoolDay(CAL, there!)).toBe(true)
        expect(addSchoolDays(CAL, there!, -n)).toBe(day)
        expect(countSchoolDays(CAL, day, there!)).toBe(n + 1)
      }),
    )
  })
})

describe('weekdayDates', () => {
  it('gives the Fridays of December that are school days, and says why the others are not', () => {
    const { dates, skipped } = weekdayDates(CAL, { from: '2026-12-01', to: '2027-01-10', weekdays: [5] })
    expect(dates).toEqual(['2026-12-04', '2026-12-11', '2026-12-18', '2027-01-08'])
    expect(skipped).toEqual([
      { date: '2026-12-25', reason: 'holiday', labelFr: 'Congé des Fêtes', labelEn: 'Winter break' },
      { date: '2027-01-01', reason: 'holiday', labelFr: 'Congé des Fêtes', labelEn: 'Winter break' },
    ])
  })

  it('names PD days, weekends and days outside the year', () => {
    expect(weekdayDates(CAL, { from: '2026-11-09', to: '2026-11-15', weekdays: [5, 6] }).skipped).toEqual([
      { date: '2026-11-13', reason: 'pd_day', labelFr: 'Journée pédagogique', labelEn: 'PD day' },
      { date: '2026-11-14', reason: 'weekend' },
    ])
    expect(weekdayDates(CAL, { from: '2027-06-21', to: '2027-07-02', weekdays: [5] })).toEqual({
      dates: ['2027-06-25'],
      skipped: [{ date: '2027-07-02', reason: 'outside_year' }],
    })
  })

  it('refuses weekdays outside 1–7 and ranges of several years', () => {
    expect(() => weekdayDates(CAL, { from: '2026-12-01', to: '2026-12-31', weekdays: [0] })).toThrow(RangeError)
    expect(() => weekdayDates(CAL, { from: '2026-12-01', to: '2036-12-31', weekdays: [5] })).toThrow(RangeError)
  })
})

describe('parseCalendarFile', () => {
  const GOOD = [
    '# Calendrier 2026-2027, École Sainte-Marie',
    'date,type,libelle_fr,libelle_en',
    '2026-10-09,pedagogique,Journée pédagogique,PD day',
    '',
    '2026-10-12,ferie,Action de grâce,Thanksgiving',
    '  # the winter break',
    '2026-12-21,conge,"Congé des Fêtes, jour 1",Winter break',
    '2027-02-01,fermeture,Tempête,',
  ].join('\n')

  it('reads a good file', () => {
    expect(parseCalendarFile(GOOD)).toEqual({
      ok: true,
      errors: [],
      days: [
        { date: '2026-10-09', kind: 'pd_day', labelFr: 'Journée pédagogique', labelEn: 'PD day' },
        { date: '2026-10-12', kind: 'holiday', labelFr: 'Action de grâce', labelEn: 'Thanksgiving' },
        { date: '2026-12-21', kind: 'holiday', labelFr: 'Congé des Fêtes, jour 1', labelEn: 'Winter break' },
        { date: '2027-02-01', kind: 'closure', labelFr: 'Tempête', labelEn: null },
      ],
    })
  })

  it('tolerates a BOM, CRLF, semicolons, accents and any column order, English names included', () => {
    const text = '\uFEFFLibellé_FR;Type;Date;Label_EN\r\nJournée pédagogique;Pédagogique;2026-11-13;PD day\r\nJour de l\'An;Férié;2027-01-01;"New Year\'s ""Day"""\r\nNeige;closure;2027-02-02;\r\nCongé;HOLIDAY;2027-03-15;March break\r\nJP;pd_day;2027-06-04;\r\n'
    const result = parseCalendarFile(text)
    expect(result.ok).toBe(true)
    expect(result.days.map((d) => [d.date, d.kind, d.labelEn])).toEqual([
      ['2026-11-13', 'pd_day', 'PD day'],
      ['2027-01-01', 'holiday', 'New Year\'s "Day"'],
      ['2027-02-02', 'closure', null],
      ['2027-03-15', 'holiday', 'March break'],
      ['2027-06-04', 'pd_day', null],
    ])
  })

  it('sorts the days by date', () => {
    const text = 'date,type,libelle_fr\n2027-01-15,pedagogique,B\n2026-10-09,pedagogique,A\n'
    expect(parseCalendarFile(text).days.map((d) => d.date)).toEqual(['2026-10-09', '2027-01-15'])
  })

  const header = 'date,type,libelle_fr,libelle_en\n'
  it.each([
    ['calendar.empty', '# nothing here\n\n', 0, {}],
    ['calendar.empty', header, 1, {}],
    ['calendar.missingColumn', 'date,libelle_fr\n2026-10-09,X\n', 1, { column: 'type' }],
    ['calendar.missingColumn', '2026-10-09,pedagogique,Journée pédagogique\n', 1, { column: 'date' }],
    ['calendar.badQuotes', `${header}2026-10-09,pedagogique,"Journée pédagogique,PD day\n`, 2, {}],
    ['calendar.badDate', `${header}2026-02-30,pedagogique,X,\n`, 2, { value: '2026-02-30' }],
    ['calendar.badDate', `${header}09/10/2026,pedagogique,X,\n`, 2, { value: '09/10/2026' }],
    ['calendar.badDate', `${header},pedagogique,X,\n`, 2, { value: '' }],
    ['calendar.badType', `${header}2026-10-09,vacances,X,\n`, 2, { value: 'vacances' }],
    ['calendar.missingLabel', `${header}2026-10-09,pedagogique,,PD day\n`, 2, {}],
    ['calendar.labelTooLong', `${header}2026-10-09,pedagogique,${'x'.repeat(201)},\n`, 2, { max: 200 }],
    ['calendar.conflict', `${header}2026-10-09,pedagogique,X,\n2026-10-09,ferie,X,\n`, 3, { date: '2026-10-09', firstLine: 2 }],
  ])('refuses the whole file on %s', (code, text, line, values) => {
    const result = parseCalendarFile(text)
    expect(result.ok).toBe(false)
    expect(result.days).toEqual([])
    expect(result.errors).toContainEqual({ line, code, values, fatal: true })
  })

  it('reports every bad line, not only the first', () => {
    const result = parseCalendarFile(`${header}2026-13-01,pedagogique,X,\n2026-10-09,vacances,X,\n2026-10-12,ferie,,\n`)
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'calendar.badDate'],
      [3, 'calendar.badType'],
      [4, 'calendar.missingLabel'],
    ])
  })

  it('drops a line repeated word for word, and days outside the year, without refusing the file', () => {
    const text = `${header}2026-10-09,pedagogique,X,\n2026-10-09,pedagogique,X,\n2026-08-31,pedagogique,Avant,\n2027-06-30,conge,Après,\n`
    const result = parseCalendarFile(text, { year: YEAR })
    expect(result.ok).toBe(true)
    expect(result.days.map((d) => d.date)).toEqual(['2026-10-09'])
    expect(result.errors).toEqual([
      { line: 3, code: 'calendar.duplicate', values: { date: '2026-10-09', firstLine: 2 }, fatal: false },
      { line: 4, code: 'calendar.outsideYear', values: { date: '2026-08-31', ...YEAR }, fatal: false },
      { line: 5, code: 'calendar.outsideYear', values: { date: '2027-06-30', ...YEAR }, fatal: false },
    ])
  })

  it('keeps a day off on a weekend but says it changes nothing', () => {
    const result = parseCalendarFile(`${header}2026-10-10,conge,Samedi,\n`)
    expect(result.ok).toBe(true)
    expect(result.days).toHaveLength(1)
    expect(result.errors).toEqual([{ line: 2, code: 'calendar.weekend', values: { date: '2026-10-10' }, fatal: false }])
  })

  it('refuses a file too large to be a calendar', () => {
    const rows = Array.from({ length: MAX_CALENDAR_ROWS + 1 }, () => '2026-10-09,pedagogique,X,').join('\n')
    const result = parseCalendarFile(header + rows)
    expect(result.ok).toBe(false)
    expect(result.errors.at(-1)).toMatchObject({ code: 'calendar.tooLarge', fatal: true })
    expect(parseCalendarFile('x'.repeat(600_000)).errors).toEqual([{ line: 0, code: 'calendar.tooLarge', values: { max: 500_000 }, fatal: true }])
  })

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseCalendarFile(`${header}${text}`)
        expect(result.ok).toBe(!result.errors.some((e) => e.fatal))
        if (!result.ok) expect(result.days).toEqual([])
      }),
    )
  })
})
