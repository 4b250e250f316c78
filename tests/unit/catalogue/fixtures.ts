import { createSchoolCalendar, type DayOff, type OfferingDraft, type SchoolCalendar } from '../../../src/core/domain/catalogue'

/**
 * The 2026–2027 year of a Toronto school: Labour Day is Monday 7 September, classes run from
 * Tuesday 8 September to Friday 25 June. Clocks fall back on Sunday 1 November 2026 and spring
 * forward on Sunday 14 March 2027, so noon in Toronto is 16:00Z before and 17:00Z between.
 */
export const TZ = 'America/Toronto'
export const YEAR = { startsOn: '2026-09-08', endsOn: '2027-06-25' }

const holiday = (date: string, labelFr: string, labelEn: string): DayOff => ({ date, kind: 'holiday', labelFr, labelEn })
const pd = (date: string): DayOff => ({ date, kind: 'pd_day', labelFr: 'Journée pédagogique', labelEn: 'PD day' })

export const DAYS_OFF: DayOff[] = [
  pd('2026-10-09'),
  holiday('2026-10-12', 'Action de grâce', 'Thanksgiving'),
  pd('2026-11-13'),
  ...['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-25', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01'].map((d) =>
    holiday(d, 'Congé des Fêtes', 'Winter break'),
  ),
  pd('2027-01-15'),
  pd('2027-02-12'),
  holiday('2027-02-15', 'Jour de la Famille', 'Family Day'),
  ...['2027-03-15', '2027-03-16', '2027-03-17', '2027-03-18', '2027-03-19'].map((d) => holiday(d, 'Congé de mars', 'March break')),
  holiday('2027-03-26', 'Vendredi saint', 'Good Friday'),
  holiday('2027-03-29', 'Lundi de Pâques', 'Easter Monday'),
  holiday('2027-05-24', 'Fête de la Reine', 'Victoria Day'),
  pd('2027-06-04'),
]

export const CAL: SchoolCalendar = createSchoolCalendar(TZ, YEAR, DAYS_OFF)

/** Midnight-to-midnight instants are easy to misread; name the ones the tests lean on. */
export const NOW = '2026-11-20T15:00:00.000Z' // Friday 20 November 2026, 10:00 in Toronto

const base: Omit<OfferingDraft, 'kind'> = {
  titleFr: 'Titre',
  titleEn: 'Title',
  descriptionFr: 'Description en français.',
  descriptionEn: 'English description.',
  opensAt: '2026-11-23T13:00:00.000Z', // Monday 23 November, 08:00
  deadlineAt: '2026-12-04T04:59:00.000Z', // Thursday 3 December, 23:59
  priceCents: 500,
  feePer: null,
  required: false,
  stockLimit: null,
  perStudentLimit: null,
  reminderDaysBefore: 3,
  targets: [{ kind: 'grade', value: '3' }],
  variants: [],
  dates: [],
  outing: null,
  questions: [],
}

/** One draft per kind that the checker passes without a single problem, warnings included. */
export const CLEAN: Record<OfferingDraft['kind'], OfferingDraft> = {
  product: {
    ...base,
    kind: 'product',
    titleFr: 'T-shirt de l’école',
    titleEn: 'School T-shirt',
    stockLimit: 200,
    perStudentLimit: 2,
    variants: [
      { id: 'v-s', labelFr: 'Petit', labelEn: 'Small', priceCents: 1500 },
      { id: 'v-m', labelFr: 'Moyen', labelEn: 'Medium', priceCents: 1500 },
      { id: 'v-l', labelFr: 'Grand', labelEn: 'Large', priceCents: 1800 },
    ],
  },
  program: {
    ...base,
    kind: 'program',
    titleFr: 'Pizza du vendredi',
    titleEn: 'Pizza Friday',
    deadlineAt: '2027-01-20T04:59:00.000Z', // Tuesday 19 January, 23:59
    variants: [
      { id: 'v-fromage', labelFr: 'Fromage', labelEn: 'Cheese', priceCents: 350 },
      { id: 'v-pepperoni', labelFr: 'Pepperoni', labelEn: 'Pepperoni', priceCents: 400 },
    ],
    dates: [
      { id: 'd1', date: '2026-12-04', cutoffAt: '2026-12-02T17:00:00.000Z', supplier: 'Pizza Nova' },
      { id: 'd2', date: '2026-12-11', cutoffAt: '2026-12-09T17:00:00.000Z', supplier: 'Pizza Nova' },
      { id: 'd3', date: '2026-12-18', cutoffAt: '2026-12-16T17:00:00.000Z', supplier: 'Pizza Nova' },
    ],
  },
  fee: { ...base, kind: 'fee', titleFr: 'Cotisation scolaire', titleEn: 'School dues', priceCents: 2500, feePer: 'family', required: true },
  outing: {
    ...base,
    kind: 'outing',
    titleFr: 'Sortie au Musée royal de l’Ontario',
    titleEn: 'Trip to the Royal Ontario Museum',
    priceCents: 1200,
    outing: {
      startsOn: '2026-12-10',
      endsOn: '2026-12-10',
      startTime: '09:00',
      endTime: '14:30',
      destination: 'Musée royal de l’Ontario',
      venueLimit: 60,
      busCount: 1,
      seatsPerBus: 48,
      staffCount: 4,
    },
    questions: [{ id: 'q1', kind: 'yes_no', labelFr: 'Médicament à prendre ?', labelEn: 'Medication to take?', choices: [], required: true }],
  },
  consent_form: {
    ...base,
    kind: 'consent_form',
    titleFr: 'Consentements de la rentrée',
    titleEn: 'Start-of-year consents',
    priceCents: 0,
    targets: [{ kind: 'school', value: 'school-1' }],
    questions: [
      { id: 'q1', kind: 'yes_no', labelFr: 'Photos sur le site de l’école', labelEn: 'Photos on the school website', choices: [], required: true },
      {
        id: 'q2',
        kind: 'choice',
        labelFr: 'Accès à Internet',
        labelEn: 'Internet access',
        choices: [
          { labelFr: 'Oui', labelEn: 'Yes' },
          { labelFr: 'Non', labelEn: 'No' },
          { labelFr: 'Supervisé seulement', labelEn: 'Supervised only' },
        ],
        required: true,
      },
      { id: 'q3', kind: 'text', labelFr: 'Remarques', labelEn: 'Remarks', choices: [], required: false },
    ],
  },
}

/** Outings also need these from the caller for the checker to stay quiet. */
export const CLEAN_CONTEXT = { now: NOW, calendar: CAL, eligibleCount: 60, chaperoneRatio: 10 }
