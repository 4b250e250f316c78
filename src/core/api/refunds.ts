import { GuichetError } from '../../shared/errors'
import { familyCredits, familyGuardians, settleAsCredit } from '../services/credits'
import {
  failedRefunds,
  jobItems,
  jobs,
  refundOrder,
  requestRefunds,
  retryRefund,
  startBulk,
  type RequestedJob,
  type Requester,
} from '../services/refunds'
import { addBudget, budgetView, grantWaiver } from '../services/waivers'
import { requireSession, type HandlerContext, type Handlers } from './types'

type Methods =
  | 'refunds.refundable'
  | 'refunds.refundLines'
  | 'refunds.refundOrder'
  | 'refunds.startBulk'
  | 'refunds.resume'
  | 'refunds.job'
  | 'refunds.jobs'
  | 'refunds.failed'
  | 'refunds.retry'
  | 'refunds.settleAsCredit'
  | 'refunds.settings'
  | 'refunds.setThreshold'
  | 'waivers.grant'
  | 'waivers.budget'
  | 'waivers.addBudget'
  | 'credits.ofFamily'

function requester(ctx: HandlerContext): Requester {
  const session = requireSession(ctx)
  return { staffId: session.staffId, role: session.role, now: ctx.now, locale: ctx.locale }
}

/** The refunds are asked of the processor once this call has committed, outside its transaction. */
function afterRequest(ctx: HandlerContext, job: RequestedJob, reason: string): { jobId: string; refundIds: string[]; totalCents: number } {
  ctx.audit({ entity: 'refund_job', entityId: job.jobId, after: { schoolId: job.schoolId, refunds: job.refunds.length, totalCents: job.totalCents, reason } })
  for (const r of job.refunds) {
    ctx.audit({ entity: 'refund', entityId: r.refundId, after: { status: 'pending', paymentId: r.paymentId, orderLineId: r.lineId, amountCents: r.amountCents, reason, jobId: job.jobId } })
  }
  ctx.afterCommit(() => ctx.core.refunds.kick())
  return { jobId: job.jobId, refundIds: job.refunds.map((r) => r.refundId), totalCents: job.totalCents }
}

async function oneJob(ctx: HandlerContext, jobId: string) {
  const [job] = await jobs(ctx.db, { jobId, limit: 1 })
  if (!job) throw new GuichetError('NOT_FOUND', { what: 'refundJob' })
  return job
}

