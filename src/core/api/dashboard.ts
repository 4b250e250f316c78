import { sql } from 'kysely'
import { addDays, localDateOf } from '../domain/catalogue'
import type { Handlers } from './types'

const TZ = 'America/Toronto'

/** Eligible students of an item, as catalogue.list counts them. */
const ELIGIBLE = sql<number>`(SELECT count(*) FROM students s WHERE s.school_id = o.school_id AND s.status = 'active' AND EXISTS (
  SELECT 1 FROM offering_targets t WHERE t.offering_id = o.id AND (
    (t.kind = 'school' AND t.value = s.school_id) OR (t.kind = 'grade' AND t.value = s.grade)
    OR (t.kind = 'class' AND t.value = s.class_id) OR (t.kind = 'student' AND t.value = s.id))))`

export const dashboardHandlers: Handlers<'dashboard.summary'> = {
  async 'dashboard.summary'({ schoolId, days }, ctx) {
    const today = localDateOf(ctx.now, TZ)
    const until = new Date(Date.parse(ctx.now) + days * 86_400_000).toISOString()
    let deadlines = ctx.db
      .selectFrom('offerings as o')
      .innerJoin('schools as sc', 'sc.id', 'o.school_id')
      .select([
        'o.id',
        'sc.name',
        'o.kind',
        'o.title_fr',
        'o.title_en',
        'o.deadline_at',
        ELIGIBLE.as('eligible'),
        sql<number>`CASE WHEN o.kind IN ('outing', 'consent_form')
          THEN (SELECT count(DISTINCT c.student_id) FROM consents c WHERE c.offering_id = o.id)
          ELSE (SELECT count(DISTINCT ol.student_id) FROM order_lines ol WHERE ol.offering_id = o.id) END`.as('answered'),
      ])
      .where('o.status', '=', 'published')
      .where('o.deadline_at', '>', ctx.now)
      .where('o.deadline_at', '<=', until)
      .orderBy('o.deadline_at')
    let deliveries = ctx.db
      .selectFrom('program_dates as d')
      .innerJoin('offerings as o', 'o.id', 'd.offering_id')
      .innerJoin('schools as sc', 'sc.id', 'o.school_id')
      .select([
        'd.id',
        'sc.name',
        'o.title_fr',
        'o.title_en',
        'd.supplier',
        'd.status',
        sql<number>`(SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.program_date_id = d.id
          AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = l.order_id)
          AND l.amount_cents > (SELECT coalesce(sum(r.amount_cents), 0) FROM refunds r WHERE r.order_line_id = l.id AND r.status IN ('succeeded', 'pending')))`.as('portions'),
      ])
      .where('d.date', '=', today)
      .where('o.status', '<>', 'draft')
      .orderBy('o.title_fr')
    let outings = ctx.db
      .selectFrom('outings as t')
      .innerJoin('offerings as o', 'o.id', 't.offering_id')
      .innerJoin('schools as sc', 'sc.id', 'o.school_id')
      .select([
        'o.id',
        'sc.name',
        'o.title_fr',
        'o.title_en',
        't.starts_on',
        't.bus_count',
        't.seats_per_bus',
        't.staff_count',
        ELIGIBLE.as('eligible'),
        // Consented now: the latest answer of each student is a grant.
        sql<number>`(SELECT count(*) FROM consents c WHERE c.offering_id = o.id AND c.decision = 'granted'
          AND NOT EXISTS (SELECT 1 FROM consents later WHERE later.offering_id = c.offering_id AND later.student_id = c.student_id
            AND (later.recorded_at > c.recorded_at OR (later.recorded_at = c.recorded_at AND later.id > c.id))))`.as('consented'),
      ])
      .where('t.starts_on', '>=', today)
      .where('t.starts_on', '<=', addDays(today, 30))
      .where('o.status', 'in', ['published', 'closed'])
      .orderBy('t.starts_on')
    if (schoolId) {
      deadlines = deadlines.where('o.school_id', '=', schoolId)
      deliveries = deliveries.where('o.school_id', '=', schoolId)
      outings = outings.where('o.school_id', '=', schoolId)
    }
    const refunds = ctx.db
      .selectFrom('refunds as r')
      .innerJoin('payments as p', 'p.id', 'r.payment_id')
      .select((eb) => ['r.status', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('r.amount_cents').as('cents')])
      .where('r.status', 'in', ['pending', 'failed'])
      .$if(schoolId !== undefined, (q) => q.where('p.school_id', '=', schoolId!))
      .groupBy('r.status')
    const outbox = ctx.db
      .selectFrom('outbox')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .where('state', 'in', ['pending', 'conflict', 'rejected'])
      .$if(schoolId !== undefined, (q) => q.where('school_id', '=', schoolId!))
      .groupBy('state')
    const lastPull = ctx.db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.max('last_pull_at').as('at'))
      .$if(schoolId !== undefined, (q) => q.where('school_id', '=', schoolId!))

    const [d, v, o, r, m, p] = await Promise.all([deadlines.execute(), deliveries.execute(), outings.execute(), refunds.execute(), outbox.execute(), lastPull.executeTakeFirst()])
    const refund = (status: string) => r.find((x) => x.status === status)
    const count = (state: string) => Number(m.find((x) => x.state === state)?.n ?? 0)
    return {
      today,
      deadlines: d.map((x) => ({ offeringId: x.id, schoolName: x.name, kind: x.kind, titleFr: x.title_fr, titleEn: x.title_en, deadlineAt: x.deadline_at, eligible: Number(x.eligible), answered: Number(x.answered) })),
      deliveries: v.map((x) => ({ programDateId: x.id, schoolName: x.name, titleFr: x.title_fr, titleEn: x.title_en, supplier: x.supplier, portions: Number(x.portions), cancelled: x.status === 'cancelled' })),
      outings: o.map((x) => ({
        offeringId: x.id,
        schoolName: x.name,
        titleFr: x.title_fr,
        titleEn: x.title_en,
        startsOn: x.starts_on,
        consented: Number(x.consented),
        eligible: Number(x.eligible),
        // Seats for students: the buses less the adults on them; no bus, no seat limit.
        seats: x.bus_count > 0 ? Math.max(0, x.bus_count * x.seats_per_bus - x.staff_count) : null,
      })),
      refunds: {
        pending: Number(refund('pending')?.n ?? 0),
        pendingCents: Number(refund('pending')?.cents ?? 0),
        failed: Number(refund('failed')?.n ?? 0),
        failedCents: Number(refund('failed')?.cents ?? 0),
      },
      sync: { waitingToSend: count('pending'), blocked: count('conflict') + count('rejected'), lastPullAt: (p?.at as string | null | undefined) ?? null },
    }
  },
}
