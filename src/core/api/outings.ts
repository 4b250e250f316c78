import { sql } from 'kysely'
import type { OutingDetail, OutingPlanInput } from '../../shared/contract/outings'
import { GuichetError, type KeyedIssue } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import { bothIn, outingRosterPdf, rosterBusesOf, type OutingDocHeader, type RosterStudent } from '../adapters/documents/outing-roster'
import { outingChaperonesPdf, outingClassBreakdownXlsx, outingSignSheetPdf } from '../adapters/documents/outing-sheets'
import { addDays, localDateOf } from '../domain/catalogue'
import {
  assignBuses,
  chaperoneOutcome,
  classBreakdown,
  computeOuting,
  hasErrors,
  planChangeImpact,
  promotions,
  validateOuting,
  validateOutingPlan,
  type CapacityInput,
  type OutingIssue,
  type OutingPlan,
  type OutingSnapshot,
} from '../domain/outings'
import { translateCode } from '../i18n'
import { newId } from '../services/ids'
import { recordException } from '../services/exceptions'
import { enqueue } from '../services/outbox'
import { busesOf, loadOuting, ratiosOf, type LoadedOuting, type OutingRecord, type StudentInfo } from '../services/outings'
import type { HandlerContext, Handlers } from './types'

type Methods =
  | 'outings.overview'
  | 'outings.get'
  | 'outings.previewPlan'
  | 'outings.setPlan'
  | 'outings.addChaperone'
  | 'outings.removeChaperone'
  | 'outings.withdrawException'
  | 'outings.callList'
  | 'outings.document'

function planInputOf(o: OutingRecord): OutingPlanInput {
  return { busCount: o.busCount, seatsPerBus: o.seatsPerBus, staffCount: o.staffCount, venueLimit: o.venueLimit, bands: o.bands, chaperoneRatio: o.chaperoneRatio }
}

/** The plan the engine sees for a plan typed on the screen. */
function planFrom(loaded: LoadedOuting, input: OutingPlanInput): OutingPlan {
  return {
    ...loaded.input.plan,
    buses: busesOf(input.busCount, input.seatsPerBus),
    staffCount: input.staffCount,
    venueLimit: input.venueLimit,
    ratios: ratiosOf({ bands: input.bands, chaperoneRatio: input.chaperoneRatio }, loaded.input.students),
  }
}

function messages(issues: readonly OutingIssue[], locale: Locale) {
  return issues.map((i) => ({ code: i.code, severity: i.severity, field: i.field, message: translateCode(locale, i.code, i.values) }))
}

function keyed(issues: readonly OutingIssue[]): KeyedIssue[] {
  return issues.filter((i) => i.severity === 'error').map((i) => ({ path: i.field, key: i.code, values: i.values }))
}

/**
 * A plan's own checks, plus the ones the engine leaves to the shape: a negative seat count or
 * staff count is refused here too, since buses of the same size are made from the count.
 */
function planIssues(plan: OutingPlan, input: OutingPlanInput, today: string): OutingIssue[] {
  const issues = validateOutingPlan(plan, today)
  if (input.busCount < 0) issues.push({ code: 'outing.busSeatsNegative', severity: 'error', field: 'busCount', values: { bus: 1, seats: input.busCount } })
  if (input.busCount > 0 && input.seatsPerBus < 0) issues.push({ code: 'outing.busSeatsNegative', severity: 'error', field: 'seatsPerBus', values: { bus: 1, seats: input.seatsPerBus } })
  if (input.chaperoneRatio !== null && input.chaperoneRatio <= 0)
    issues.push({ code: 'outing.ratioInvalid', severity: 'error', field: 'chaperoneRatio', values: { band: 1, value: input.chaperoneRatio } })
  return issues
}

function nameOf(students: Map<string, StudentInfo>, id: string) {
  const s = students.get(id)
  return { studentId: id, name: s ? `${s.firstName} ${s.lastName}` : id, className: s?.className ?? null }
}

