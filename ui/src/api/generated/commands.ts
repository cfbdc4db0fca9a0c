// Generated from the desktop app's command functions (src-tauri/src/commands,
// as lib.rs registers them): do not edit. Regenerate with
//   TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-desktop --test typescript

import { call } from '../ipc'
import type { AppStatus, Choice, FileUpload, HubTransportInput, ImportInput, ImportPlan, ImportReport, MadeDocuments, Reference, SavedBundle, SavedFile, StatsInput, SyncStatus, UnitInput } from './app'
import type { AgreementInput, AttachmentKind, AttachmentRecord, CaseDetail, CaseFilter, CaseIntake, CaseRef, CaseRow, ClauseOffer, ClosingOutcome, Department, FollowUpInput, KnownParty, MediatorInput, MediatorSpec, Page, PartyRecord, SessionInput, Stats, Today, UnitCell, UnitRow } from './ledger'

/** Every command: what it takes (its arguments, as the window names them) and what it gives. */
export interface Commands {
  app_status: { args: {}, result: AppStatus }
  setup_standalone: { args: { unit: UnitInput, mediator_name: string, passphrase: string | null }, result: AppStatus }
  setup_enroll: { args: { hub_url: string, code: string, unit: UnitInput, mediator_name: string, passphrase: string | null, transport: HubTransportInput | null }, result: AppStatus }
  enroll_later: { args: { hub_url: string, code: string, transport: HubTransportInput | null }, result: AppStatus }
  set_actor: { args: { name: string }, result: AppStatus }
  unlock: { args: { passphrase: string }, result: AppStatus }
  sign_in: { args: { name: string, pin: string }, result: AppStatus }
  sign_out: { args: {}, result: AppStatus }
  reveal_numbers: { args: { case_id: string }, result: PartyRecord[] }
  change_passphrase: { args: { old: string, new: string }, result: AppStatus }
  reference: { args: {}, result: Reference }
  list_cases: { args: { filter: CaseFilter }, result: Page<CaseRow> }
  case_detail: { args: { case_id: string }, result: CaseDetail }
  visit_wordings: { args: { case_id: string, typed: string }, result: string[] }
  intake_wordings: { args: { field: string, typed: string, names: string[] }, result: ClauseOffer[] }
  open_case: { args: { intake: CaseIntake }, result: CaseRef }
  known_parties: { args: { name: string }, result: KnownParty[] }
  known_party: { args: { case_id: string, idx: number }, result: KnownParty }
  grade_case: { args: { case_id: string, grade: string, reason: string, on: string | null }, result: CaseDetail }
  record_session: { args: { case_id: string, input: SessionInput }, result: CaseDetail }
  make_agreement: { args: { case_id: string, input: AgreementInput }, result: CaseDetail }
  record_performance: { args: { case_id: string, note: string, fulfilled: boolean, on: string | null }, result: CaseDetail }
  follow_up: { args: { case_id: string, input: FollowUpInput }, result: CaseDetail }
  close_case: { args: { case_id: string, outcome: ClosingOutcome, note: string, on: string | null }, result: CaseDetail }
  escalate: { args: { case_id: string, to_unit: string, reason: string, on: string | null }, result: CaseDetail }
  accept_escalation: { args: { case_id: string, note: string, on: string | null }, result: CaseDetail }
  return_escalation: { args: { case_id: string, reason: string, on: string | null }, result: CaseDetail }
  request_support: { args: { case_id: string, to_unit: string, matter: string, on: string | null }, result: CaseDetail }
  answer_support: { args: { case_id: string, reply: string, on: string | null }, result: CaseDetail }
  refer: { args: { case_id: string, department: Department, receiver: string, matter: string, deadline: string, on: string | null }, result: CaseDetail }
  answer_referral: { args: { case_id: string, outcome: string, on: string | null }, result: CaseDetail }
  today: { args: { on: string | null, mediator: string | null }, result: Today }
  units: { args: {}, result: UnitRow[] }
  add_unit: { args: { unit: UnitInput }, result: UnitRow[] }
  mediators: { args: {}, result: MediatorSpec[] }
  add_mediator: { args: { input: MediatorInput }, result: MediatorSpec[] }
  set_mediator_active: { args: { id: string, active: boolean }, result: MediatorSpec[] }
  stats: { args: { filter: StatsInput }, result: Stats }
  unit_grid: { args: {}, result: UnitCell[] }
  sync_status: { args: {}, result: SyncStatus }
  sync_now: { args: {}, result: SyncStatus }
  export_bundle: { args: {}, result: SavedBundle }
  document_kinds: { args: {}, result: Choice<string>[] }
  make_documents: { args: { case_id: string, kind: string, format: string, full_numbers: boolean }, result: MadeDocuments }
  export_ledger: { args: { filter: CaseFilter, full_numbers: boolean }, result: SavedFile }
  monthly_report: { args: { month: string, unit: string | null, subtree: boolean }, result: SavedFile }
  import_fields: { args: {}, result: Choice<string>[] }
  import_preview: { args: { input: ImportInput }, result: ImportPlan }
  import_apply: { args: { input: ImportInput }, result: ImportReport }
  open_path: { args: { path: string }, result: void }
  attach_files: { args: { case_id: string, files: FileUpload[], kind: AttachmentKind, caption: string }, result: AttachmentRecord[] }
  attachments: { args: { case_id: string }, result: AttachmentRecord[] }
  attachment_data: { args: { attachment_id: string }, result: string }
  remove_attachment: { args: { attachment_id: string, reason: string }, result: AttachmentRecord[] }
  export_attachment: { args: { attachment_id: string }, result: SavedFile }
}

