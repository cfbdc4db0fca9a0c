// One case as the case page shows it (store/detail.rs) and the inputs of the
// actions on it (domain/intake.rs, store/actions.rs). Re-exported by types.ts.

import type {
  AgreementFormKey, CaseRow, ClosingOutcomeKey, DepartmentKey, EscalationStatus, Fen, GenderKey, Id,
  IsoDate, MediationTypeKey, SatisfactionKey, SessionResultKey, SideKey, DisputeTypeKey, SourceKey,
} from './types'

// ---- one case (store/detail.rs) -----------------------------------------

export interface Term {
  content: string
  due: IsoDate | null
}

export interface HistoryEntry {
  event_id: Id
  /** RFC 3339, UTC. */
  at: string
  hlc: string
  device: Id
  seq: number
  unit: string
  actor: string | null
  kind: string
  /** Chinese description of the event. */
  text: string
  applied: boolean
  /** Why the event did not take effect, or a note on how it did. */
  note: string | null
}

export interface Agreement {
  id: Id
  form: AgreementFormKey
  on: IsoDate
  terms: Term[]
  amount_fen: Fen
}

// The case's records, as the ledger's typed read models serialise them
// (store/detail.rs `PartyRecord`, `GradingRecord`…).
export interface PartyRecord {
  idx: number
  side: SideKey
  name: string
  gender: GenderKey | null
  ethnicity: string | null
  birth_date: IsoDate | null
  age: number | null
  occupation: string | null
  phone: string | null
  address: string | null
  id_number: string | null
}

export interface GradingRecord {
  grade: string
  grade_name: string | null
  reason: string
  on_date: IsoDate
  unit: string
  actor: string | null
}

export interface EscalationRecord {
  id: Id
  from_unit: string
  to_unit: string
  reason: string
  requested_on: IsoDate
  status: EscalationStatus
  answered_on: IsoDate | null
  answer: string | null
}

export interface SupportRecord {
  id: Id
  from_unit: string
  to_unit: string
  matter: string
  requested_on: IsoDate
  reply: string | null
  answered_on: IsoDate | null
}

export interface ReferralRecord {
  id: Id
  department: DepartmentKey
  receiver: string
  matter: string
  deadline: IsoDate
  referred_on: IsoDate
  outcome: string | null
  answered_on: IsoDate | null
}

export interface SessionRecord {
  id: Id
  on_date: IsoDate
  place: string
  mediators: string[]
  attendees: string
  summary: string
  result: SessionResultKey
  unit: string
}

export interface PerformanceRecord {
  on_date: IsoDate
  note: string
  fulfilled: boolean
}

export interface FollowUpRecord {
  id: Id
  on_date: IsoDate
  visitor: string
  performance: string
  satisfaction: SatisfactionKey | null
  lawsuit: boolean
  new_risk: string
  measures: string
  unit: string
}

/** CaseRow flattened (its `parties` is the names), plus everything else. */
export interface CaseDetail extends CaseRow {
  origin_unit: string
  mediation_type: MediationTypeKey
  facts: string
  requests: string
  amount_fen: Fen
  people_involved: number
  petition_risk: boolean
  criminal_risk: boolean
  key_persons: string
  mediator: string | null
  graded_on: IsoDate | null
  last_visit_on: IsoDate | null
  sessions_held: number
  failed_sessions: number
  suggest_escalation: boolean
  mediation_deadline: IsoDate
  closing_outcome: ClosingOutcomeKey | null
  party_records: PartyRecord[]
  gradings: GradingRecord[]
  escalations: EscalationRecord[]
  supports: SupportRecord[]
  referrals: ReferralRecord[]
  sessions: SessionRecord[]
  agreement: Agreement | null
  performances: PerformanceRecord[]
  followups: FollowUpRecord[]
  history: HistoryEntry[]
}

// ---- people of earlier cases (store/people.rs) ---------------------------

/** A party of an earlier case, as last registered; numbers masked in a list. */
export interface KnownParty extends Omit<PartyInput, 'side'> {
  case_id: Id
  idx: number
  number: string
  received_on: IsoDate
}

// ---- inputs (domain/intake.rs, store/actions.rs) ------------------------

export interface PartyInput {
  side: SideKey | null
  name: string
  gender: GenderKey | null
  ethnicity: string | null
  birth_date: IsoDate | null
  age: number | null
  occupation: string | null
  phone: string | null
  address: string | null
  id_number: string | null
}

export interface CaseIntake {
  received_on: IsoDate | null
  dispute_type: DisputeTypeKey | ''
  source: SourceKey | ''
  mediation_type: MediationTypeKey | null
  facts: string
  requests: string | null
  /** Yuan as written, e.g. "3000.50". */
  amount: string | null
  people_involved: number | null
  petition_risk: boolean
  criminal_risk: boolean
  key_persons: string | null
  /** Mediator id (or unique name). */
  mediator: string | null
  parties: PartyInput[]
}

export interface CaseRef {
  id: Id
  number: string
}

export interface SessionInput {
  on: IsoDate | null
  place: string
  mediators: string[]
  attendees: string
  summary: string
  result: SessionResultKey
}

export interface AgreementInput {
  on: IsoDate | null
  form: AgreementFormKey
  terms: Term[]
  /** In fen. */
  amount: Fen
}

export interface FollowUpInput {
  on: IsoDate | null
  visitor: string
  performance: string
  satisfaction: SatisfactionKey | null
  lawsuit: boolean
  new_risk: string
  measures: string
}
