import { sql, type Kysely } from 'kysely'
import type { CatalogueRow, EditLock, OfferingDetail, Problem } from '../../shared/contract/catalogue'
import type { OfferingDraftParsed } from '../../shared/contract/catalogue-schemas'
import { GuichetError, type KeyedIssue } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import type { DB } from '../db/schema'
import {
  addDays,
  checkChanges,
  checkOffering,
  closesAt,
  editLocks,
  effectiveStatus,
  errorsOf,
  localDateOf,
  proposeProgramDates,
  itemReminders,
  laterDeadlines,
  transition,
  warningsOf,
  type OfferingDraft,
  type Problem as DomainProblem,
} from '../domain/catalogue'
import { translate, translateCode } from '../i18n'
import { newId } from '../services/ids'
import { changeFacts, countEligible, loadDraft, offeringColumns, offeringRow, saveChildren, type OfferingRow } from '../services/offerings'
import { approveException, recordException } from '../services/exceptions'
import { enqueue } from '../services/outbox'
import { loadCalendar } from '../services/school-calendar'
import { requireSession, type HandlerContext, type Handlers } from './types'

type CatalogueMethod =
  | 'catalogue.list'
  | 'catalogue.get'
  | 'catalogue.check'
  | 'catalogue.eligibleCount'
  | 'catalogue.proposeDates'
  | 'catalogue.create'
  | 'catalogue.update'
  | 'catalogue.publish'
  | 'catalogue.close'
  | 'catalogue.archive'
  | 'catalogue.cancel'
  | 'catalogue.cancelDate'
  | 'catalogue.duplicate'
  | 'catalogue.fromTemplate'
  | 'catalogue.month'

const SORT = {
  deadlineAt: 'o.deadline_at',
  opensAt: 'o.opens_at',
  titleFr: sql<string>`fold(o.title_fr)`,
  kind: 'o.kind',
  status: 'o.status',
} as const

function problemsFor(problems: readonly DomainProblem[], locale: Locale): Problem[] {
  return problems.map((p) => ({ code: p.code, severity: p.severity, field: p.field, message: translateCode(locale, p.code, p.values) }))
}

function asIssues(problems: readonly DomainProblem[]): KeyedIssue[] {
  return problems.map((p) => ({ path: p.field, key: p.code, values: p.values }))
}

async function checkDraft(ctx: HandlerContext, schoolId: string, draft: OfferingDraft): Promise<{ problems: DomainProblem[]; eligible: number }> {
  const calendar = await loadCalendar(ctx.db, schoolId, localDateOf(draft.opensAt ?? ctx.now, 'America/Toronto'))
  const eligible = await countEligible(ctx.db, schoolId, draft.targets)
  return { problems: checkOffering(draft, { now: ctx.now, calendar, eligibleCount: eligible }), eligible }
}

/** The version the caller saw must still be the stored one: two secretaries, one item. */
async function versioned(ctx: HandlerContext, id: string, version: number): Promise<OfferingRow> {
  const row = await offeringRow(ctx.db, id)
  if (row.version !== version) throw new GuichetError('CONFLICT')
  return row
}

/** The full item as the central API receives it in `offering.upsert`. */
async function upsertPayload(db: Kysely<DB>, id: string) {
  const row = await offeringRow(db, id)
  const { status: _status, ...draft } = await loadDraft(db, row)
  return { id, schoolId: row.school_id, schoolYear: row.school_year, version: row.version, status: row.status, ...draft }
}

type Target = 'published' | 'closed' | 'archived' | 'cancelled'

/** The lifecycle's answer, or its refusal as an error: checked before anything else is done. */
function allowedTransition(ctx: HandlerContext, row: OfferingRow, to: Target, reason?: string) {
  const result = transition({ status: row.status, opensAt: row.opens_at, deadlineAt: row.deadline_at }, to, { now: ctx.now, reason: reason ?? null })
  if (!result.ok) throw new GuichetError('LIFECYCLE', {}, [{ path: 'status', key: result.code, values: result.values }])
  return result
}

