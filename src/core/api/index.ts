import { accountHandlers } from './accounts'
import { adminHandlers } from './admin'
import { authHandlers } from './auth'
import { backupHandlers } from './backups'
import { calendarHandlers } from './calendar'
import { catalogueHandlers } from './catalogue'
import { dashboardHandlers } from './dashboard'
import { kioskHandlers } from './kiosk'
import { orderHandlers } from './orders'
import { outingHandlers } from './outings'
import { printingHandlers } from './printing'
import { processorHandlers } from './processor'
import { syncHandlers } from './sync'
import { reconciliationHandlers } from './reconciliation'
import { refundHandlers } from './refunds'
import { reportHandlers } from './reports'
import { setupHandlers } from './setup'
import { rosterHandlers } from './roster'
import { studentHandlers } from './students'
import { systemHandlers } from './system'
import type { HandlerMap } from './types'

/**
 * The handler map, one handler per method of the contract: `satisfies HandlerMap` makes the
 * compiler reject a missing method, an extra one, or a handler of the wrong shape.
 */
export const handlers = {
  ...authHandlers,
  ...systemHandlers,
  ...studentHandlers,
  ...adminHandlers,
  ...catalogueHandlers,
  ...calendarHandlers,
  ...rosterHandlers,
  ...orderHandlers,
  ...outingHandlers,
  ...processorHandlers,
  ...syncHandlers,
  ...kioskHandlers,
  ...refundHandlers,
  ...reportHandlers,
  ...dashboardHandlers,
  ...reconciliationHandlers,
  ...printingHandlers,
  ...accountHandlers,
  ...setupHandlers,
  ...backupHandlers,
} satisfies HandlerMap