/** The commands as functions, their parameters in the Rust order. */
export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  setupStandalone: (unit: UnitInput, mediator_name: string, passphrase: string | null = null) => call<AppStatus>('setup_standalone', { unit, mediator_name, passphrase }),
  setupEnroll: (hub_url: string, code: string, unit: UnitInput, mediator_name: string, passphrase: string | null = null, transport: HubTransportInput | null = null) => call<AppStatus>('setup_enroll', { hub_url, code, unit, mediator_name, passphrase, transport }),
  enrollLater: (hub_url: string, code: string, transport: HubTransportInput | null = null) => call<AppStatus>('enroll_later', { hub_url, code, transport }),
  setActor: (name: string) => call<AppStatus>('set_actor', { name }),
  /** Unlocks an encrypted ledger. */
  unlock: (passphrase: string) => call<AppStatus>('unlock', { passphrase }),
  /** Signs a user in with their PIN (a ledger with users). */
  signIn: (name: string, pin: string) => call<AppStatus>('sign_in', { name, pin }),
  signOut: () => call<AppStatus>('sign_out'),
  /** The parties with their numbers in full, for a user allowed to see them; written to the access log. */
  revealNumbers: (case_id: string) => call<PartyRecord[]>('reveal_numbers', { case_id }),
  /** Changes the passphrase of an encrypted ledger, or encrypts a plain one (when `old` is empty). */
  changePassphrase: (old: string, new_: string) => call<AppStatus>('change_passphrase', { old, new: new_ }),
  reference: () => call<Reference>('reference'),
  listCases: (filter: CaseFilter) => call<Page<CaseRow>>('list_cases', { filter }),
  caseDetail: (case_id: string) => call<CaseDetail>('case_detail', { case_id }),
  /** Findings of earlier visits containing `typed`, for the visit form to offer: this case's own first, then the ledger's most written. */
  visitWordings: (case_id: string, typed: string) => call<string[]>('visit_wordings', { case_id, typed }),
  /** Completions of the clause being typed in 纠纷简要情况 (`field` facts) or 申请事项 (requests), in the unit's own phrasing, with the parties `names` the form holds so far. */
  intakeWordings: (field: string, typed: string, names: string[]) => call<ClauseOffer[]>('intake_wordings', { field, typed, names }),
  openCase: (intake: CaseIntake) => call<CaseRef>('open_case', { intake }),
  /** The people of this name who were parties here, numbers masked. */
  knownParties: (name: string) => call<KnownParty[]>('known_parties', { name }),
  /** One of them in full, numbers included, to fill the form with: allowed to whoever may see a case's full numbers, and logged as that is. */
  knownParty: (case_id: string, idx: number) => call<KnownParty>('known_party', { case_id, idx }),
  gradeCase: (case_id: string, grade: string, reason: string, on: string | null = null) => call<CaseDetail>('grade_case', { case_id, grade, reason, on }),
  recordSession: (case_id: string, input: SessionInput) => call<CaseDetail>('record_session', { case_id, input }),
  makeAgreement: (case_id: string, input: AgreementInput) => call<CaseDetail>('make_agreement', { case_id, input }),
  recordPerformance: (case_id: string, note: string, fulfilled: boolean, on: string | null = null) => call<CaseDetail>('record_performance', { case_id, note, fulfilled, on }),
  followUp: (case_id: string, input: FollowUpInput) => call<CaseDetail>('follow_up', { case_id, input }),
  closeCase: (case_id: string, outcome: ClosingOutcome, note: string, on: string | null = null) => call<CaseDetail>('close_case', { case_id, outcome, note, on }),
  escalate: (case_id: string, to_unit: string, reason: string, on: string | null = null) => call<CaseDetail>('escalate', { case_id, to_unit, reason, on }),
  acceptEscalation: (case_id: string, note: string, on: string | null = null) => call<CaseDetail>('accept_escalation', { case_id, note, on }),
  returnEscalation: (case_id: string, reason: string, on: string | null = null) => call<CaseDetail>('return_escalation', { case_id, reason, on }),
  requestSupport: (case_id: string, to_unit: string, matter: string, on: string | null = null) => call<CaseDetail>('request_support', { case_id, to_unit, matter, on }),
  answerSupport: (case_id: string, reply: string, on: string | null = null) => call<CaseDetail>('answer_support', { case_id, reply, on }),
  refer: (case_id: string, department: Department, receiver: string, matter: string, deadline: string, on: string | null = null) => call<CaseDetail>('refer', { case_id, department, receiver, matter, deadline, on }),
  answerReferral: (case_id: string, outcome: string, on: string | null = null) => call<CaseDetail>('answer_referral', { case_id, outcome, on }),
  /** 今日工作 on `on` (today by default); with `mediator`, only the visits of the cases that mediator handles. */
  today: (on: string | null = null, mediator: string | null = null) => call<Today>('today', { on, mediator }),
  units: () => call<UnitRow[]>('units'),
  addUnit: (unit: UnitInput) => call<UnitRow[]>('add_unit', { unit }),
  mediators: () => call<MediatorSpec[]>('mediators'),
  addMediator: (input: MediatorInput) => call<MediatorSpec[]>('add_mediator', { input }),
  setMediatorActive: (id: string, active: boolean) => call<MediatorSpec[]>('set_mediator_active', { id, active }),
  stats: (filter: StatsInput) => call<Stats>('stats', { filter }),
  unitGrid: () => call<UnitCell[]>('unit_grid'),
  syncStatus: () => call<SyncStatus>('sync_status'),
  syncNow: () => call<SyncStatus>('sync_now'),
  /** What this laptop wrote and the hub has not acknowledged, sealed to the hub, in a file to carry on a USB stick to a computer that has network (`tiaojie sync import-bundle` there): for a village without a link. */
  exportBundle: () => call<SavedBundle>('export_bundle'),
  documentKinds: () => call<Choice<string>[]>('document_kinds'),
  /** Makes documents of a case: one kind, or every kind the case has data for (`kind` = "all"), as PDF or DOCX. */
  makeDocuments: (case_id: string, kind: string, format: string, full_numbers: boolean) => call<MadeDocuments>('make_documents', { case_id, kind, format, full_numbers }),
  /** The ledger as filtered in the ledger screen, to an Excel file. */
  exportLedger: (filter: CaseFilter, full_numbers: boolean) => call<SavedFile>('export_ledger', { filter, full_numbers }),
  monthlyReport: (month: string, unit: string | null, subtree: boolean) => call<SavedFile>('monthly_report', { month, unit, subtree }),
  importFields: () => call<Choice<string>[]>('import_fields'),
  /** Reads and checks an Excel ledger without writing anything: the column mapping, a preview, and every failed row with why. */
  importPreview: (input: ImportInput) => call<ImportPlan>('import_preview', { input }),
  /** Checks the file again and, if every row passes, brings all of it in. */
  importApply: (input: ImportInput) => call<ImportReport>('import_apply', { input }),
  /** Opens a made file or its folder with the system's program (to view or print it). */
  openPath: (path: string) => call<void>('open_path', { path }),
  /** Adds the files to the case (all or none), returns the case's attachments. */
  attachFiles: (case_id: string, files: FileUpload[], kind: AttachmentKind, caption: string) => call<AttachmentRecord[]>('attach_files', { case_id, files, kind, caption }),
  /** The case's attachments, removed ones marked. */
  attachments: (case_id: string) => call<AttachmentRecord[]>('attachments', { case_id }),
  /** One attachment as a data URL for the viewer (checked against its hash). */
  attachmentData: (attachment_id: string) => call<string>('attachment_data', { attachment_id }),
  /** Takes an attachment out of the case file, with why; returns the list. */
  removeAttachment: (attachment_id: string, reason: string) => call<AttachmentRecord[]>('remove_attachment', { attachment_id, reason }),
  /** Saves an attachment to the 调解台账 folder (附件/<case number>/) to open or print it: the export right, logged as `export_attachment`. */
  exportAttachment: (attachment_id: string) => call<SavedFile>('export_attachment', { attachment_id }),
}