export const refundHandlers: Handlers<Methods> = {
  async 'refunds.refundable'({ orderId }, ctx) {
    const order = await ctx.db.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst()
    if (!order) throw new GuichetError('NOT_FOUND', { what: 'order' })
    const rows = await ctx.db
      .selectFrom('line_refundable as x')
      .innerJoin('order_lines as l', 'l.id', 'x.order_line_id')
      .innerJoin('students as s', 's.id', 'l.student_id')
      .innerJoin('offerings as f', 'f.id', 'l.offering_id')
      .leftJoin('program_dates as d', 'd.id', 'l.program_date_id')
      .select(['x.order_line_id', 's.first_name', 's.last_name', 'f.title_fr', 'f.title_en', 'd.date', 'x.amount_cents', 'x.refunded_cents', 'x.credited_cents', 'x.refundable_cents', 'x.voided', 'x.payment_id'])
      .where('x.order_id', '=', orderId)
      .orderBy('s.first_name')
      .orderBy('d.date')
      .orderBy('l.id')
      .execute()
    return {
      paid: rows.some((r) => r.payment_id !== null),
      voided: rows.some((r) => r.voided === 1),
      lines: rows.map((r) => ({
        orderLineId: r.order_line_id,
        studentName: `${r.first_name} ${r.last_name}`,
        titleFr: r.title_fr,
        titleEn: r.title_en,
        date: r.date,
        amountCents: r.amount_cents,
        refundedCents: Number(r.refunded_cents),
        creditedCents: Number(r.credited_cents),
        refundableCents: Number(r.refundable_cents),
      })),
    }
  },

  async 'refunds.refundLines'({ lines, reason }, ctx) {
    const job = await requestRefunds(
      ctx.db,
      requester(ctx),
      {
        kind: 'lines',
        reason,
        items: lines.map((l) => ({ lineId: l.orderLineId, amountCents: l.amountCents ?? null, expectedRemainingCents: l.expectedRemainingCents })),
      },
      ctx.core.refunds.processors,
    )
    return afterRequest(ctx, job, reason)
  },

  async 'refunds.refundOrder'({ orderId, reason }, ctx) {
    const job = await refundOrder(ctx.db, requester(ctx), orderId, reason, ctx.core.refunds.processors)
    return afterRequest(ctx, job, reason)
  },

  async 'refunds.startBulk'({ target, reason }, ctx) {
    const started = await startBulk(ctx.db, requester(ctx), target, reason, ctx.core.refunds.processors)
    if (started.resumed) {
      ctx.audit({ entity: 'refund_job', entityId: started.jobId, detail: { resumed: true, target } })
      ctx.afterCommit(() => ctx.core.refunds.kick())
    } else {
      const items = await ctx.db
        .selectFrom('refund_job_items as i')
        .innerJoin('refunds as r', 'r.id', 'i.refund_id')
        .select(['r.id', 'r.payment_id', 'r.order_line_id', 'r.amount_cents', 'r.tender'])
        .where('i.job_id', '=', started.jobId)
        .execute()
      const job = await oneJob(ctx, started.jobId)
      afterRequest(
        ctx,
        { jobId: started.jobId, schoolId: job.schoolId, totalCents: job.progress.totalCents, refunds: items.map((r) => ({ refundId: r.id, paymentId: r.payment_id, lineId: r.order_line_id, amountCents: r.amount_cents, tender: r.tender })) },
        reason,
      )
    }
    const job = await oneJob(ctx, started.jobId)
    return { jobId: job.id, resumed: started.resumed, total: job.progress.total, totalCents: job.progress.totalCents }
  },

  async 'refunds.resume'({ jobId }, ctx) {
    const job = await oneJob(ctx, jobId)
    ctx.audit({ entity: 'refund_job', entityId: jobId, detail: { resumed: true } })
    ctx.afterCommit(() => ctx.core.refunds.kick())
    return { job }
  },

  async 'refunds.job'({ jobId, offset, limit }, ctx) {
    const job = await oneJob(ctx, jobId)
    return { job, items: limit === 0 ? [] : await jobItems(ctx.db, jobId, { offset, limit }) }
  },

  async 'refunds.jobs'({ schoolId, limit }, ctx) {
    return { jobs: await jobs(ctx.db, { ...(schoolId ? { schoolId } : {}), limit }) }
  },

  async 'refunds.failed'({ schoolId }, ctx) {
    return { refunds: await failedRefunds(ctx.db, schoolId ? { schoolId } : {}) }
  },

  async 'refunds.retry'({ refundId, reason }, ctx) {
    const job = await retryRefund(ctx.db, requester(ctx), refundId, reason, ctx.core.refunds.processors)
    ctx.audit({ entity: 'refund', entityId: refundId, before: { status: 'failed' }, after: { resolution: 'retried', retryRefundId: job.refunds[0]!.refundId, reason } })
    afterRequest(ctx, job, reason)
    return { jobId: job.jobId, refundId: job.refunds[0]!.refundId }
  },

  async 'refunds.settleAsCredit'({ refundId, reason }, ctx) {
    const credit = await settleAsCredit(ctx.db, { staffId: requireSession(ctx).staffId, now: ctx.now }, refundId, reason)
    ctx.audit({ entity: 'refund', entityId: refundId, before: { status: 'failed' }, after: { resolution: 'credited', creditId: credit.creditId, reason } })
    ctx.audit({ entity: 'family_credit', entityId: credit.creditId, after: { kind: 'granted', guardianId: credit.guardianId, schoolId: credit.schoolId, amountCents: credit.amountCents, reason } })
    return { creditId: credit.creditId, amountCents: credit.amountCents, balanceCents: credit.balanceCents }
  },

  async 'refunds.settings'({ schoolId }, ctx) {
    const school = await ctx.db.selectFrom('schools').select('refund_approval_threshold_cents as t').where('id', '=', schoolId).executeTakeFirst()
    if (!school) throw new GuichetError('NOT_FOUND', { what: 'school' })
    return { thresholdCents: school.t }
  },

  async 'refunds.setThreshold'({ schoolId, thresholdCents }, ctx) {
    const school = await ctx.db.selectFrom('schools').select('refund_approval_threshold_cents as t').where('id', '=', schoolId).executeTakeFirst()
    if (!school) throw new GuichetError('NOT_FOUND', { what: 'school' })
    await ctx.db.updateTable('schools').set({ refund_approval_threshold_cents: thresholdCents }).where('id', '=', schoolId).execute()
    ctx.audit({ entity: 'school', entityId: schoolId, before: { refundThresholdCents: school.t }, after: { refundThresholdCents: thresholdCents } })
    return { thresholdCents }
  },

  async 'waivers.grant'(input, ctx) {
    const granted = await grantWaiver(ctx.db, { staffId: requireSession(ctx).staffId, now: ctx.now, locale: ctx.locale }, input)
    // The reason is in the audit log, which only the principal and the admin read.
    ctx.audit({ entity: 'waiver', entityId: granted.waiverId, after: { studentId: input.studentId, offeringId: input.offeringId, amountCents: granted.amountCents, reason: input.reason } })
    return { waiverId: granted.waiverId, amountCents: granted.amountCents, remainingBudgetCents: granted.remainingBudgetCents }
  },

  async 'waivers.budget'({ schoolId }, ctx) {
    const school = await ctx.db.selectFrom('schools').select('id').where('id', '=', schoolId).executeTakeFirst()
    if (!school) throw new GuichetError('NOT_FOUND', { what: 'school' })
    return budgetView(ctx.db, schoolId)
  },

  async 'waivers.addBudget'(input, ctx) {
    const facts = await addBudget(ctx.db, { staffId: requireSession(ctx).staffId, now: ctx.now, locale: ctx.locale }, input)
    ctx.audit({ entity: 'school', entityId: input.schoolId, after: { assistanceBudgetEntryCents: input.amountCents, reason: input.reason, remainingCents: facts.remainingCents } })
    return { remainingCents: facts.remainingCents }
  },

  async 'credits.ofFamily'({ studentId }, ctx) {
    const student = await ctx.db.selectFrom('students').select('id').where('id', '=', studentId).executeTakeFirst()
    if (!student) throw new GuichetError('NOT_FOUND', { what: 'student' })
    return familyCredits(ctx.db, await familyGuardians(ctx.db, studentId))
  },
}
