import type { Grade, OfferingKind, OfferingStatus } from '../db/schema'
import { addDays, DAY_MS, lastWeekdayOnOrBefore, localDate, localToUtc, schoolYear, weekday, ymd, type SchoolYear } from './calendar'
import type { IdMaker, Rng } from './random'
import type { SchoolPlan } from './roster'

export type Role = 'fee' | 'pizza' | 'milk' | 'lunch' | 'popcorn' | 'outing' | 'pastOuting' | 'consentForm' | 'tshirt'

export interface VariantPlan {
  id: string
  labelFr: string
  labelEn: string
  priceCents: number
  sort: number
}

export interface ProgramDatePlan {
  id: string
  date: string
  cutoffMs: number
  supplier: string
  cancelReason: string | null
}

export interface OutingPlan {
  date: string
  startTime: string
  endTime: string
  destination: string
  venueLimit: number
  busCount: number
  seatsPerBus: number
  staffCount: number
}

export interface QuestionPlan {
  id: string
  kind: 'yes_no' | 'text'
  labelFr: string
  labelEn: string
  required: boolean
}

export interface OfferingPlan {
  id: string
  role: Role
  school: SchoolPlan
  kind: OfferingKind
  status: OfferingStatus
  schoolYear: string
  titleFr: string
  titleEn: string
  descriptionFr: string
  descriptionEn: string
  opensMs: number
  deadlineMs: number
  priceCents: number
  feePer: 'student' | 'family' | null
  required: boolean
  stockLimit: number | null
  perStudentLimit: number | null
  createdMs: number
  updatedMs: number
  publishedMs: number | null
  /** Grades it reaches; null for the whole school. */
  grades: readonly Grade[] | null
  variants: VariantPlan[]
  dates: ProgramDatePlan[]
  outing: OutingPlan | null
  questions: QuestionPlan[]
  /** False when the item belongs to a year before this board's data (no activity recorded). */
  active: boolean
}

export interface CatalogueInput {
  rng: Rng
  ids: IdMaker
  school: SchoolPlan
  schoolIndex: number
  year: SchoolYear
  openMs: number
  anchorMs: number
  staffCreatedMs: number
}

const PRIMARY: readonly Grade[] = ['JK', 'SK', '1', '2', '3']
const JUNIOR: readonly Grade[] = ['4', '5', '6']
const EARLY: readonly Grade[] = ['JK', 'SK', '1', '2']

/** 23:59 on a local date: the end of the day a deadline names. */
function endOfDay(date: string): number {
  return localToUtc(date, 23, 59)
}

function firstSchoolDayOnOrAfter(year: SchoolYear, date: string): string | undefined {
  return year.schoolDays.find((d) => d >= date)
}

function lastSchoolDayOnOrBefore(year: SchoolYear, date: string): string | undefined {
  for (let i = year.schoolDays.length - 1; i >= 0; i--) if (year.schoolDays[i]! <= date) return year.schoolDays[i]
  return undefined
}

