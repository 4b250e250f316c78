export { SyncEngine, SYNC_TOKEN, type Enrolment, type SyncEngineOptions, type SyncProgress, type SyncRunResult } from './engine'
export { CentralClient, CentralError } from './http'
export { applyPage, ReceiptCollisionError } from './apply'
