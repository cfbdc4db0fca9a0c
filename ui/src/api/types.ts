// The shapes that cross the Tauri IPC boundary, mirroring the Rust types of
// crates/tiaojie-ledger (store/*.rs, domain/*.rs, event.rs) and
// crates/tiaojie-sync (engine.rs). Dates are "YYYY-MM-DD"; money in fen is
// an integer number of fen; labelled enums travel as their English keys.

/** "YYYY-MM-DD". */
import type {
  AgreementForm, ClosingOutcome, Department, Gender, MediationType, Satisfaction, SessionResult, Side,
} from './generated/ledger'

export type IsoDate = string
/** A UUID as text. */
export type Id = string
/** An integer amount of fen (0.01 yuan). */
export type Fen = number

// ---- labels (domain/labels.rs) ------------------------------------------

export type DisputeTypeKey =
  | 'marriage_family' | 'neighbour' | 'house_site' | 'contract' | 'business'
  | 'damages' | 'forest_land' | 'demolition' | 'pollution' | 'labour'
  | 'consumer' | 'medical' | 'traffic_accident' | 'property' | 'tourism'
  | 'intellectual_property' | 'internet' | 'public_order' | 'other'
export type SourceKey =
  | 'application' | 'screening' | 'call_110' | 'police' | 'court' | 'government' | 'petition'
export type MediationTypeKey = MediationType
export type GenderKey = Gender
export type SideKey = Side
export type MediatorRoleKey =
  | 'resident_cadre' | 'auxiliary_police' | 'police_officer' | 'legal_adviser' | 'lawyer'
  | 'judge' | 'prosecutor' | 'village_cadre' | 'local_worthy' | 'other'
export type DepartmentKey = Department
export type SessionResultKey = SessionResult
export type AgreementFormKey = AgreementForm
export type SatisfactionKey = Satisfaction
export type ClosingOutcomeKey = ClosingOutcome
export type CaseStatusKey = 'registered' | 'mediating' | 'agreed' | 'failed' | 'closed'
export type { EscalationStatus } from './generated/ledger'

export interface Label<K extends string = string> {
  key: K
  label: string
}

// ---- scheme (domain/scheme.rs) ------------------------------------------

export interface Grade {
  key: string
  name: string
  cadence_days: number
  rank: number
  /** "#rrggbb" */
  color: string
}

export interface Scheme {
  grades: Grade[]
}

export type { DueState } from './generated/ledger'

export interface Reference {
  dispute_types: Label<DisputeTypeKey>[]
  sources: Label<SourceKey>[]
  mediation_types: Label<MediationTypeKey>[]
  genders: Label<GenderKey>[]
  sides: Label<SideKey>[]
  roles: Label<MediatorRoleKey>[]
  departments: Label<DepartmentKey>[]
  session_results: Label<SessionResultKey>[]
  agreement_forms: Label<AgreementFormKey>[]
  satisfactions: Label<SatisfactionKey>[]
  outcomes: Label<ClosingOutcomeKey>[]
  statuses: Label<CaseStatusKey>[]
  scheme: Scheme
}

// ---- units and mediators (domain/unit.rs, store/queries.rs) -------------

export type UnitLevel = 1 | 2 | 3

import type { UnitRow } from './generated/ledger'
export type { UnitRow, UnitSpec } from './generated/ledger'

/** A unit as entered; the short name defaults to the name without its suffix. */
export interface UnitInput {
  code: string
  name: string
  short_name?: string | null
  level: number
  parent?: string | null
  /** The formal name on its seal; blank: made from the name. */
  committee?: string | null
}

export interface MediatorSpec {
  id: Id
  name: string
  phone: string | null
  unit: string
  role: MediatorRoleKey
  specialties: string[]
  active: boolean
}

export interface MediatorInput {
  name: string
  phone: string | null
  /** Defaults to this device's unit. */
  unit: string | null
  role: MediatorRoleKey
  specialties: string[]
}

export interface UnitGridCell {
  code: string
  name: string
  level: number
  parent: string | null
  open_cases: number
  worst_grade: string | null
  worst_grade_name: string | null
  worst_color: string | null
}

// ---- app status ----------------------------------------------------------

export interface DeviceInfo {
  device_id: Id
  unit_code: string
  lane: number
  next_seq: number
}

export interface AppStatus {
  initialized: boolean
  device: DeviceInfo | null
  unit: UnitRow | null
  actor: string | null
  hub_url: string | null
  data_path: string
  /** The ledger file is encrypted. */
  encrypted: boolean
  /** Encrypted and waiting for the passphrase. */
  locked: boolean
  /** The ledger has users and none is signed in. */
  needs_sign_in: boolean
  user: { name: string, role: string } | null
  users: string[]
}

// ---- the ledger list (store/queries.rs) ---------------------------------

export type SortKey = 'received' | 'number' | 'grade' | 'status'

export interface Scope {
  unit: string
  /** Include every unit below `unit`. */
  subtree: boolean
}

export interface CaseFilter {
  grades?: string[]
  statuses?: CaseStatusKey[]
  dispute_types?: DisputeTypeKey[]
  level?: number | null
  scope?: Scope | null
  received_from?: IsoDate | null
  received_to?: IsoDate | null
  text?: string | null
  sort?: SortKey
  ascending?: boolean
  offset?: number
  /** 0 means the default of 50. */
  limit?: number
}

/** One row of the ledger table; generated from the Rust type (store/queries.rs). */
export type { CaseRow } from './generated/ledger'

export type { DueCount, DueVisit, EscalationItem, Page, ReferralItem, Today } from './generated/ledger'

export type * from './caseTypes'

// ---- statistics (store/stats.rs) ----------------------------------------

export interface Count {
  key: string
  label: string
  count: number
}

export interface Stats {
  total: number
  open: number
  closed: number
  by_grade: Count[]
  by_type: Count[]
  by_source: Count[]
  by_status: Count[]
  by_level: Count[]
  /** Keys are "YYYY-MM". */
  by_month: Count[]
  agreements: number
  agreement_amount_fen: Fen
  resolved: number
  satisfaction: Count[]
  petition_risk: number
  criminal_risk: number
  criminal_prevented: number
  petitions_prevented: number
  screenings: number
  nil_reports: number
}

export interface StatsFilter {
  unit?: string | null
  subtree?: boolean
  from?: IsoDate | null
  to?: IsoDate | null
}

// ---- sync (crates/tiaojie-sync/src/engine.rs) ---------------------------

export interface Progress {
  events_up: number
  bytes_up: number
  /** This device's events the hub has not acknowledged yet. */
  pending_up: number
  events_down: number
  bytes_down: number
}

export interface SyncStatus {
  enrolled: boolean
  hub_url: string | null
  online: boolean
  syncing: boolean
  pending: number
  /** RFC 3339. */
  last_sync: string | null
  /** Chinese. */
  last_error: string | null
  progress: Progress | null
  clock_warning: string | null
  recovery_note: string | null
  /** While a dropping link still moves data: what got through, shown instead of an error. */
  unstable: string | null
}

// ---- errors ---------------------------------------------------------------

/** What every failed command rejects with. */
export interface IpcErrorPayload {
  code: string
  message: string
  field?: string | null
}