export function buildCatalogue(input: CatalogueInput): OfferingPlan[] {
  const { rng, ids, school, schoolIndex, year, openMs, anchorMs } = input
  const anchorDate = localDate(anchorMs)
  // Before the first day of school, the sale and the outing are being prepared for the fall:
  // they are placed around the third week of school and left as drafts.
  const summer = anchorDate < year.startsOn
  const pivot = summer ? addDays(year.startsOn, 21) : anchorDate
  const label = year.label
  const out: OfferingPlan[] = []
  const statusOf = (deadlineMs: number): OfferingStatus => (deadlineMs < anchorMs ? 'closed' : 'published')

  const offering = (o: Partial<OfferingPlan> & Pick<OfferingPlan, 'role' | 'kind' | 'titleFr' | 'titleEn' | 'descriptionFr' | 'descriptionEn' | 'opensMs' | 'deadlineMs'>): OfferingPlan => {
    const createdAt = officeHours(Math.max(input.staffCreatedMs + DAY_MS, o.opensMs - rng.float(1, 6) * DAY_MS), Math.min(o.opensMs, anchorMs) - 3_600_000)
    const plan: OfferingPlan = {
      id: ids.next(createdAt),
      school,
      status: statusOf(o.deadlineMs),
      schoolYear: label,
      priceCents: 0,
      feePer: null,
      required: false,
      stockLimit: null,
      perStudentLimit: null,
      createdMs: createdAt,
      updatedMs: Math.min(o.opensMs, anchorMs),
      publishedMs: Math.min(o.opensMs, anchorMs),
      grades: null,
      variants: [],
      dates: [],
      outing: null,
      questions: [],
      active: true,
      ...o,
    }
    out.push(plan)
    return plan
  }
  /** The secretary builds items at her desk: a weekday, during office hours, no later than `limit`. */
  function officeHours(ms: number, limit: number): number {
    let date = localDate(Math.min(ms, limit))
    while (weekday(date) === 0 || weekday(date) === 6) date = addDays(date, -1)
    const at = localToUtc(date, rng.int(8, 15), rng.int(0, 59), rng.int(0, 59))
    return at <= limit ? at : limit
  }
  const variants = (plan: OfferingPlan, list: ReadonlyArray<readonly [string, string, number]>): void => {
    plan.variants = list.map(([labelFr, labelEn, priceCents], sort) => ({ id: ids.next(plan.createdMs), labelFr, labelEn, priceCents, sort }))
  }
  const questions = (plan: OfferingPlan, list: ReadonlyArray<readonly [QuestionPlan['kind'], string, string, boolean]>): void => {
    plan.questions = list.map(([kind, labelFr, labelEn, required]) => ({ id: ids.next(plan.createdMs), kind, labelFr, labelEn, required }))
  }

  // ---- school fee -------------------------------------------------------------------------
  offering({
    role: 'fee',
    kind: 'fee',
    titleFr: `Cotisation scolaire ${label}`,
    titleEn: `School fee ${label}`,
    descriptionFr:
      'Contribution annuelle aux activités de l’école : agenda, sorties éducatives locales, matériel d’art et activités pastorales. Une cotisation par élève. Si la cotisation pose une difficulté, communiquez en toute confidentialité avec la direction.',
    descriptionEn:
      'Yearly contribution to school activities: agenda, local field trips, art supplies and pastoral activities. One fee per student. If the fee is a hardship, please contact the principal in confidence.',
    opensMs: openMs,
    deadlineMs: endOfDay(ymd(year.startYear, 10, 31)),
    priceCents: 2500,
    feePer: 'student',
    required: true,
  })

  // ---- pizza Fridays ----------------------------------------------------------------------
  const pizzaSupplier = schoolIndex === 0 ? 'Pizza Pizza Vanier' : 'Pizza Pizza Orléans'
  const pizzaDates = year.schoolDays.filter((d) => weekday(d) === 5)
  const pizza = offering({
    role: 'pizza',
    kind: 'program',
    titleFr: 'Pizza du vendredi',
    titleEn: 'Pizza Friday',
    descriptionFr:
      'Pizza livrée chaude à l’heure du dîner tous les vendredis de classe. Choisissez les dates et la sorte pour chaque vendredi. Les commandes ferment le mercredi midi précédent. Une fois sur quatre, la pizza vient de Gabriel Pizza.',
    descriptionEn:
      'Hot pizza delivered at lunch every school Friday. Pick the dates and the kind for each Friday. Orders close at noon on the Wednesday before. One Friday in four, the pizza comes from Gabriel Pizza.',
    opensMs: openMs,
    deadlineMs: 0,
  })
  variants(pizza, [
    ['Fromage — 1 pointe', 'Cheese — 1 slice', 300],
    ['Fromage — 2 pointes', 'Cheese — 2 slices', 550],
    ['Pepperoni — 1 pointe', 'Pepperoni — 1 slice', 350],
    ['Pepperoni — 2 pointes', 'Pepperoni — 2 slices', 650],
    ['Végétarienne — 1 pointe', 'Vegetarian — 1 slice', 350],
  ])
  pizza.dates = pizzaDates.map((date, i) => ({
    id: ids.next(pizza.createdMs),
    date,
    cutoffMs: localToUtc(addDays(date, -2), 12, 0),
    supplier: i % 4 === 3 ? 'Gabriel Pizza (chemin de Montréal)' : pizzaSupplier,
    cancelReason: null,
  }))
  closeProgram(pizza)

  // ---- milk, Monday to Thursday ------------------------------------------------------------
  const weekdays = year.schoolDays.filter((d) => weekday(d) >= 1 && weekday(d) <= 4)
  const milk = offering({
    role: 'milk',
    kind: 'program',
    titleFr: 'Programme de lait',
    titleEn: 'Milk program',
    descriptionFr:
      'Un berlingot de lait de 250 ml servi en classe à la collation, du lundi au jeudi. Pour les élèves de la maternelle à la 3e année. Commandes au plus tard le vendredi midi de la semaine précédente.',
    descriptionEn:
      'A 250 ml carton of milk served in class at snack time, Monday to Thursday. For students from Junior Kindergarten to Grade 3. Order by noon on the Friday of the week before.',
    opensMs: openMs,
    deadlineMs: 0,
    grades: PRIMARY,
  })
  variants(milk, [
    ['Lait 2 %', '2% milk', 75],
    ['Lait au chocolat', 'Chocolate milk', 90],
  ])
  milk.dates = weekdays.map((date) => ({
    id: ids.next(milk.createdMs),
    date,
    cutoffMs: localToUtc(lastWeekdayOnOrBefore(addDays(date, -1), 5), 12, 0),
    supplier: 'Laiterie de l’Outaouais',
    cancelReason: null,
  }))
  closeProgram(milk)

  // ---- hot lunches, Monday to Thursday ------------------------------------------------------
  const lunch = offering({
    role: 'lunch',
    kind: 'program',
    titleFr: 'Dîners chauds',
    titleEn: 'Hot lunches',
    descriptionFr:
      'Repas chauds préparés par Traiteur Les Petits Plats, livrés du lundi au jeudi. Choisissez le plat pour chaque jour. Les commandes de la semaine ferment le jeudi midi de la semaine précédente.',
    descriptionEn:
      'Hot meals made by Traiteur Les Petits Plats, delivered Monday to Thursday. Choose the dish for each day. Orders for a week close at noon on the Thursday of the week before.',
    opensMs: openMs,
    deadlineMs: 0,
  })
  variants(lunch, [
    ['Spaghetti sauce à la viande', 'Spaghetti with meat sauce', 700],
    ['Poulet au beurre et riz basmati', 'Butter chicken with basmati rice', 750],
    ['Macaroni au fromage', 'Macaroni and cheese', 650],
    ['Wrap au poulet et crudités', 'Chicken wrap with veggies', 700],
    ['Pâtes sauce rosée (végétarien)', 'Pasta in rosé sauce (vegetarian)', 650],
  ])
  lunch.dates = weekdays.map((date) => ({
    id: ids.next(lunch.createdMs),
    date,
    cutoffMs: localToUtc(addDays(lastWeekdayOnOrBefore(date, 1), -4), 12, 0),
    supplier: 'Traiteur Les Petits Plats',
    cancelReason: null,
  }))
  closeProgram(lunch)

  // ---- popcorn sale, under way around the anchor ---------------------------------------------
  let popcornDeadline = addDays(pivot, 10)
  let popcornOpens = Math.max(openMs, localToUtc(addDays(pivot, -12), 8, 0))
  if (popcornDeadline > year.endsOn) {
    popcornDeadline = addDays(anchorDate, -20)
    popcornOpens = Math.max(openMs, localToUtc(addDays(popcornDeadline, -21), 8, 0))
  }
  const popcorn = offering({
    role: 'popcorn',
    kind: 'product',
    titleFr: 'Vente de maïs soufflé',
    titleEn: 'Popcorn sale',
    descriptionFr:
      'Sacs de maïs soufflé préparés par le conseil des parents, remis en classe la semaine suivant la fin de la vente. Les profits servent à l’achat de jeux pour la cour d’école. Maximum de deux sacs par élève.',
    descriptionEn:
      'Bags of popcorn made by the parent council, handed out in class the week after the sale ends. Proceeds buy new schoolyard games. Two bags per student at most.',
    opensMs: popcornOpens,
    deadlineMs: endOfDay(popcornDeadline),
    perStudentLimit: 2,
    stockLimit: Math.max(60, Math.round((school.students.length * 0.55) / 10) * 10),
  })
  if (summer) draft(popcorn)
  variants(popcorn, [
    ['Maïs soufflé au beurre', 'Butter popcorn', 200],
    ['Maïs soufflé au caramel', 'Caramel popcorn', 250],
  ])

  // ---- the coming outing (grades 4 to 6) ---------------------------------------------------
  let outingDate = firstSchoolDayOnOrAfter(year, addDays(pivot, 21))
  let outingDeadline: string
  let outingOpens: number
  if (outingDate && outingDate <= addDays(year.endsOn, -3)) {
    outingDeadline = addDays(pivot, 10)
    outingOpens = Math.max(openMs, localToUtc(addDays(pivot, -10), 9, 0))
  } else {
    // The anchor is at the end of the year: the outing has happened.
    outingDate = lastSchoolDayOnOrBefore(year, addDays(anchorDate, -7)) ?? year.startsOn
    outingDeadline = addDays(outingDate, -10)
    outingOpens = Math.max(openMs, localToUtc(addDays(outingDeadline, -16), 9, 0))
  }
  const museum = offering({
    role: 'outing',
    kind: 'outing',
    titleFr: 'Sortie au Musée canadien de la nature',
    titleEn: 'Field trip to the Canadian Museum of Nature',
    descriptionFr:
      'Visite guidée de la galerie des fossiles et de la galerie de l’eau, puis atelier « Les animaux de l’hiver ». Départ en autobus scolaire à 9 h, retour vers 14 h 30. Prévoir un dîner froid sans noix et des vêtements selon la météo.',
    descriptionEn:
      'Guided tour of the Fossil Gallery and the Water Gallery, then a “Winter animals” workshop. School buses leave at 9:00 and return around 2:30. Pack a cold, nut-free lunch and clothes for the weather.',
    opensMs: outingOpens,
    deadlineMs: endOfDay(outingDeadline),
    priceCents: 1800,
    grades: JUNIOR,
  })
  if (summer) draft(museum)
  museum.outing = {
    date: outingDate,
    startTime: '09:00',
    endTime: '14:30',
    destination: 'Musée canadien de la nature, 240, rue McLeod, Ottawa',
    venueLimit: 120,
    busCount: 2,
    seatsPerBus: 48,
    staffCount: 4,
  }
  questions(museum, [
    ['yes_no', 'Votre enfant prend-il un médicament?', 'Does your child take any medication?', true],
    ['text', 'Personne à joindre en cas d’urgence le jour de la sortie', 'Emergency contact on the day of the outing', true],
    ['yes_no', 'Je souhaite accompagner le groupe (vérification des antécédents requise)', 'I would like to volunteer as a chaperone (police records check required)', false],
  ])

  // ---- an outing that is over (JK to grade 2) -----------------------------------------------
  let pastDate = lastSchoolDayOnOrBefore(year, addDays(anchorDate, -28))
  let pastYear = year
  let active = true
  if (!pastDate || pastDate < addDays(year.startsOn, 20)) {
    // Too early in the year: the last outing on file is June's.
    pastYear = schoolYear(year.startYear - 1)
    pastDate = lastSchoolDayOnOrBefore(pastYear, addDays(pastYear.endsOn, -12)) ?? addDays(pastYear.endsOn, -12)
    active = false
  }
  const theme = pastTheme(Number(pastDate.slice(5, 7)))
  const pastDeadline = addDays(pastDate, -10)
  const pastOpens = active ? Math.max(openMs, localToUtc(addDays(pastDeadline, -18), 9, 0)) : localToUtc(addDays(pastDeadline, -18), 9, 0)
  const past = offering({
    role: 'pastOuting',
    kind: 'outing',
    status: 'closed',
    schoolYear: pastYear.label,
    titleFr: theme.titleFr,
    titleEn: theme.titleEn,
    descriptionFr: theme.descriptionFr,
    descriptionEn: theme.descriptionEn,
    opensMs: pastOpens,
    deadlineMs: endOfDay(pastDeadline),
    priceCents: theme.price,
    grades: EARLY,
    active,
  })
  if (!active) past.createdMs = past.opensMs - 2 * DAY_MS
  past.outing = {
    date: pastDate,
    startTime: theme.start,
    endTime: theme.end,
    destination: theme.destination,
    venueLimit: theme.venue,
    busCount: 2,
    seatsPerBus: 48,
    staffCount: 6,
  }
  questions(past, [
    ['yes_no', 'Votre enfant prend-il un médicament?', 'Does your child take any medication?', true],
    ['text', 'Personne à joindre en cas d’urgence le jour de la sortie', 'Emergency contact on the day of the outing', true],
  ])

  // ---- start-of-year consents --------------------------------------------------------------
  const consentForm = offering({
    role: 'consentForm',
    kind: 'consent_form',
    titleFr: 'Consentements de début d’année (photos, Internet)',
    titleEn: 'Start-of-year consents (photos, Internet)',
    descriptionFr:
      'Chaque année, l’école demande votre accord pour la publication de photos, l’utilisation d’Internet et des outils numériques en classe, et les sorties à pied dans le quartier. Une réponse par élève.',
    descriptionEn:
      'Each year the school asks for your agreement on publishing photos, using the Internet and digital tools in class, and neighbourhood walks. One answer per student.',
    opensMs: openMs,
    deadlineMs: endOfDay(ymd(year.startYear, 9, 30)),
  })
  questions(consentForm, [
    ['yes_no', 'J’autorise la publication de photos de mon enfant (site Web et médias sociaux de l’école)', 'I allow photos of my child to be published (school website and social media)', true],
    ['yes_no', 'J’autorise mon enfant à utiliser Internet et les outils numériques de l’école', 'I allow my child to use the Internet and the school’s digital tools', true],
    ['yes_no', 'J’autorise mon enfant à participer aux sorties à pied dans le quartier', 'I allow my child to take part in neighbourhood walks', true],
  ])

  // ---- a draft in the works ----------------------------------------------------------------
  const tshirt = offering({
    role: 'tshirt',
    kind: 'product',
    status: 'draft',
    titleFr: 'T-shirt de l’école',
    titleEn: 'School T-shirt',
    descriptionFr: `T-shirt en coton bleu marine avec le logo de l’école, pour les sorties et les journées d’esprit scolaire. ${school.name}.`,
    descriptionEn: 'Navy cotton T-shirt with the school logo, for outings and school spirit days.',
    opensMs: localToUtc(addDays(anchorDate, 7), 8, 0),
    deadlineMs: endOfDay(addDays(anchorDate, 28)),
    publishedMs: null,
    perStudentLimit: 3,
  })
  tshirt.createdMs = officeHours(Math.max(input.staffCreatedMs + DAY_MS, anchorMs - 2 * DAY_MS), anchorMs - 3_600_000)
  tshirt.updatedMs = Math.min(anchorMs - 60_000, tshirt.createdMs + rng.float(0.2, 30) * 3_600_000)
  tshirt.publishedMs = null
  tshirt.status = 'draft'
  variants(tshirt, [
    ['Enfant 6-8', 'Youth 6-8', 1500],
    ['Enfant 10-12', 'Youth 10-12', 1500],
    ['Enfant 14-16', 'Youth 14-16', 1500],
    ['Adulte M', 'Adult M', 1800],
    ['Adulte L', 'Adult L', 1800],
  ])

  return out

  function draft(plan: OfferingPlan): void {
    plan.status = 'draft'
    plan.publishedMs = null
    plan.updatedMs = plan.createdMs
  }

  function closeProgram(plan: OfferingPlan): void {
    plan.dates = plan.dates.filter((d) => d.cutoffMs > plan.opensMs)
    plan.deadlineMs = plan.dates.length ? plan.dates[plan.dates.length - 1]!.cutoffMs : plan.opensMs + DAY_MS
    plan.status = statusOf(plan.deadlineMs)
  }
}

