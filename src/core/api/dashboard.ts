import { sql } from 'kysely'
import { GuichetError } from '../../shared/errors'
import { localDateOf } from '../domain/catalogue'
import { classBreakdown, computeOuting } from '../domain/outings'
import { loadOuting } from '../services/outings'
import type { Handlers } from './types'
import { LINE_HELD } from '../services/held-lines'

const TZ = 'America/Toronto'

/** Eligible students of an item, as catalogue.list counts them. */
const ELIGIBLE = sql<number>`(SELECT count(*) FROM students s WHERE s.school_id = o.school_id AND s.status = 'active' AND EXISTS (
  SELECT 1 FROM offering_targets t WHERE t.offering_id = o.id AND (
    (t.kind = 'school' AND t.value = s.school_id) OR (t.kind = 'grade' AND t.value = s.grade)
    OR (t.kind = 'class' AND t.value = s.class_id) OR (t.kind = 'student' AND t.value = s.id))))`

/** Answered, as catalogue.list counts it: a consent given (outings, forms) or anything ordered (the rest). */
const ANSWERED = sql<number>`CASE WHEN o.kind IN ('outing', 'consent_form')
  THEN (SELECT count(DISTINCT c.student_id) FROM consents c WHERE c.offering_id = o.id)
  ELSE (SELECT count(DISTINCT ol.student_id) FROM order_lines ol WHERE ol.offering_id = o.id) END`

/**
 * Portions to deliver on a program date, as the supplier's order sheet counts them: the lines of
 * paid orders that are not refunded (a pending refund counts as refunded: the family was told; a
 * refund the processor reversed later does not).
 * The offering narrows the lines first: its index holds them by program date.
 */
const PORTIONS = sql<number>`(SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.offering_id = d.offering_id AND l.program_date_id = d.id
  AND ${LINE_HELD})`