function byId(loaded: LoadedOuting): Map<string, StudentInfo> {
  return new Map(loaded.students.map((s) => [s.id, s]))
}

function detailOf(loaded: LoadedOuting, snapshot: OutingSnapshot, ctx: HandlerContext): OutingDetail {
  const { outing } = loaded
  const students = byId(loaded)
  const breakdown = classBreakdown(loaded.input.students, snapshot)
  const className = new Map(loaded.students.map((s) => [s.classId, s.className]))
  const phones = new Map(outing.chaperones.map((c) => [c.id, c.phone]))
  return {
    offeringId: outing.offeringId,
    schoolId: outing.schoolId,
    schoolName: outing.schoolName,
    titleFr: outing.titleFr,
    titleEn: outing.titleEn,
    status: outing.status,
    startsOn: outing.startsOn,
    endsOn: outing.endsOn,
    startTime: outing.startTime,
    endTime: outing.endTime,
    destination: outing.destination,
    deadlineAt: outing.deadlineAt,
    deadlinePassed: outing.deadlineAt <= ctx.now,
    priceCents: outing.priceCents,
    plan: planInputOf(outing),
    capacity: snapshot.capacity,
    limitedBy: snapshot.limitedBy,
    seats: snapshot.seats,
    seatsLeft: snapshot.seatsLeft,
    busesNeededForConsented: snapshot.buses.neededForConsented,
    chaperones: {
      needed: snapshot.chaperones.needed,
      neededForConsented: snapshot.chaperones.neededForConsented,
      covering: snapshot.chaperones.covering,
      shortBy: snapshot.chaperones.shortBy,
      list: snapshot.chaperones.list.map((c) => ({ id: c.id, name: c.name, phone: phones.get(c.id) ?? null, expiresOn: c.expiresOn, covers: c.covers, reason: c.reason })),
    },
    totals: breakdown.totals,
    classes: breakdown.rows.map((r) => ({ ...r, className: className.get(r.classId) ?? null })),
    waitlist: snapshot.waitlist.map((id, i) => ({ ...nameOf(students, id), position: i + 1 })),
    students: snapshot.students.map((s) => ({
      ...nameOf(students, s.studentId),
      grade: students.get(s.studentId)!.grade,
      state: s.state,
      payment: s.payment,
      withdrawn: s.withdrawn,
    })),
    issues: messages(validateOuting(loaded.input), ctx.locale),
  }
}

function header(o: OutingRecord): OutingDocHeader {
  return { schoolName: o.schoolName, titleFr: o.titleFr, titleEn: o.titleEn, date: o.startsOn, endDate: o.endsOn, destination: o.destination, startTime: o.startTime, endTime: o.endTime }
}


