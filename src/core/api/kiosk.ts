import { sql } from 'kysely'
import type { KioskFamily, KioskStateView } from '../../shared/contract/kiosk'
import { GuichetError } from '../../shared/errors'
import { queryTerms } from '../domain/search-key'
import { addToCart, currentCart, removeFromCart } from '../services/kiosk/cart'
import { checkPending, KIOSK_READER_SETTING, kioskProcessor, pay, payment } from '../services/kiosk/checkout'
import { answer } from '../services/kiosk/consent'
import { familyView } from '../services/kiosk/family'
import { checkStaffPin, KioskState, requireKiosk } from '../services/kiosk/session'
import { enqueue } from '../services/outbox'
import { hashPassword } from '../services/passwords'
import { SessionStore, type Session } from '../services/sessions'
import { getSetting } from '../services/settings'
import { orderHandlers } from './orders'
import { requireSession, type HandlerContext, type Handlers } from './types'

type KioskMethod =
  | 'kiosk.findFamilies'
  | 'kiosk.start'
  | 'kiosk.checkPending'
  | 'kiosk.state'
  | 'kiosk.setLanguage'
  | 'kiosk.family'
  | 'kiosk.answer'
  | 'kiosk.cart'
  | 'kiosk.cartAdd'
  | 'kiosk.cartRemove'
  | 'kiosk.pay'
  | 'kiosk.payment'
  | 'kiosk.receipt'
  | 'kiosk.emailReceipt'
  | 'kiosk.end'

const FAMILY_LIMIT = 20

