// One case as the case page shows it (store/detail.rs) and the inputs of the
// actions on it (domain/intake.rs, store/actions.rs). Re-exported by types.ts.

import type { GenderKey, IsoDate, MediationTypeKey, SideKey, DisputeTypeKey, SourceKey } from './types'

// ---- one case (store/detail.rs) -----------------------------------------
// Generated from the ledger's Rust types (src/typescript.rs): the case page
// reads exactly what `case_detail` sends.

export type {
  Agreement, CaseDetail, EscalationRecord, FollowUpRecord, GradingRecord, HistoryEntry, PartyRecord,
  PerformanceRecord, ReferralRecord, SessionRecord, SupportRecord, Term,
} from './generated/ledger'

// ---- people of earlier cases (store/people.rs) ---------------------------

/** A party of an earlier case, as last registered; numbers masked in a list. */
export type { KnownParty } from './generated/ledger'

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

export type { CaseRef } from './generated/ledger'

export type { AgreementInput, FollowUpInput, SessionInput } from './generated/ledger'
