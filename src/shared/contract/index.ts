import type { z } from 'zod'
import { accountMethods, setupMethods } from './accounts'
import { adminMethods } from './admin'
import { authMethods } from './auth'
import { backupMethods } from './backups'
import { catalogueMethods } from './catalogue'
import { dashboardMethods } from './dashboard'
import { moneyMethods } from './money'
import { kioskMethods } from './kiosk'
import { outingMethods } from './outings'
import { printingMethods } from './printing'
import { processorMethods } from './processor'
import { reconciliationMethods } from './reconciliation'
import { refundMethods } from './refunds'
import { reportMethods } from './reports'
import { rosterMethods } from './roster'
import type { MethodSpec } from './method'
import { studentMethods } from './students'
import { systemMethods } from './system'
import { syncMethods } from './sync'

/**
 * The one contract between the renderer and the core. Every method: its input and output
 * schemas, who may call it, and whether it changes data. The core's handler map must cover it
 * exactly (checked by the compiler in core/api/index.ts).
 */
export const contract = {
  ...authMethods,
  ...systemMethods,
  ...studentMethods,
  ...adminMethods,
  ...catalogueMethods,
  ...rosterMethods,
  ...moneyMethods,
  ...refundMethods,
  ...reportMethods,
  ...dashboardMethods,
  ...outingMethods,
  ...processorMethods,
  ...kioskMethods,
  ...reconciliationMethods,
  ...syncMethods,
  ...printingMethods,
  ...accountMethods,
  ...setupMethods,
  ...backupMethods,
} satisfies Record<string, MethodSpec>

export type Contract = typeof contract
export type MethodName = keyof Contract
export type Input<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>
export type Output<M extends MethodName> = z.output<Contract[M]['output']>

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

export * from './method'
