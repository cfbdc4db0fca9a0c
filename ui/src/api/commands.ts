// The window's commands: generated from the Rust command functions
// (generated/commands.ts, one typed function per command, its parameters in
// the Rust order), with the one event the shell sends.

import { onEvent } from './ipc'
import { api as commands } from './generated/commands'
import type { SyncStatus } from './generated/app'

export type { Commands } from './generated/commands'
export type {
  ClauseOffer, ImportOutcome,
} from './generated/ledger'
export type {
  ColumnMap, FileUpload, HubTransportInput, ImportInput, ImportPlan, ImportReport, MadeDocuments, PlannedRow, RowError,
  SavedBundle, SavedFile,
} from './generated/app'

export const SYNC_STATUS_EVENT = 'sync-status'

export const api = {
  ...commands,
  onSyncStatus: (handler: (s: SyncStatus) => void) => onEvent<SyncStatus>(SYNC_STATUS_EVENT, handler),
}