export const outingHandlers: Handlers<Methods> = {
  async 'outings.overview'({ schoolId, includePast }, ctx) {
    const today = localDateOf(ctx.now, 'America/Toronto')
    let q = ctx.db
      .selectFrom('outings as t')
      .innerJoin('offerings as o', 'o.id', 't.offering_id')
      .select(['o.id'])
      .where('o.status', 'in', ['published', 'closed'])
      .orderBy('t.starts_on')
    if (!includePast) q = q.where('t.ends_on', '>=', addDays(today, -1))
    if (schoolId) q = q.where('o.school_id', '=', schoolId)
    const ids = await q.execute()
    const rows = []
    for (const { id } of ids) {
      const loaded = await loadOuting(ctx.db, id, ctx.now)
      const snapshot = computeOuting(loaded.input)
      const o = loaded.outing
      rows.push({
        offeringId: id,
        schoolName: o.schoolName,
        titleFr: o.titleFr,
        titleEn: o.titleEn,
        status: o.status,
        startsOn: o.startsOn,
        deadlineAt: o.deadlineAt,
        counts: classBreakdown(loaded.input.students, snapshot).totals,
        capacity: snapshot.capacity,
        chaperonesNeeded: snapshot.chaperones.needed,
        chaperonesCovering: snapshot.chaperones.covering,
        busesNeededForConsented: snapshot.buses.neededForConsented,
        busCount: o.busCount,
      })
    }
    return { rows }
  },

  async 'outings.get'({ id }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    return detailOf(loaded, computeOuting(loaded.input), ctx)
  },

  async 'outings.previewPlan'({ id, plan }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    const next = planFrom(loaded, plan)
    const issues = planIssues(next, plan, loaded.input.today)
    if (hasErrors(issues)) return { promoted: [], movedToWaitlist: [], capacityBefore: null, capacityAfter: null, issues: messages(issues, ctx.locale) }
    const impact = planChangeImpact(loaded.input, next)
    const students = byId(loaded)
    return {
      promoted: impact.promoted.map((s) => nameOf(students, s)),
      movedToWaitlist: impact.movedToWaitlist.map((s) => nameOf(students, s)),
      capacityBefore: impact.before.capacity,
      capacityAfter: impact.after.capacity,
      issues: messages(issues, ctx.locale),
    }
  },

  async 'outings.setPlan'({ id, plan, confirmMoves }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    if (loaded.outing.status === 'archived' || loaded.outing.status === 'cancelled') throw new GuichetError('LIFECYCLE')
    const next = planFrom(loaded, plan)
    const issues = planIssues(next, plan, loaded.input.today)
    if (hasErrors(issues)) throw new GuichetError('INVALID_INPUT', {}, keyed(issues))
    const impact = planChangeImpact(loaded.input, next)
    const students = byId(loaded)
    const moved = impact.movedToWaitlist.map((s) => nameOf(students, s))
    if (moved.length && !confirmMoves) throw new GuichetError('OUTING_MOVES_UNCONFIRMED', { count: moved.length })
    const before = planInputOf(loaded.outing)
    await ctx.db
      .updateTable('outings')
      .set({ bus_count: plan.busCount, seats_per_bus: plan.seatsPerBus, staff_count: plan.staffCount, venue_limit: plan.venueLimit, chaperone_ratio: plan.chaperoneRatio })
      .where('offering_id', '=', id)
      .execute()
    await ctx.db.deleteFrom('outing_ratio_bands').where('offering_id', '=', id).execute()
    for (const [sort, band] of plan.bands.entries())
      await ctx.db.insertInto('outing_ratio_bands').values({ offering_id: id, sort, grades: band.grades.join(','), students_per_adult: band.studentsPerAdult }).execute()
    ctx.audit({ entity: 'outing', entityId: id, before, after: plan, detail: moved.length ? { movedToWaitlist: moved.map((m) => m.studentId) } : null })
    return { promoted: impact.promoted.map((s) => nameOf(students, s)), movedToWaitlist: moved, capacityBefore: impact.before.capacity, capacityAfter: impact.after.capacity }
  },

  async 'outings.addChaperone'({ id, name, phone, policeCheckExpiresOn }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    if (loaded.outing.chaperones.some((c) => c.name.trim().toLowerCase() === name.trim().toLowerCase()))
      throw new GuichetError('INVALID_INPUT', {}, [{ path: 'name', key: 'outing.chaperoneDuplicate', values: { name } }])
    const chaperoneId = newId()
    const dateIssues = validateOutingPlan({ ...loaded.input.plan, chaperones: [{ id: chaperoneId, name, policeCheckExpiresOn }] }, loaded.input.today).filter(
      (i) => i.code === 'outing.chaperoneCheckDateInvalid',
    )
    if (dateIssues.length) throw new GuichetError('INVALID_INPUT', {}, keyed(dateIssues.map((i) => ({ ...i, field: 'policeCheckExpiresOn' }))))
    await ctx.db
      .insertInto('outing_chaperones')
      .values({ id: chaperoneId, offering_id: id, name: name.trim(), phone: phone || null, police_check_expires_on: policeCheckExpiresOn, added_at: ctx.now, added_by: ctx.session?.staffId ?? null })
      .execute()
    ctx.audit({ entity: 'outing_chaperone', entityId: chaperoneId, before: null, after: { outing: id, name, policeCheckExpiresOn } })
    // A chaperone whose check will not be valid on the day is kept, counted as not covering, with the reason.
    const outcome = chaperoneOutcome({ id: chaperoneId, name, policeCheckExpiresOn }, loaded.input.plan, loaded.input.today)
    return { chaperoneId, covers: outcome.covers, reason: outcome.reason }
  },

  async 'outings.removeChaperone'({ id, chaperoneId }, ctx) {
    const result = await ctx.db
      .updateTable('outing_chaperones')
      .set({ removed_at: ctx.now })
      .where('id', '=', chaperoneId)
      .where('offering_id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new GuichetError('NOT_FOUND')
    ctx.audit({ entity: 'outing_chaperone', entityId: chaperoneId, before: { removed: false }, after: { removed: true } })
    return { removed: true }
  },

  async 'outings.withdrawException'({ id, studentId, reason }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    if (loaded.outing.deadlineAt > ctx.now) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'studentId', key: 'outing.withdrawBeforeDeadline' }])
    const before = computeOuting(loaded.input)
    const current = before.students.find((s) => s.studentId === studentId)
    if (!current) {
      // The office knows students by name, not by id.
      const student = await ctx.db.selectFrom('students').select(['first_name', 'last_name']).where('id', '=', studentId).executeTakeFirst()
      if (!student) throw new GuichetError('NOT_FOUND', { what: studentId })
      throw new GuichetError('INVALID_INPUT', {}, [{ path: 'studentId', key: 'outing.withdrawNotEligible', values: { student: `${student.first_name} ${student.last_name}` } }])
    }
    if (current.consentedAt === null) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'studentId', key: 'outing.nothingToWithdraw' }])
    const consentId = newId()
    await ctx.db
      .insertInto('consents')
      .values({ id: consentId, offering_id: id, student_id: studentId, guardian_id: null, decision: 'withdrawn', channel: 'office', recorded_at: ctx.now, recorded_by: ctx.session?.staffId ?? null, reason })
      .execute()
    // The parents' portal shows what the board has: the withdrawal, then why it came late.
    await enqueue(ctx.db, ctx.now, {
      schoolId: loaded.outing.schoolId,
      type: 'consent.record',
      entityId: consentId,
      data: { id: consentId, offeringId: id, studentId, guardianId: null, decision: 'withdrawn', signedName: null, answers: null, channel: 'office', recordedAt: ctx.now, reason },
    })
    await recordException(ctx, { kind: 'late_withdrawal', schoolId: loaded.outing.schoolId, offeringId: id, studentId, reason })
    const after = computeOuting({ ...loaded.input, consents: [...loaded.input.consents, { id: consentId, studentId, decision: 'withdrawn', recordedAt: ctx.now }] })
    const students = byId(loaded)
    ctx.audit({ entity: 'consent', entityId: consentId, before: { state: current.state }, after: { decision: 'withdrawn', reason }, detail: { outing: id, student: studentId, exception: true } })
    return { promoted: promotions(before, after).map((s) => nameOf(students, s)) }
  },

  async 'outings.callList'({ id }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    const snapshot = computeOuting(loaded.input)
    const waiting = snapshot.students.filter((s) => s.state === 'no_answer').map((s) => s.studentId)
    if (waiting.length === 0) return { rows: [] }
    const links = await ctx.db
      .selectFrom('student_guardians as sg')
      .innerJoin('guardians as g', 'g.id', 'sg.guardian_id')
      .select(['g.id', 'g.first_name', 'g.last_name', 'g.phone', 'g.phone_alt', 'g.preferred_language', 'sg.student_id'])
      .where('sg.student_id', 'in', waiting)
      .orderBy(sql`fold(g.last_name)`)
      .orderBy(sql`fold(g.first_name)`)
      .execute()
    const students = byId(loaded)
    const families = new Map<string, { guardianName: string; phone: string | null; phoneAlt: string | null; language: 'fr' | 'en'; students: string[] }>()
    for (const l of links) {
      const f = families.get(l.id) ?? { guardianName: `${l.first_name} ${l.last_name}`, phone: l.phone, phoneAlt: l.phone_alt, language: l.preferred_language, students: [] }
      f.students.push(nameOf(students, l.student_id).name)
      families.set(l.id, f)
    }
    return { rows: [...families.values()] }
  },

  async 'outings.document'({ id, document }, ctx) {
    const loaded = await loadOuting(ctx.db, id, ctx.now)
    const snapshot = computeOuting(loaded.input)
    const o = loaded.outing
    const slug = `${o.startsOn}`
    if (document === 'breakdown') {
      const className = new Map(loaded.students.map((s) => [s.classId, s.className]))
      const rows = classBreakdown(loaded.input.students, snapshot).rows.map((r) => ({ ...r, className: className.get(r.classId) ?? null }))
      const file = await outingClassBreakdownXlsx({ outing: header(o), rows }, ctx.locale)
      return { fileName: `sortie-${slug}-classes.xlsx`, base64: file.toString('base64'), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
    }
    if (document === 'chaperones') {
      const phones = new Map(o.chaperones.map((c) => [c.id, c.phone]))
      const file = await outingChaperonesPdf(
        {
          outing: header(o),
          chaperones: snapshot.chaperones.list.map((c) => ({ ...c, phone: phones.get(c.id) ?? null })),
          needed: snapshot.chaperones.needed,
          covering: snapshot.chaperones.covering,
          staffCount: o.staffCount,
          generatedAt: ctx.now,
        },
        ctx.locale,
      )
      return { fileName: `sortie-${slug}-accompagnateurs.pdf`, base64: file.toString('base64'), mimeType: 'application/pdf' }
    }
    const model = { outing: header(o), buses: rosterBusesOf(assignBuses(loaded.input.plan, loaded.input.students, snapshot.confirmedIds), await rosterStudents(ctx, loaded, snapshot.confirmedIds)), generatedAt: ctx.now }
    const file = document === 'roster' ? await outingRosterPdf(model, ctx.locale) : await outingSignSheetPdf(model, ctx.locale)
    return { fileName: `sortie-${slug}-${document === 'roster' ? 'liste-par-autobus' : 'feuille-depart-retour'}.pdf`, base64: file.toString('base64'), mimeType: 'application/pdf' }
  },
}

