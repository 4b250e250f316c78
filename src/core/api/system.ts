import { currentVersionAsync } from '../db/version'
import { getSetting } from '../services/settings'
import type { Handlers } from './types'

export const systemHandlers: Handlers<'system.info' | 'schools.list' | 'classes.list'> = {
  async 'system.info'(_input, ctx) {
    return {
      appVersion: ctx.core.appVersion,
      schemaVersion: await currentVersionAsync(ctx.db),
      demo: (await getSetting(ctx.db, 'demo.board')) !== undefined,
    }
  },

  async 'schools.list'(_input, ctx) {
    return ctx.db.selectFrom('schools').select(['id', 'code', 'name']).orderBy('name').execute()
  },

  async 'classes.list'({ schoolId }, ctx) {
    let q = ctx.db
      .selectFrom('classes')
      .select(['id', 'school_id as schoolId', 'code', 'name', 'teacher'])
      .orderBy('school_id')
      .orderBy('code')
    if (schoolId) q = q.where('school_id', '=', schoolId)
    return q.execute()
  },
}