export const dashboardHandlers: Handlers<'dashboard.summary' | 'dashboard.acknowledgeRosterAlert'> = {
  async 'dashboard.summary'({ schoolId, days }, ctx) {
    const today = localDateOf(ctx.now, TZ)
    const until = new Date(Date.parse(ctx.now) + days * 86_400_000).toISOString()
    const deadlines = ctx.db
      .selectFrom('offerings as o')
      .innerJoin('schools as sc', 'sc.id', 'o.school_id')
      .select(['o.id', 'sc.name', 'o.kind', 'o.title_fr', 'o.title_en', 'o.deadline_at', ELIGIBLE.as('eligible'), ANSWERED.as('answered')])
      .where('o.status', '=', 'published')
      .where('o.deadline_at', '>', ctx.now)
      .where('o.deadline_at', '<=', until)
      .orderBy('o.deadline_at')
      .orderBy('o.title_fr')
      .$if(schoolId !== undefined, (q) => q.where('o.school_id', '=', schoolId!))
    const deliveries = ctx.db
      .selectFrom('program_dates as d')
      .innerJoin('offerings as o', 'o.id', 'd.offering_id')
      .innerJoin('schools as sc', 'sc.id', 'o.school_id')
      .select(['d.id', 'sc.name', 'o.title_fr', 'o.title_en', 'o.status as offering_status', 'd.supplier', 'd.status', PORTIONS.as('portions')])
      .where('d.date', '=', today)
      .where('o.status', '<>', 'draft')
      .orderBy('sc.name')
      .orderBy('o.title_fr')
      .$if(schoolId !== undefined, (q) => q.where('o.school_id', '=', schoolId!))
    // The outings that the Sorties screen lists, from today on.
    const outingIds = ctx.db
      .selectFrom('outings as t')
      .innerJoin('offerings as o', 'o.id', 't.offering_id')
      .select(['o.id'])
      .where('o.status', 'in', ['published', 'closed'])
      .where('t.ends_on', '>=', today)
      .orderBy('t.starts_on')
      .orderBy('o.title_fr')
      .$if(schoolId !== undefined, (q) => q.where('o.school_id', '=', schoolId!))
    // A refund's status as it stands (refund_states: a success reversed later is failed); a failed
    // one counts until it is retried or settled as a credit, as on the Commandes screen, unless its
    // payment was voided (nothing was taken: nothing to give back).
    const refunds = ctx.db
      .selectFrom('refund_states as r')
      .innerJoin('payments as p', 'p.id', 'r.payment_id')
      .select((eb) => ['r.status', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('r.amount_cents').as('cents')])
      .where((eb) =>
        eb.or([
          eb('r.status', '=', 'pending'),
          eb.and([
            eb('r.status', '=', 'failed'),
            eb.not(eb.exists(eb.selectFrom('refund_resolutions as z').select('z.refund_id').whereRef('z.refund_id', '=', 'r.id'))),
            eb.not(eb.exists(eb.selectFrom('payment_voids as v').select('v.payment_id').whereRef('v.payment_id', '=', 'r.payment_id'))),
          ]),
        ]),
      )
      .$if(schoolId !== undefined, (q) => q.where('p.school_id', '=', schoolId!))
      .groupBy('r.status')
    const outbox = ctx.db
      .selectFrom('outbox')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .where('state', 'in', ['pending', 'conflict', 'rejected'])
      // A conflict or rejection staff have settled no longer blocks anything.
      .where('resolution', 'is', null)
      .$if(schoolId !== undefined, (q) => q.where('school_id', '=', schoolId!))
      .groupBy('state')
    const lastPull = ctx.db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.max('last_pull_at').as('at'))
      .$if(schoolId !== undefined, (q) => q.where('school_id', '=', schoolId!))

    // Roster alerts not yet seen. A guardian's alert opens the family of one of their children
    // (the first by name) and belongs to that child's school.
    const alerts = await ctx.db
      .selectFrom('roster_alerts as a')
      .leftJoin('guardians as g', 'g.id', 'a.guardian_id')
      .select([
        'a.id',
        'a.kind',
        'a.detail',
        'a.created_at',
        'g.first_name as g_first',
        'g.last_name as g_last',
        sql<string | null>`coalesce(a.student_id, (SELECT sg.student_id FROM student_guardians sg JOIN students s ON s.id = sg.student_id WHERE sg.guardian_id = a.guardian_id ORDER BY s.status, s.last_name, s.first_name LIMIT 1))`.as('family_student_id'),
      ])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('roster_alert_acks as k').select('k.alert_id').whereRef('k.alert_id', '=', 'a.id'))))
      .orderBy('a.id', 'desc')
      .limit(200)
      .execute()
    const alertStudents = [...new Set(alerts.map((a) => a.family_student_id).filter((x): x is string => x !== null))]
    const students = alertStudents.length
      ? await ctx.db
          .selectFrom('students as s')
          .innerJoin('schools as sc', 'sc.id', 's.school_id')
          .select(['s.id', 's.first_name', 's.last_name', 's.school_id', 'sc.name as school_name'])
          .where('s.id', 'in', alertStudents)
          .execute()
      : []
    const classIds = [...new Set(alerts.flatMap((a) => (a.kind === 'class_changed' ? Object.values(JSON.parse(a.detail) as Record<string, string | null>) : [])).filter((x): x is string => typeof x === 'string'))]
    const classes = classIds.length ? await ctx.db.selectFrom('classes').select(['id', 'name']).where('id', 'in', classIds).execute() : []
    const className = (id: unknown) => (typeof id === 'string' ? (classes.find((c) => c.id === id)?.name ?? null) : null)
    const rosterAlerts = alerts.flatMap((a) => {
      const s = students.find((x) => x.id === a.family_student_id)
      if (schoolId !== undefined && s?.school_id !== schoolId) return []
      const detail = JSON.parse(a.detail) as Record<string, unknown>
      return [
        {
          id: a.id,
          kind: a.kind,
          createdAt: a.created_at,
          schoolName: s?.school_name ?? null,
          studentId: s?.id ?? null,
          studentName: s ? `${s.first_name} ${s.last_name}` : null,
          guardianName: a.g_first !== null ? `${a.g_first} ${a.g_last}` : null,
          futurePaid: Number(detail.futurePaid ?? 0),
          unpaidFees: Number(detail.unpaidFees ?? 0),
          fromClass: className(detail.fromClassId),
          toClass: className(detail.toClassId),
        },
      ]
    })

    const d = await deadlines.execute()
    const v = await deliveries.execute()
    const ids = await outingIds.execute()
    const r = await refunds.execute()
    const m = await outbox.execute()
    const p = await lastPull.executeTakeFirst()

    const outings = []
    for (const { id } of ids) {
      const loaded = await loadOuting(ctx.db, id, ctx.now)
      const snapshot = computeOuting(loaded.input)
      const counts = classBreakdown(loaded.input.students, snapshot).totals
      const o = loaded.outing
      outings.push({
        offeringId: id,
        schoolName: o.schoolName,
        titleFr: o.titleFr,
        titleEn: o.titleEn,
        startsOn: o.startsOn,
        eligible: counts.eligible,
        consented: counts.consented,
        confirmed: counts.confirmed,
        waitlisted: counts.waitlisted,
        seats: snapshot.seats?.forStudents ?? null,
        capacity: snapshot.capacity,
      })
    }
    const refund = (status: string) => r.find((x) => x.status === status)
    const count = (state: string) => Number(m.find((x) => x.state === state)?.n ?? 0)
    return {
      today,
      deadlines: d.map((x) => ({ offeringId: x.id, schoolName: x.name, kind: x.kind, titleFr: x.title_fr, titleEn: x.title_en, deadlineAt: x.deadline_at, eligible: Number(x.eligible), answered: Number(x.answered) })),
      deliveries: v.map((x) => ({
        programDateId: x.id,
        schoolName: x.name,
        titleFr: x.title_fr,
        titleEn: x.title_en,
        supplier: x.supplier,
        portions: Number(x.portions),
        cancelled: x.status === 'cancelled' || x.offering_status === 'cancelled',
      })),
      outings,
      refunds: {
        pending: Number(refund('pending')?.n ?? 0),
        pendingCents: Number(refund('pending')?.cents ?? 0),
        failed: Number(refund('failed')?.n ?? 0),
        failedCents: Number(refund('failed')?.cents ?? 0),
      },
      sync: { waitingToSend: count('pending'), blocked: count('conflict') + count('rejected'), lastPullAt: (p?.at as string | null | undefined) ?? null },
      rosterAlerts,
    }
  },

  async 'dashboard.acknowledgeRosterAlert'({ alertId }, ctx) {
    const alert = await ctx.db.selectFrom('roster_alerts').selectAll().where('id', '=', alertId).executeTakeFirst()
    if (!alert) throw new GuichetError('NOT_FOUND', { what: 'rosterAlert' })
    const seen = await ctx.db.selectFrom('roster_alert_acks').select('alert_id').where('alert_id', '=', alertId).executeTakeFirst()
    if (seen) return { acknowledged: false }
    await ctx.db.insertInto('roster_alert_acks').values({ alert_id: alertId, acknowledged_by: ctx.session?.staffId ?? null, acknowledged_at: ctx.now }).execute()
    ctx.audit({ entity: 'roster_alert', entityId: String(alertId), detail: { kind: alert.kind, studentId: alert.student_id, guardianId: alert.guardian_id } })
    return { acknowledged: true }
  },
}