/** The confirmed students with their alerts and the guardians to call (emergency contacts first). */
async function rosterStudents(ctx: HandlerContext, loaded: LoadedOuting, ids: readonly string[]): Promise<(id: string) => RosterStudent | undefined> {
  const contacts = ids.length
    ? await ctx.db
        .selectFrom('student_guardians as sg')
        .innerJoin('guardians as g', 'g.id', 'sg.guardian_id')
        .select(['sg.student_id', 'g.first_name', 'g.last_name', 'g.phone', 'sg.relationship', 'sg.is_primary', 'sg.emergency_contact'])
        .where('sg.student_id', 'in', ids)
        .orderBy('sg.emergency_contact', 'desc')
        .orderBy('sg.is_primary', 'desc')
        .execute()
    : []
  const students = byId(loaded)
  return (id) => {
    const s = students.get(id)
    if (!s) return undefined
    return {
      lastName: s.lastName,
      firstName: s.firstName,
      className: s.className,
      medicalAlert: s.medicalAlert,
      contacts: contacts.filter((c) => c.student_id === id).map((c) => ({ name: `${c.first_name} ${c.last_name}`, phone: c.phone, relationship: bothIn(ctx.locale, 'outing.relationship', { relationship: c.relationship }) })),
    }
  }
}

export type { CapacityInput }
