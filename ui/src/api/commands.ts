// Typed wrappers for the desktop commands. Argument objects are snake_case,
// exactly as the Rust command functions name their parameters.

import { call, onEvent } from './ipc'
import type {
  AgreementInput, AppStatus, CaseDetail, CaseFilter, CaseIntake, CaseRef,
  ClosingOutcomeKey, DepartmentKey, FollowUpInput, Id, IsoDate, MediatorInput,
  MediatorSpec, Page, CaseRow, Reference, SessionInput, Stats, StatsFilter,
  SyncStatus, Today, UnitGridCell, UnitInput, UnitRow, PartyRecord, KnownParty,
} from './types'

export const SYNC_STATUS_EVENT = 'sync-status'

/** A county CA to trust, and whether plain HTTP on the LAN is allowed. */
export interface HubTransportInput { ca_pem: string | null, allow_http: boolean }
/** A closed vocabulary entry: stable key, Chinese label. */
export interface Named { key: string, label: string }
export interface MadeDocuments { files: string[], skipped: [string, string][], folder: string }
export interface SavedFile { path: string, count: number }
/** A clause completed in the unit's own phrasing, and the whole text with it. */
export interface ClauseOffer { clause: string, value: string }
/** The USB exchange file written: where, how many records, how large. */
export interface SavedBundle { path: string, events: number, bytes: number }
/** An Excel file (base64) and the columns the person re-assigned. */
export interface ImportInput { content: string, mapping: Record<string, string> }
export interface ImportColumn { column: number, letter: string, header: string, field: string | null }
export interface ImportRowError { line: number, column: string, message: string }
export interface ImportPlan {
  sheet: string
  header_line: number
  columns: ImportColumn[]
  rows: { line: number, values: Record<string, string>, errors: ImportRowError[] }[]
  errors: ImportRowError[]
  failed_rows: number
}
export interface ImportReport { added: number, existing: number }

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  setupStandalone: (unit: UnitInput, mediator_name: string, passphrase: string | null) =>
    call<AppStatus>('setup_standalone', { unit, mediator_name, passphrase }),
  setupEnroll: (hub_url: string, code: string, unit: UnitInput, mediator_name: string, passphrase: string | null,
    transport: HubTransportInput) =>
    call<AppStatus>('setup_enroll', { hub_url, code, unit, mediator_name, passphrase, transport }),
  unlock: (passphrase: string) => call<AppStatus>('unlock', { passphrase }),
  signIn: (name: string, pin: string) => call<AppStatus>('sign_in', { name, pin }),
  signOut: () => call<AppStatus>('sign_out'),
  revealNumbers: (case_id: Id) => call<PartyRecord[]>('reveal_numbers', { case_id }),
  changePassphrase: (old: string, next: string) => call<AppStatus>('change_passphrase', { old, new: next }),
  enrollLater: (hub_url: string, code: string, transport: HubTransportInput) =>
    call<AppStatus>('enroll_later', { hub_url, code, transport }),
  setActor: (name: string) => call<AppStatus>('set_actor', { name }),

  reference: () => call<Reference>('reference'),
  listCases: (filter: CaseFilter) => call<Page<CaseRow>>('list_cases', { filter }),
  caseDetail: (case_id: Id) => call<CaseDetail>('case_detail', { case_id }),
  openCase: (intake: CaseIntake) => call<CaseRef>('open_case', { intake }),
  /** Findings of earlier visits containing `typed`: the case's own first. */
  visitWordings: (case_id: Id, typed: string) => call<string[]>('visit_wordings', { case_id, typed }),
  intakeWordings: (field: 'facts' | 'requests', typed: string, names: string[]) =>
    call<ClauseOffer[]>('intake_wordings', { field, typed, names }),
  /** People of this name who were parties before; numbers masked. */
  knownParties: (name: string) => call<KnownParty[]>('known_parties', { name }),
  /** One of them with the numbers in full (needs the right to see them; logged). */
  knownParty: (case_id: Id, idx: number) => call<KnownParty>('known_party', { case_id, idx }),

  gradeCase: (case_id: Id, grade: string, reason: string, on: IsoDate | null) =>
    call<CaseDetail>('grade_case', { case_id, grade, reason, on }),
  recordSession: (case_id: Id, input: SessionInput) =>
    call<CaseDetail>('record_session', { case_id, input }),
  makeAgreement: (case_id: Id, input: AgreementInput) =>
    call<CaseDetail>('make_agreement', { case_id, input }),
  recordPerformance: (case_id: Id, note: string, fulfilled: boolean, on: IsoDate | null) =>
    call<CaseDetail>('record_performance', { case_id, note, fulfilled, on }),
  followUp: (case_id: Id, input: FollowUpInput) => call<CaseDetail>('follow_up', { case_id, input }),
  closeCase: (case_id: Id, outcome: ClosingOutcomeKey, note: string, on: IsoDate | null) =>
    call<CaseDetail>('close_case', { case_id, outcome, note, on }),
  escalate: (case_id: Id, to_unit: string, reason: string, on: IsoDate | null) =>
    call<CaseDetail>('escalate', { case_id, to_unit, reason, on }),
  acceptEscalation: (case_id: Id, note: string, on: IsoDate | null) =>
    call<CaseDetail>('accept_escalation', { case_id, note, on }),
  returnEscalation: (case_id: Id, reason: string, on: IsoDate | null) =>
    call<CaseDetail>('return_escalation', { case_id, reason, on }),
  requestSupport: (case_id: Id, to_unit: string, matter: string, on: IsoDate | null) =>
    call<CaseDetail>('request_support', { case_id, to_unit, matter, on }),
  answerSupport: (case_id: Id, reply: string, on: IsoDate | null) =>
    call<CaseDetail>('answer_support', { case_id, reply, on }),
  refer: (case_id: Id, department: DepartmentKey, receiver: string, matter: string,
    deadline: IsoDate, on: IsoDate | null) =>
    call<CaseDetail>('refer', { case_id, department, receiver, matter, deadline, on }),
  answerReferral: (case_id: Id, outcome: string, on: IsoDate | null) =>
    call<CaseDetail>('answer_referral', { case_id, outcome, on }),

  /** 今日工作; with `mediator`, only the visits of the cases they handle. */
  today: (on: IsoDate | null, mediator: string | null = null) => call<Today>('today', { on, mediator }),
  units: () => call<UnitRow[]>('units'),
  addUnit: (unit: UnitInput) => call<UnitRow[]>('add_unit', { unit }),
  mediators: () => call<MediatorSpec[]>('mediators'),
  addMediator: (input: MediatorInput) => call<MediatorSpec[]>('add_mediator', { input }),
  setMediatorActive: (id: Id, active: boolean) =>
    call<MediatorSpec[]>('set_mediator_active', { id, active }),
  stats: (filter: StatsFilter) => call<Stats>('stats', { filter }),
  unitGrid: () => call<UnitGridCell[]>('unit_grid'),

  documentKinds: () => call<Named[]>('document_kinds'),
  makeDocuments: (case_id: Id, kind: string, format: 'pdf' | 'docx', full_numbers: boolean) =>
    call<MadeDocuments>('make_documents', { case_id, kind, format, full_numbers }),
  exportLedger: (filter: CaseFilter, full_numbers: boolean) =>
    call<SavedFile>('export_ledger', { filter, full_numbers }),
  monthlyReport: (month: string, unit: string | null, subtree: boolean) =>
    call<SavedFile>('monthly_report', { month, unit, subtree }),
  importFields: () => call<Named[]>('import_fields'),
  importPreview: (input: ImportInput) => call<ImportPlan>('import_preview', { input }),
  importApply: (input: ImportInput) => call<ImportReport>('import_apply', { input }),
  openPath: (path: string) => call<void>('open_path', { path }),

  syncStatus: () => call<SyncStatus>('sync_status'),
  syncNow: () => call<SyncStatus>('sync_now'),
  exportBundle: () => call<SavedBundle>('export_bundle'),
  onSyncStatus: (handler: (s: SyncStatus) => void) => onEvent<SyncStatus>(SYNC_STATUS_EVENT, handler),
}