function pastTheme(month: number): {
  titleFr: string
  titleEn: string
  descriptionFr: string
  descriptionEn: string
  destination: string
  price: number
  start: string
  end: string
  venue: number
} {
  if (month >= 9 && month <= 10) {
    return {
      titleFr: 'Cueillette de pommes au verger',
      titleEn: 'Apple picking at the orchard',
      descriptionFr: 'Cueillette de pommes, visite de la ferme et tour de charrette. Chaque élève rapporte un sac de pommes.',
      descriptionEn: 'Apple picking, a farm tour and a wagon ride. Each student brings home a bag of apples.',
      destination: 'Verger Saint-Joseph, chemin Trim, Navan',
      price: 1200,
      start: '09:15',
      end: '14:00',
      venue: 150,
    }
  }
  if (month >= 11 || month <= 2) {
    return {
      titleFr: 'Spectacle jeunesse au Centre national des Arts',
      titleEn: 'Children’s show at the National Arts Centre',
      descriptionFr: 'Spectacle de théâtre jeunesse en français, suivi d’une rencontre avec les artistes.',
      descriptionEn: 'A French-language children’s theatre show, followed by a talk with the artists.',
      destination: 'Centre national des Arts, 1, rue Elgin, Ottawa',
      price: 1500,
      start: '09:30',
      end: '12:30',
      venue: 200,
    }
  }
  if (month <= 4) {
    return {
      titleFr: 'Sortie à la cabane à sucre',
      titleEn: 'Sugar shack outing',
      descriptionFr: 'Visite de l’érablière, tire sur la neige et repas traditionnel à la cabane à sucre.',
      descriptionEn: 'A tour of the sugar bush, maple taffy on snow and a traditional sugar shack meal.',
      destination: 'Érablière Proulx, chemin Cameron, Cumberland',
      price: 1600,
      start: '09:00',
      end: '14:00',
      venue: 160,
    }
  }
  return {
    titleFr: 'Visite de la Ferme expérimentale',
    titleEn: 'Visit to the Experimental Farm',
    descriptionFr: 'Visite des étables et atelier « De la ferme à l’assiette » au Musée de l’agriculture et de l’alimentation.',
    descriptionEn: 'A visit to the barns and a “Farm to plate” workshop at the Agriculture and Food Museum.',
    destination: 'Musée de l’agriculture et de l’alimentation du Canada, Ottawa',
    price: 1200,
    start: '09:15',
    end: '14:15',
    venue: 150,
  }
}