async function setStatus(ctx: HandlerContext, row: OfferingRow, to: Target, reason?: string) {
  const result = allowedTransition(ctx, row, to, reason)
  const version = row.version + 1
  await ctx.db
    .updateTable('offerings')
    .set({
      status: result.status,
      version,
      updated_at: ctx.now,
      ...(to === 'published' && !row.published_at ? { published_at: ctx.now } : {}),
      ...(to === 'cancelled' ? { cancel_reason: result.cancelReason ?? reason ?? null } : {}),
    })
    .where('id', '=', row.id)
    .execute()
  ctx.audit({ entity: 'offering', entityId: row.id, before: { status: row.status }, after: { status: result.status, ...(reason ? { reason } : {}) } })
  return { id: row.id, version, status: result.status, from: result.from }
}

async function insertOffering(ctx: HandlerContext, schoolId: string, draft: OfferingDraftParsed, programRule: unknown): Promise<{ id: string; version: number }> {
  const calendar = await loadCalendar(ctx.db, schoolId, localDateOf(draft.opensAt, 'America/Toronto'))
  const id = newId()
  await ctx.db
    .insertInto('offerings')
    .values({
      id,
      school_id: schoolId,
      school_year: calendar.label,
      status: 'draft',
      ...offeringColumns(draft),
      program_rule: programRule ? JSON.stringify(programRule) : null,
      created_by: requireSession(ctx).staffId,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .execute()
  await saveChildren(ctx.db, id, draft)
  ctx.audit({ entity: 'offering', entityId: id, after: draft })
  return { id, version: 1 }
}

function translatedLocks(locks: ReturnType<typeof editLocks>, locale: Locale): EditLock[] {
  return locks.map((l) => ({ ...l, message: translateCode(locale, l.code) }))
}

export const catalogueHandlers: Handlers<CatalogueMethod> = {
  async 'catalogue.list'(input, ctx) {
    let q = ctx.db.selectFrom('offerings as o').innerJoin('schools as sc', 'sc.id', 'o.school_id')
    if (input.schoolId) q = q.where('o.school_id', '=', input.schoolId)
    if (input.kind) q = q.where('o.kind', '=', input.kind)
    if (input.status === 'closed') {
      q = q.where((eb) => eb.or([eb('o.status', '=', 'closed'), eb.and([eb('o.status', '=', 'published'), eb('o.deadline_at', '<=', ctx.now)])]))
    } else if (input.status === 'published') {
      q = q.where('o.status', '=', 'published').where('o.deadline_at', '>', ctx.now)
    } else if (input.status) {
      q = q.where('o.status', '=', input.status)
    }
    if (input.query) {
      const like = `%${input.query.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
      q = q.where((eb) => eb.or([sql<boolean>`o.title_fr LIKE ${like} ESCAPE '\\'`, sql<boolean>`coalesce(o.title_en, '') LIKE ${like} ESCAPE '\\'`]))
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
    const rows = await q
      .select([
        'o.id',
        'o.school_id',
        'sc.name as school_name',
        'o.kind',
        'o.status',
        'o.title_fr',
        'o.title_en',
        'o.opens_at',
        'o.deadline_at',
        // Eligible: active students of the school that one of the targets reaches.
        sql<number>`(SELECT count(*) FROM students s WHERE s.school_id = o.school_id AND s.status = 'active' AND EXISTS (
          SELECT 1 FROM offering_targets t WHERE t.offering_id = o.id AND (
            (t.kind = 'school' AND t.value = s.school_id) OR (t.kind = 'grade' AND t.value = s.grade)
            OR (t.kind = 'class' AND t.value = s.class_id) OR (t.kind = 'student' AND t.value = s.id))))`.as('eligible'),
        // Answered: a consent given (outings, forms) or anything ordered (the rest).
        sql<number>`CASE WHEN o.kind IN ('outing', 'consent_form')
          THEN (SELECT count(DISTINCT c.student_id) FROM consents c WHERE c.offering_id = o.id)
          ELSE (SELECT count(DISTINCT ol.student_id) FROM order_lines ol WHERE ol.offering_id = o.id) END`.as('answered'),
        sql<number>`(SELECT count(DISTINCT ol.student_id) FROM order_lines ol WHERE ol.offering_id = o.id
          AND EXISTS (SELECT 1 FROM live_payments p WHERE p.order_id = ol.order_id))`.as('paid'),
        sql<number>`(SELECT count(*) FROM outbox m WHERE m.entity_id = o.id AND m.state = 'pending')`.as('waiting'),
      ])
      .orderBy(SORT[input.sort.field], input.sort.direction)
      .orderBy('o.id')
      .limit(input.limit)
      .offset(input.offset)
      .execute()
    return {
      total: Number(total),
      rows: rows.map(
        (r): CatalogueRow => ({
          id: r.id,
          schoolId: r.school_id,
          schoolName: r.school_name,
          kind: r.kind,
          status: effectiveStatus({ status: r.status, opensAt: r.opens_at, deadlineAt: r.deadline_at }, ctx.now),
          titleFr: r.title_fr,
          titleEn: r.title_en,
          opensAt: r.opens_at,
          deadlineAt: r.deadline_at,
          eligible: Number(r.eligible),
          answered: Number(r.answered),
          paid: Number(r.paid),
          waitingToSend: Number(r.waiting),
        }),
      ),
    }
  },

  async 'catalogue.get'({ id }, ctx) {
    const row = await offeringRow(ctx.db, id)
    const stored = await loadDraft(ctx.db, row)
    const { status: _s, ...draft } = stored
    const facts = await changeFacts(ctx.db, id)
    const { problems, eligible } = await checkDraft(ctx, row.school_id, draft)
    const calendar = await loadCalendar(ctx.db, row.school_id, localDateOf(row.opens_at, 'America/Toronto'))
    const [runs, outbox] = await Promise.all([
      ctx.db.selectFrom('reminder_runs').select(['sent_at', 'family_count', 'period', 'outcome']).where('offering_id', '=', id).orderBy('sent_at').orderBy('period').execute(),
      ctx.db.selectFrom('outbox').select(['type', 'state', 'created_at']).where('entity_id', '=', id).orderBy('seq').execute(),
    ])
    const detail: OfferingDetail = {
      id,
      schoolId: row.school_id,
      schoolYear: row.school_year,
      status: effectiveStatus({ status: row.status, opensAt: row.opens_at, deadlineAt: row.deadline_at }, ctx.now),
      storedStatus: row.status,
      version: row.version,
      cancelReason: row.cancel_reason,
      publishedAt: row.published_at,
      programRule: row.program_rule ? JSON.parse(row.program_rule) : null,
      draft: draft as OfferingDetail['draft'],
      facts: { paidLines: facts.paidLines, answers: facts.answers, eligible },
      locks: translatedLocks(editLocks(stored, facts), ctx.locale),
      problems: problemsFor(problems, ctx.locale),
      reminder: {
        at: nextReminderAt(row, draft.dates, calendar, runs, ctx.now),
        runs: runs.map((r) => ({ sentAt: r.sent_at, familyCount: r.family_count, period: r.period, outcome: r.outcome })),
      },
      outbox: outbox.map((m) => ({ type: m.type, state: m.state, createdAt: m.created_at })),
    }
    return detail
  },

  async 'catalogue.check'({ schoolId, draft }, ctx) {
    const { problems, eligible } = await checkDraft(ctx, schoolId, draft)
    return { problems: problemsFor(problems, ctx.locale), eligible }
  },

  async 'catalogue.eligibleCount'({ schoolId, targets }, ctx) {
    return { eligible: await countEligible(ctx.db, schoolId, targets) }
  },

  async 'catalogue.proposeDates'({ schoolId, request }, ctx) {
    const calendar = await loadCalendar(ctx.db, schoolId, request.from)
    const result = proposeProgramDates(calendar, request)
    if (!result.ok) throw new GuichetError('BAD_REQUEST', { detail: translateCode(ctx.locale, result.code, result.values) })
    const fr = ctx.locale === 'fr-CA'
    return {
      dates: result.dates,
      skipped: result.skipped.map((s) => ({ date: s.date, reason: s.reason, label: (fr ? s.labelFr : (s.labelEn ?? s.labelFr)) ?? null })),
    }
  },

  async 'catalogue.create'({ schoolId, draft, programRule }, ctx) {
    return insertOffering(ctx, schoolId, draft, programRule)
  },

  async 'catalogue.update'({ id, version, draft, programRule, exceptionReason }, ctx) {
    const row = await versioned(ctx, id, version)
    const stored = await loadDraft(ctx.db, row)
    const status = effectiveStatus({ status: row.status, opensAt: row.opens_at, deadlineAt: row.deadline_at }, ctx.now)
    if (row.status !== 'draft') {
      const verdict = checkChanges({ ...stored, status }, draft, await changeFacts(ctx.db, id))
      if (!verdict.allowed) throw new GuichetError('CHANGE_BLOCKED', {}, verdict.blocked.map((b) => ({ path: b.field, key: b.code, values: b.values })))
    }
    // Families were told the deadline is final: once published, pushing it later is an exception.
    const later = row.published_at && row.status !== 'draft' ? laterDeadlines(stored, draft) : []
    const reason = later.length ? approveException(ctx, exceptionReason, 'exceptionReason') : null
    await ctx.db
      .updateTable('offerings')
      .set({ ...offeringColumns(draft), program_rule: programRule ? JSON.stringify(programRule) : null, version: version + 1, updated_at: ctx.now })
      .where('id', '=', id)
      .execute()
    await saveChildren(ctx.db, id, draft)
    const { status: _s, ...before } = stored
    const changes = later.map(({ field, before, after }) => ({ field, before, after }))
    ctx.audit({ entity: 'offering', entityId: id, before, after: draft, detail: reason ? { exception: 'deadline_extended', reason, changes } : null })
    // Families see published items: the board gets every change to them.
    if (row.published_at && row.status !== 'draft') {
      await enqueue(ctx.db, ctx.now, { schoolId: row.school_id, type: 'offering.upsert', entityId: id, baseVersion: version, data: await upsertPayload(ctx.db, id) })
    }
    if (reason) await recordException(ctx, { kind: 'deadline_extended', schoolId: row.school_id, offeringId: id, reason, changes })
    return { id, version: version + 1 }
  },

  async 'catalogue.publish'({ id, version, confirmWarnings, exceptionReason }, ctx) {
    const row = await versioned(ctx, id, version)
    const { from } = allowedTransition(ctx, row, 'published')
    // Reopening what families saw close is an exception: the principal's, with a reason.
    const reopening = row.published_at !== null && from === 'closed' ? approveException(ctx, exceptionReason, 'exceptionReason') : null
    const { status: _s, ...draft } = await loadDraft(ctx.db, row)
    const { problems } = await checkDraft(ctx, row.school_id, draft)
    const errors = errorsOf(problems)
    if (errors.length) throw new GuichetError('CHECK_FAILED', {}, asIssues(errors))
    const warnings = warningsOf(problems)
    if (warnings.length && !confirmWarnings) throw new GuichetError('WARNINGS_UNCONFIRMED', {}, asIssues(warnings))
    const result = await setStatus(ctx, row, 'published', reopening ?? undefined)
    await enqueue(ctx.db, ctx.now, { schoolId: row.school_id, type: 'offering.upsert', entityId: id, baseVersion: version, data: await upsertPayload(ctx.db, id) })
    await enqueue(ctx.db, ctx.now, { schoolId: row.school_id, type: 'offering.publish', entityId: id, baseVersion: result.version, data: { id } })
    if (reopening) await recordException(ctx, { kind: 'reopened', schoolId: row.school_id, offeringId: id, reason: reopening })
    return { id, version: result.version, status: result.status }
  },

  async 'catalogue.close'({ id, version }, ctx) {
    const row = await versioned(ctx, id, version)
    const result = await setStatus(ctx, row, 'closed')
    if (row.published_at) await enqueue(ctx.db, ctx.now, { schoolId: row.school_id, type: 'offering.close', entityId: id, baseVersion: version, data: { id } })
    return { id, version: result.version, status: result.status }
  },

  async 'catalogue.archive'({ id, version }, ctx) {
    const row = await versioned(ctx, id, version)
    const result = await setStatus(ctx, row, 'archived')
    return { id, version: result.version, status: result.status }
  },

  async 'catalogue.cancelDate'({ id, version, programDateId, reason }, ctx) {
    const row = await versioned(ctx, id, version)
    if (row.kind !== 'program' || (row.status !== 'published' && row.status !== 'closed')) throw new GuichetError('LIFECYCLE')
    const date = await ctx.db.selectFrom('program_dates').selectAll().where('id', '=', programDateId).where('offering_id', '=', id).executeTakeFirst()
    if (!date) throw new GuichetError('NOT_FOUND')
    if (date.status === 'cancelled') throw new GuichetError('LIFECYCLE')
    const paid = await ctx.db
      .selectFrom('order_lines as l')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('l.program_date_id', '=', programDateId)
      .where(({ exists, selectFrom }) => exists(selectFrom('live_payments as p').select('p.id').whereRef('p.order_id', '=', 'l.order_id')))
      .executeTakeFirstOrThrow()
    const paidLines = Number(paid.n)
    if (paidLines > 0 && requireSession(ctx).role === 'secretary') throw new GuichetError('CANCEL_NEEDS_PRINCIPAL')
    await ctx.db.updateTable('program_dates').set({ status: 'cancelled', cancel_reason: reason }).where('id', '=', programDateId).execute()
    await ctx.db.updateTable('offerings').set({ version: row.version + 1, updated_at: ctx.now }).where('id', '=', id).execute()
    ctx.audit({ entity: 'program_date', entityId: programDateId, before: { status: date.status }, after: { status: 'cancelled', reason }, detail: { offering: id, date: date.date, paidLines } })
    // The board's contract has no mutation of its own for a date: the item goes again, its date marked cancelled.
    await enqueue(ctx.db, ctx.now, { schoolId: row.school_id, type: 'offering.upsert', entityId: id, baseVersion: version, data: await upsertPayload(ctx.db, id) })
    return { id, version: row.version + 1, paidLines }
  },

  async 'catalogue.cancel'({ id, version, reason }, ctx) {
    const row = await versioned(ctx, id, version)
    allowedTransition(ctx, row, 'cancelled', reason)
    const facts = await changeFacts(ctx.db, id)
    if (facts.paidLines > 0 && requireSession(ctx).role === 'secretary') throw new GuichetError('CANCEL_NEEDS_PRINCIPAL')
    const result = await setStatus(ctx, row, 'cancelled', reason)
    if (row.published_at) await enqueue(ctx.db, ctx.now, { schoolId: row.school_id, type: 'offering.cancel', entityId: id, baseVersion: version, data: { id, reason } })
    return { id, version: result.version, status: result.status }
  },

  async 'catalogue.duplicate'({ id, nextYear }, ctx) {
    const row = await offeringRow(ctx.db, id)
    const { status: _s, ...draft } = await loadDraft(ctx.db, row)
    // 52 weeks keep the weekday: next year's pizza Fridays are Fridays.
    const days = nextYear ? 364 : 0
    const shift = (instant: string) => new Date(Date.parse(instant) + days * 86_400_000).toISOString()
    const copy: OfferingDraftParsed = {
      ...draft,
      opensAt: shift(draft.opensAt ?? ctx.now),
      deadlineAt: shift(draft.deadlineAt ?? ctx.now),
      priceCents: draft.priceCents ?? 0,
      variants: draft.variants.map(({ id: _id, ...v }) => ({ ...v, priceCents: v.priceCents ?? 0, active: true })),
      dates: draft.dates
        .filter((d) => d.status !== 'cancelled')
        .map((d) => ({ date: addDays(d.date, days), cutoffAt: shift(d.cutoffAt ?? d.date), supplier: d.supplier })),
      outing: draft.outing
        ? {
            ...draft.outing,
            startsOn: addDays(draft.outing.startsOn ?? localDateOf(ctx.now, 'America/Toronto'), days),
            endsOn: addDays(draft.outing.endsOn ?? draft.outing.startsOn ?? localDateOf(ctx.now, 'America/Toronto'), days),
            chaperoneRatio: draft.outing.chaperoneRatio ?? null,
          }
        : null,
      questions: draft.questions.map(({ id: _id, ...q }) => ({ ...q, choices: [...q.choices] })),
      targets: [...draft.targets],
    }
    return insertOffering(ctx, row.school_id, copy, row.program_rule ? JSON.parse(row.program_rule) : null)
  },

  async 'catalogue.fromTemplate'({ schoolId, template }, ctx) {
    const calendar = await loadCalendar(ctx.db, schoolId, localDateOf(ctx.now, 'America/Toronto'))
    const today = localDateOf(ctx.now, calendar.timeZone)
    const both = (key: Parameters<typeof translate>[1]) => ({ fr: translate('fr-CA', key), en: translate('en-CA', key) })
    const title = both(`template.${template}.title`)
    const description = both(`template.${template}.description`)
    const question = both(`template.${template}.question`)
    const draft: OfferingDraftParsed = {
      kind: 'consent_form',
      titleFr: title.fr,
      titleEn: title.en,
      descriptionFr: description.fr,
      descriptionEn: description.en,
      opensAt: ctx.now,
      // Two weeks to answer, until the end of the school day.
      deadlineAt: closesAt(addDays(today, 14), '16:00', calendar.timeZone),
      priceCents: 0,
      feePer: null,
      required: true,
      stockLimit: null,
      perStudentLimit: null,
      reminderDaysBefore: 3,
      targets: [{ kind: 'school', value: schoolId }],
      variants: [],
      dates: [],
      outing: null,
      questions: [{ kind: 'yes_no', labelFr: question.fr, labelEn: question.en, choices: [], required: true }],
    }
    return insertOffering(ctx, schoolId, draft, null)
  },

  async 'catalogue.month'({ schoolId, month }, ctx) {
    const first = `${month}-01`
    const last = `${month}-31`
    let dates = ctx.db
      .selectFrom('program_dates as d')
      .innerJoin('offerings as o', 'o.id', 'd.offering_id')
      .select(['d.date', 'o.id as offering_id', 'o.school_id', 'o.kind', 'o.status', 'o.opens_at', 'o.deadline_at', 'o.title_fr', 'o.title_en', 'd.status as date_status'])
      .where('d.date', '>=', first)
      .where('d.date', '<=', last)
      .where('o.status', 'not in', ['archived'])
    let outings = ctx.db
      .selectFrom('outings as t')
      .innerJoin('offerings as o', 'o.id', 't.offering_id')
      .select(['t.starts_on as date', 'o.id as offering_id', 'o.school_id', 'o.kind', 'o.status', 'o.opens_at', 'o.deadline_at', 'o.title_fr', 'o.title_en'])
      .where('t.starts_on', '>=', first)
      .where('t.starts_on', '<=', last)
      .where('o.status', 'not in', ['archived'])
    let daysOff = ctx.db.selectFrom('calendar_days').selectAll().where('date', '>=', first).where('date', '<=', last)
    if (schoolId) {
      dates = dates.where('o.school_id', '=', schoolId)
      outings = outings.where('o.school_id', '=', schoolId)
      daysOff = daysOff.where('school_id', '=', schoolId)
    }
    const [d, o, off] = await Promise.all([dates.execute(), outings.execute(), daysOff.orderBy('date').execute()])
    const entry = (r: (typeof d)[number] | (typeof o)[number], dateStatus: 'scheduled' | 'cancelled') => ({
      date: r.date,
      offeringId: r.offering_id,
      schoolId: r.school_id,
      kind: r.kind,
      status: effectiveStatus({ status: r.status, opensAt: r.opens_at, deadlineAt: r.deadline_at }, ctx.now),
      titleFr: r.title_fr,
      titleEn: r.title_en,
      dateStatus,
    })
    return {
      entries: [...d.map((r) => entry(r, r.date_status)), ...o.map((r) => entry(r, 'scheduled'))].sort((a, b) => a.date.localeCompare(b.date) || a.titleFr.localeCompare(b.titleFr)),
      daysOff: off.map((r) => ({ schoolId: r.school_id, date: r.date, kind: r.kind, labelFr: r.label_fr, labelEn: r.label_en })),
    }
  },
}

/** The next reminder still to go: the first one with a time whose deadline is ahead and that has not gone. */
function nextReminderAt(
  row: OfferingRow,
  dates: ReadonlyArray<{ date: string; cutoffAt: string | null; status?: string }>,
  cal: { timeZone: string },
  runs: ReadonlyArray<{ period: string }>,
  now: string,
): string | null {
  const gone = new Set(runs.map((r) => r.period))
  const periods = itemReminders(
    { kind: row.kind, opensAt: row.opens_at, publishedAt: row.published_at, deadlineAt: row.deadline_at, reminderDaysBefore: row.reminder_days_before, dates: dates.flatMap((d) => (d.cutoffAt ? [{ ...d, cutoffAt: d.cutoffAt }] : [])) },
    cal,
  )
  return periods.find((p) => p.at !== null && !gone.has(p.period) && p.deadlineAt > now)?.at ?? null
}
