// Generated from the Rust types of the desktop app, tiaojie-docs and
// tiaojie-sync (src-tauri/src/typescript.rs): do not edit. Regenerate with
//   TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-desktop --test typescript

import type { AgreementForm, AttachmentKind, CaseStatus, ClosingOutcome, Department, DeviceInfo, DisputeType, Gender, ImportOutcome, MediationType, MediatorRole, Satisfaction, Scheme, Session, SessionResult, Side, Source, UnitRow } from './ledger'

/**
 * What every failed command rejects with: a stable code, the Chinese
 * message, and the form field it names, if one.
 */
export type CommandError = { code: string, message: string, field: string | null, };

/**
 * An entry of a closed list as the UI offers it: its stable key (a
 * vocabulary's stored key, a document kind, an import field) and the
 * Chinese word shown.
 */
export type Choice<K> = { key: K, label: string, };

/**
 * Every vocabulary of the forms with its words, and the unit's scheme.
 */
export type Reference = { dispute_types: Array<Choice<DisputeType>>, sources: Array<Choice<Source>>, mediation_types: Array<Choice<MediationType>>, genders: Array<Choice<Gender>>, sides: Array<Choice<Side>>, roles: Array<Choice<MediatorRole>>, departments: Array<Choice<Department>>, session_results: Array<Choice<SessionResult>>, agreement_forms: Array<Choice<AgreementForm>>, satisfactions: Array<Choice<Satisfaction>>, outcomes: Array<Choice<ClosingOutcome>>, statuses: Array<Choice<CaseStatus>>, attachment_kinds: Array<Choice<AttachmentKind>>, scheme: Scheme, };

/**
 * A unit as entered; the short name defaults to the name without its
 * suffix.
 */
export type UnitInput = { code: string, name: string, short_name?: string | null, level: number, parent?: string | null, 
/**
 * The formal name on its seal; blank: made from the name.
 */
committee?: string | null, };

/**
 * How to reach the hub: a county CA's certificate (PEM text) to trust, and
 * whether plain HTTP on the local network is allowed.
 */
export type HubTransportInput = { ca_pem: string | null, allow_http: boolean, };

export type AppStatus = { initialized: boolean, device: DeviceInfo | null, unit: UnitRow | null, actor: string | null, hub_url: string | null, data_path: string, 
/**
 * The ledger file is encrypted.
 */
encrypted: boolean, 
/**
 * Encrypted and waiting for the passphrase.
 */
locked: boolean, 
/**
 * The ledger has users and none is signed in.
 */
needs_sign_in: boolean, user: Session | null, 
/**
 * The names to choose from on the sign-in screen.
 */
users: Array<string>, };

/**
 * The statistics screen's choice: a unit (and below it), a range of
 * intake dates.
 */
export type StatsInput = { unit?: string | null, subtree: boolean, from?: string | null, to?: string | null, };

/**
 * The documents made, and those left out with why.
 */
export type MadeDocuments = { files: Array<string>, 
/**
 * Documents not made, with why (the case has no agreement yet, ...).
 */
skipped: Array<[string, string]>, folder: string, };

/**
 * A file written, and how many cases it holds.
 */
export type SavedFile = { path: string, count: number, };

/**
 * The USB exchange file written: where, how many records, how large.
 */
export type SavedBundle = { path: string, events: number, bytes: number, };

export type ImportInput = { 
/**
 * The file's bytes, base64.
 */
content: string, 
/**
 * Header → field key, or "" to leave the column out.
 */
mapping: { [key in string]: string }, };

/**
 * What a column of an imported ledger can hold.
 */
export type Field = "number" | "received_on" | "applicants" | "respondents" | "genders" | "id_numbers" | "phones" | "addresses" | "dispute_type" | "source" | "mediation_type" | "facts" | "requests" | "amount" | "people_involved" | "petition_risk" | "criminal_risk" | "key_persons" | "grade" | "mediator" | "status" | "agreement_form" | "agreement_on" | "agreement_amount" | "closed_on" | "closing_outcome";

/**
 * How one column of the sheet is read.
 */
export type ColumnMap = { 
/**
 * 0-based column index, and its letter as Excel shows it.
 */
column: number, letter: string, header: string, field: Field | null, };

export type RowError = { 
/**
 * The row number as Excel shows it.
 */
line: number, 
/**
 * The column (its header) or field at fault.
 */
column: string, message: string, };

export type PlannedRow = { line: number, 
/**
 * The values read, by field, as the preview shows them.
 */
values: { [key in Field]?: string }, errors: Array<RowError>, };

export type ImportPlan = { sheet: string, 
/**
 * The header's row number as Excel shows it.
 */
header_line: number, columns: Array<ColumnMap>, rows: Array<PlannedRow>, 
/**
 * Every failed row's reasons, in order.
 */
errors: Array<RowError>, failed_rows: number, };

export type ImportReport = { added: number, existing: number, outcomes: Array<[number, ImportOutcome]>, };

/**
 * A file the person chose or dropped: its name and its bytes, base64.
 */
export type FileUpload = { name: string, content: string, };

export type Progress = { events_up: number, bytes_up: number, 
/**
 * This device's events the hub has not acknowledged yet.
 */
pending_up: number, events_down: number, bytes_down: number, };

export type SyncStatus = { enrolled: boolean, hub_url: string | null, 
/**
 * The last attempt reached the hub.
 */
online: boolean, syncing: boolean, pending: number, last_sync: string | null, last_error: string | null, progress: Progress | null, clock_warning: string | null, recovery_note: string | null, 
/**
 * While a link that keeps dropping still moves data: what has got
 * through ("网络不稳定，已上传 120/500 条，正在继续"), shown instead of
 * an error.
 */
unstable: string | null, };