export const kioskHandlers: Handlers<KioskMethod> = {
  // ---- staff side ------------------------------------------------------------------------------
  async 'kiosk.findFamilies'({ query }, ctx) {
    const ids = new Set<string>()
    const terms = queryTerms(query)
    const word = (column: 'g.search_key' | 's.search_key', term: string) => sql<boolean>`(${sql.ref(column)} LIKE ${`${term}%`} OR ${sql.ref(column)} LIKE ${`% ${term}%`})`
    if (terms.length) {
      let byName = ctx.db.selectFrom('guardians as g').select('g.id')
      let byChild = ctx.db.selectFrom('students as s').innerJoin('student_guardians as sg', 'sg.student_id', 's.id').select('sg.guardian_id as id').where('s.status', '=', 'active')
      for (const term of terms) {
        byName = byName.where(word('g.search_key', term))
        byChild = byChild.where(word('s.search_key', term))
      }
      for (const r of await byName.limit(FAMILY_LIMIT).execute()) ids.add(r.id)
      for (const r of await byChild.limit(FAMILY_LIMIT).execute()) ids.add(r.id)
    }
    const digits = query.replace(/\D/g, '')
    if (digits.length >= 4) {
      const phone = (column: 'phone' | 'phone_alt') => sql<string>`replace(replace(replace(replace(replace(coalesce(${sql.ref(column)}, ''), '-', ''), ' ', ''), '(', ''), ')', ''), '.', '')`
      const rows = await ctx.db
        .selectFrom('guardians')
        .select('id')
        .where((eb) => eb.or([eb(phone('phone'), 'like', `%${digits}%`), eb(phone('phone_alt'), 'like', `%${digits}%`)]))
        .limit(FAMILY_LIMIT)
        .execute()
      for (const r of rows) ids.add(r.id)
    }
    if (query.includes('@')) {
      const rows = await ctx.db.selectFrom('guardians').select('id').where(sql<string>`lower(email)`, 'like', `%${query.toLowerCase()}%`).limit(FAMILY_LIMIT).execute()
      for (const r of rows) ids.add(r.id)
    }
    const guardianIds = [...ids].slice(0, FAMILY_LIMIT)
    if (guardianIds.length === 0) return { families: [] }
    const [guardians, children] = await Promise.all([
      ctx.db.selectFrom('guardians').selectAll().where('id', 'in', guardianIds).orderBy(sql`fold(last_name)`).orderBy(sql`fold(first_name)`).execute(),
      ctx.db
        .selectFrom('student_guardians as sg')
        .innerJoin('students as s', 's.id', 'sg.student_id')
        .innerJoin('schools as sc', 'sc.id', 's.school_id')
        .select(['sg.guardian_id', 's.id', 's.first_name', 's.last_name', 's.grade', 'sc.name as school_name'])
        .where('sg.guardian_id', 'in', guardianIds)
        .where('s.status', '=', 'active')
        .orderBy('s.grade_rank')
        .execute(),
    ])
    const families: KioskFamily[] = guardians.map((g) => ({
      guardianId: g.id,
      firstName: g.first_name,
      lastName: g.last_name,
      email: g.email,
      phone: g.phone,
      language: g.preferred_language,
      children: children.filter((c) => c.guardian_id === g.id).map((c) => ({ id: c.id, firstName: c.first_name, lastName: c.last_name, grade: c.grade, schoolName: c.school_name })),
    }))
    return { families }
  },

  async 'kiosk.start'({ guardianId, pin, idleSeconds }, ctx) {
    const staff = requireSession(ctx)
    const guardian = await ctx.db.selectFrom('guardians').select(['id', 'preferred_language']).where('id', '=', guardianId).executeTakeFirst()
    if (!guardian) throw new GuichetError('NOT_FOUND', { what: guardianId })
    // Hashed like a password (scrypt); the PIN itself is kept nowhere, and the audit log masks it.
    // Without a PIN for this kiosk, the opener's own PIN (Mon compte) ends it, or else their password.
    const own = await ctx.db.selectFrom('staff').select('pin_hash').where('id', '=', staff.staffId).executeTakeFirst()
    const pinHash = pin ? await hashPassword(pin) : (own?.pin_hash ?? null)
    const kiosk = new KioskState(guardian.id, idleSeconds, pinHash, { staffId: staff.staffId, displayName: staff.displayName })
    const session: Session = {
      token: SessionStore.newToken(),
      staffId: staff.staffId,
      username: staff.username,
      displayName: `${staff.displayName} (kiosque)`,
      role: staff.role,
      language: guardian.preferred_language,
      lastActivityMs: ctx.core.nowMs(),
      locked: false,
      kiosk,
    }
    ctx.audit({ entity: 'guardian', entityId: guardian.id, detail: { kiosk: 'started', idleSeconds, pin: pin ? 'set' : pinHash ? 'personal' : 'staff password' } })
    ctx.afterCommit(() => {
      ctx.core.sessions.add(session)
      kiosk.armIdleTimer()
    })
    return { token: session.token, language: guardian.preferred_language, idleSeconds }
  },

  async 'kiosk.checkPending'(_input, ctx) {
    const pending = await checkPending(ctx)
    ctx.audit({ entity: 'kiosk_charge', detail: { kiosk: 'checkPending', count: pending.length } })
    return { pending }
  },

  // ---- the kiosk itself --------------------------------------------------------------------------
  async 'kiosk.state'(_input, ctx) {
    return stateView(ctx)
  },

  async 'kiosk.setLanguage'({ language }, ctx) {
    const { session, guardianId } = requireKiosk(ctx)
    ctx.audit({ entity: 'guardian', entityId: guardianId, detail: { kiosk: 'language', language } })
    ctx.afterCommit(() => {
      session.language = language
    })
    return { ...(await stateView(ctx)), language }
  },

  async 'kiosk.family'(_input, ctx) {
    const { kiosk, guardianId } = requireKiosk(ctx)
    return { children: await familyView(ctx.db, guardianId, [...kiosk.cart.values()], ctx.now, ctx.locale) }
  },

  'kiosk.answer': (input, ctx) => answer(ctx, input),
  'kiosk.cart': (_input, ctx) => currentCart(ctx),
  'kiosk.cartAdd': (input, ctx) => addToCart(ctx, input),
  'kiosk.cartRemove': ({ key }, ctx) => removeFromCart(ctx, key),
  'kiosk.pay': (input, ctx) => pay(ctx, input),
  'kiosk.payment': ({ chargeId }, ctx) => payment(ctx, chargeId),

  async 'kiosk.receipt'({ paymentId }, ctx) {
    const { kiosk } = requireKiosk(ctx)
    // Only the receipts of this session's payments: never another family's, never older ones.
    if (!kiosk.payments.has(paymentId)) throw new GuichetError('FORBIDDEN')
    return orderHandlers['receipts.pdf']({ paymentId }, ctx)
  },

  async 'kiosk.emailReceipt'({ paymentId }, ctx) {
    const { kiosk, guardianId } = requireKiosk(ctx)
    if (!kiosk.payments.has(paymentId)) throw new GuichetError('FORBIDDEN')
    const [guardian, paid] = await Promise.all([
      ctx.db.selectFrom('guardians').select(['email', 'email_bounced_at']).where('id', '=', guardianId).executeTakeFirstOrThrow(),
      ctx.db.selectFrom('payments').select(['school_id', 'receipt_number']).where('id', '=', paymentId).executeTakeFirstOrThrow(),
    ])
    if (!guardian.email) throw new GuichetError('KIOSK_NOT_AVAILABLE', {}, [{ path: 'paymentId', key: 'kiosk.receipt.noEmail' }])
    await enqueue(ctx.db, ctx.now, { schoolId: paid.school_id, type: 'notification.request', entityId: paymentId, data: { kind: 'receipt', paymentId, receiptNumber: paid.receipt_number, guardianIds: [guardianId] } })
    ctx.audit({ entity: 'payment', entityId: paymentId, detail: { kiosk: 'emailReceipt' } })
    return { email: maskEmail(guardian.email) }
  },

  async 'kiosk.end'({ pin }, ctx) {
    const session = ctx.session
    const kiosk = session?.kiosk
    if (!session || !kiosk) throw new Error('kiosk.end without a kiosk session')
    await checkStaffPin(ctx, kiosk, pin)
    ctx.audit({ entity: 'kiosk', detail: { kiosk: 'ended', expired: kiosk.expired } })
    ctx.afterCommit(() => {
      kiosk.expire()
      ctx.core.sessions.remove(session.token)
    })
    return { ended: true as const }
  },
}

async function stateView(ctx: HandlerContext): Promise<KioskStateView> {
  const session = ctx.session
  const kiosk = session?.kiosk
  if (!session || !kiosk) throw new Error('kiosk method without a kiosk session')
  const processor = kioskProcessor(ctx)
  const reader = processor.isDemo ? undefined : await getSetting(ctx.db, KIOSK_READER_SETTING)
  const active = !kiosk.expired && !session.locked && kiosk.guardianId !== null
  if (active) kiosk.armIdleTimer()
  const guardian = active ? await ctx.db.selectFrom('guardians').select(['first_name', 'last_name']).where('id', '=', kiosk.guardianId!).executeTakeFirst() : undefined
  return {
    active,
    guardian: guardian ? { firstName: guardian.first_name, lastName: guardian.last_name } : null,
    language: session.language,
    idleSeconds: kiosk.idleSeconds,
    demo: processor.isDemo,
    cardEntry: reader ? 'terminal' : 'test_card',
    cartCount: kiosk.cart.size,
  }
}

/** "annie.lalonde@example.org" → "a•••@example.org": enough for the parent to recognize it. */
function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@')
  return `${user.slice(0, 1)}•••@${domain}`
}
