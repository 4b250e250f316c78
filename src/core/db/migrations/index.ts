import { migration0001 } from './0001_roster'
import { migration0002 } from './0002_staff'
import { migration0003 } from './0003_catalogue'
import { migration0004 } from './0004_ledger'
import { migration0005 } from './0005_audit_sync'
import { migration0006 } from './0006_catalogue_work'
import { migration0007 } from './0007_refund_work'
import { migration0008 } from './0008_outing_plan'
import { migration0009 } from './0009_kiosk_charges'
import { migration0010 } from './0010_sync_resolutions'
import { migration0011 } from './0011_receipt_series'
import { migration0012 } from './0012_roster_alerts'
import { migration0013 } from './0013_credit_tender'
import { migration0014 } from './0014_staff_accounts'
import { migration0015 } from './0015_reminder_periods'
import type { Migration } from './types'

/** In order. A new migration is appended here with the next number; landed ones never change. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015]

export type { Migration }
