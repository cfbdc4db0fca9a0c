// The UI's names for what the shell sends and takes. Every type here is
// generated from the Rust code (generated/ledger.ts from the ledger's types,
// generated/app.ts from the app's, generated/commands.ts from the command
// functions); this file only gives some of them the names the screens use.

import type {
  AgreementForm, CaseStatus, ClosingOutcome, Department, DisputeType, Gender, MediationType, MediatorRole,
  Satisfaction, SessionResult, Side, Source,
} from './generated/ledger'
import type { Choice, CommandError, StatsInput } from './generated/app'

/** "YYYY-MM-DD". */
export type IsoDate = string
/** A UUID as text. */
export type Id = string

// The vocabularies, by their stored keys.
export type DisputeTypeKey = DisputeType
export type SourceKey = Source
export type MediationTypeKey = MediationType
export type GenderKey = Gender
export type SideKey = Side
export type MediatorRoleKey = MediatorRole
export type DepartmentKey = Department
export type SessionResultKey = SessionResult
export type AgreementFormKey = AgreementForm
export type SatisfactionKey = Satisfaction
export type ClosingOutcomeKey = ClosingOutcome
export type CaseStatusKey = CaseStatus
/** A vocabulary's entry: its stored key and the Chinese word. */
export type Label<K extends string = string> = Choice<K>

export type UnitLevel = 1 | 2 | 3
/** What the statistics screen asks for. */
export type StatsFilter = StatsInput
/** What every failed command rejects with. */
export type IpcErrorPayload = CommandError

export type {
  AttachmentKind, AttachmentRecord, CaseFilter, CaseRow, Count, DeviceInfo, DueCount, DueState, DueVisit, EscalationItem, EscalationStatus, Fen,
  Grade, MediatorInput, MediatorSpec, Page, ReferralItem, Scheme, Scope, SortKey, Stats, Today, UnitCell,
  UnitCell as UnitGridCell, UnitRow, UnitSpec,
} from './generated/ledger'
export type { AppStatus, Progress, Reference, SyncStatus, UnitInput } from './generated/app'
export type * from './caseTypes'
