// One case as the case page shows it (store/detail.rs) and the inputs of the
// actions on it (domain/intake.rs, store/actions.rs), all generated from the
// ledger's Rust types (src/typescript.rs). Re-exported by types.ts.

export type {
  Agreement, AgreementInput, CaseDetail, CaseIntake, CaseRef, EscalationRecord, FollowUpInput, FollowUpRecord,
  GradingRecord, HistoryEntry, KnownParty, PartyInput, PartyRecord, PerformanceRecord, ReferralRecord,
  SessionInput, SessionRecord, SupportRecord, Term,
} from './generated/ledger'
