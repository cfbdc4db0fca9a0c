// Generated from the Rust types of tiaojie-ledger (src/typescript.rs): do not
// edit. After changing one of those types, regenerate with
//   TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-ledger --test typescript

export type Side = "applicant" | "respondent";

export type Gender = "male" | "female";

/**
 * 调解类型 (三调联动).
 */
export type MediationType = "people" | "administrative" | "judicial" | "police";

/**
 * How a case ended (结案方式).
 */
export type ClosingOutcome = "resolved" | "failed" | "withdrawn" | "transferred";

export type EscalationStatus = "pending" | "accepted" | "returned";

/**
 * Departments a case can be referred to (移送、转办).
 */
export type Department = "police" | "traffic" | "health" | "social_security" | "land" | "environment" | "petitions" | "justice_office" | "court" | "other";

export type SessionResult = "agreed" | "failed" | "continued";

export type AgreementForm = "written" | "oral";

export type Satisfaction = "satisfied" | "mostly" | "unsatisfied";

/**
 * 纠纷类型.
 */
export type DisputeType = "marriage_family" | "neighbour" | "house_site" | "contract" | "business" | "damages" | "forest_land" | "demolition" | "pollution" | "labour" | "consumer" | "medical" | "traffic_accident" | "property" | "tourism" | "intellectual_property" | "internet" | "public_order" | "other";

/**
 * 纠纷来源.
 */
export type Source = "application" | "screening" | "call_110" | "police" | "court" | "government" | "petition";

/**
 * 调解员身份.
 */
export type MediatorRole = "resident_cadre" | "auxiliary_police" | "police_officer" | "legal_adviser" | "lawyer" | "judge" | "prosecutor" | "village_cadre" | "local_worthy" | "other";

/**
 * Where a case stands. Escalation and support are tracked beside it.
 */
export type CaseStatus = "registered" | "mediating" | "agreed" | "failed" | "closed";

export type AttachmentKind = "evidence" | "signed_agreement" | "signed_notice" | "identity" | "other";

export type Role = "mediator" | "officer" | "supervisor" | "admin";

export type Grade = { 
/**
 * Stable key, e.g. "red".
 */
key: string, 
/**
 * Chinese name shown to people, e.g. "红色".
 */
name: string, 
/**
 * Days between follow-up visits.
 */
cadence_days: number, 
/**
 * Higher is more serious; lists show the most serious first.
 */
rank: number, 
/**
 * Display colour as #rrggbb, for the UI and Excel fills.
 */
color: string, };

export type Scheme = { grades: Array<Grade>, };

export type CaseRow = { id: string, number: string, unit: string, unit_name: string, level: number, received_on: string, dispute_type: string, source: string, status: string, grade: string | null, grade_name: string | null, grade_color: string | null, parties: string, escalation_pending: boolean, closed_on: string | null, };

/**
 * A party of a case, as registered.
 */
export type PartyRecord = { 
/**
 * Its place among the case's parties, from 0.
 */
idx: number, side: Side, name: string, gender: Gender | null, ethnicity: string | null, birth_date: string | null, age: number | null, occupation: string | null, phone: string | null, address: string | null, id_number: string | null, };

/**
 * A risk grading (风险评估) of the case.
 */
export type GradingRecord = { 
/**
 * The grade's key in the unit's scheme (red, yellow, green…).
 */
grade: string, grade_name: string | null, reason: string, on_date: string, unit: string, actor: string | null, };

/**
 * An escalation (上交) to an upper unit, and its answer.
 */
export type EscalationRecord = { id: string, from_unit: string, to_unit: string, reason: string, requested_on: string, status: EscalationStatus, answered_on: string | null, answer: string | null, };

/**
 * A request for support (请求支援), and its reply.
 */
export type SupportRecord = { id: string, from_unit: string, to_unit: string, matter: string, requested_on: string, reply: string | null, answered_on: string | null, };

/**
 * A referral (移送、转办) to a department, and what came back.
 */
export type ReferralRecord = { id: string, department: Department, receiver: string, matter: string, deadline: string, referred_on: string, outcome: string | null, answered_on: string | null, };

/**
 * A mediation session (调解记录).
 */
export type SessionRecord = { id: string, on_date: string, place: string, mediators: Array<string>, attendees: string, summary: string, result: SessionResult, unit: string, };

export type Term = { 
/**
 * What is to be done (e.g. 李四于12月1日前赔偿张三医药费800元).
 */
content: string, due: string | null, };

export type Agreement = { id: string, form: AgreementForm, on: string, terms: Array<Term>, amount_fen: number, };

/**
 * A note on how the agreement is being performed (履行情况).
 */
export type PerformanceRecord = { on_date: string, note: string, fulfilled: boolean, };

/**
 * A follow-up visit (回访).
 */
export type FollowUpRecord = { id: string, on_date: string, visitor: string, performance: string, satisfaction: Satisfaction | null, lawsuit: boolean, new_risk: string, measures: string, unit: string, };

export type HistoryEntry = { event_id: string, at: string, hlc: string, device: string, seq: number, unit: string, actor: string | null, kind: string, text: string, applied: boolean, 
/**
 * Why the event did not take effect, or a note on how it did.
 */
note: string | null, };

export type CaseDetail = { origin_unit: string, mediation_type: MediationType, facts: string, requests: string, amount_fen: number, people_involved: number, petition_risk: boolean, criminal_risk: boolean, key_persons: string, mediator: string | null, graded_on: string | null, last_visit_on: string | null, sessions_held: number, failed_sessions: number, suggest_escalation: boolean, mediation_deadline: string, closing_outcome: ClosingOutcome | null, 
/**
 * Each party's details (the row's `parties` is their names).
 */
party_records: Array<PartyRecord>, gradings: Array<GradingRecord>, escalations: Array<EscalationRecord>, supports: Array<SupportRecord>, referrals: Array<ReferralRecord>, sessions: Array<SessionRecord>, agreement: Agreement | null, performances: Array<PerformanceRecord>, followups: Array<FollowUpRecord>, history: Array<HistoryEntry>, id: string, number: string, unit: string, unit_name: string, level: number, received_on: string, dispute_type: string, source: string, status: string, grade: string | null, grade_name: string | null, grade_color: string | null, parties: string, escalation_pending: boolean, closed_on: string | null, };

/**
 * A newly registered case.
 */
export type CaseRef = { id: string, number: string, };

/**
 * A party of an earlier case, with what was registered of them then.
 */
export type KnownParty = { 
/**
 * The case and the party's place in it, to ask for the numbers by.
 */
case_id: string, idx: number, number: string, received_on: string, name: string, gender: Gender | null, ethnicity: string | null, birth_date: string | null, age: number | null, occupation: string | null, phone: string | null, address: string | null, id_number: string | null, };

/**
 * An attachment as the case file lists it.
 */
export type AttachmentRecord = { id: string, case_id: string, hash: string, size: number, mime: string, kind: AttachmentKind, caption: string, file_name: string, width: number | null, height: number | null, on: string, unit: string, actor: string | null, 
/**
 * The bytes are on this laptop (an upper tier may know of an
 * attachment before its bytes arrive).
 */
here: boolean, removed_on: string | null, removed_reason: string | null, };

/**
 * An amount of money in fen (0.01 yuan). On input it is written in yuan,
 * as a number or a string ("3000", "3000.5", "3,000.50").
 */
export type Fen = number;

export type SessionInput = { on: string | null, place: string, mediators: Array<string>, attendees: string, summary: string, result: SessionResult, };

export type AgreementInput = { on: string | null, form: AgreementForm, terms: Array<Term>, amount: Fen, };

export type FollowUpInput = { on: string | null, visitor: string, performance: string, satisfaction: Satisfaction | null, lawsuit: boolean, new_risk: string, measures: string, };

/**
 * One party as entered.
 */
export type PartyInput = { side?: string | null, name: string, gender?: string | null, ethnicity?: string | null, birth_date?: string | null, age?: number | null, occupation?: string | null, phone?: string | null, address?: string | null, id_number?: string | null, };

/**
 * The intake form as entered.
 */
export type CaseIntake = { received_on?: string | null, dispute_type: string, source: string, mediation_type?: string | null, facts: string, requests?: string | null, amount?: string | number | null, people_involved?: number | null, petition_risk: boolean, criminal_risk: boolean, key_persons?: string | null, mediator?: string | null, parties: Array<PartyInput>, };

/**
 * One offer: the clause completed, and the whole text with it taken.
 */
export type ClauseOffer = { clause: string, value: string, };

export type ImportOutcome = { "result": "added", id: string, number: string, } | { "result": "existing", id: string, number: string, };

export type Page<T> = { total: number, rows: Array<T>, };

/**
 * Which units a query covers.
 */
export type Scope = { unit: string, 
/**
 * Include every unit below `unit`.
 */
subtree: boolean, };

export type SortKey = "received" | "number" | "grade" | "status";

export type CaseFilter = { grades: Array<string>, statuses: Array<CaseStatus>, dispute_types: Array<DisputeType>, 
/**
 * Level of the owning unit.
 */
level?: number | null, scope?: Scope | null, received_from?: string | null, received_to?: string | null, 
/**
 * Matches names, ID numbers, phones, facts, the case number.
 */
text?: string | null, sort: SortKey, ascending: boolean, offset: number, 
/**
 * 0 means the default of 50.
 */
limit: number, };

/**
 * A unit of the three-level tree. `code` is its administrative code (a
 * village's 12-digit 统计用区划代码, or the code the county assigns).
 */
export type UnitSpec = { code: string, name: string, 
/**
 * The short name used in case numbers: （2026）<short>人调字第N号.
 */
short_name: string, level: number, parent: string | null, 
/**
 * The formal name its seal carries on signed documents, e.g.
 * 青山村人民调解委员会; without it, one is made from `name` (see
 * `committee_name`).
 */
committee?: string | null, };

export type UnitRow = { level_name: string, 
/**
 * The name on its seal (`UnitSpec::committee_name`).
 */
seal_name: string, code: string, name: string, 
/**
 * The short name used in case numbers: （2026）<short>人调字第N号.
 */
short_name: string, level: number, parent: string | null, 
/**
 * The formal name its seal carries on signed documents, e.g.
 * 青山村人民调解委员会; without it, one is made from `name` (see
 * `committee_name`).
 */
committee?: string | null, };

export type MediatorSpec = { id: string, name: string, phone: string | null, unit: string, role: MediatorRole, specialties: Array<string>, active: boolean, };

export type MediatorInput = { name: string, phone: string | null, 
/**
 * Defaults to this device's unit.
 */
unit: string | null, role: MediatorRole, specialties: Array<string>, };

/**
 * Who this ledger is: written once by `init`.
 */
export type DeviceInfo = { device_id: string, unit_code: string, lane: number, 
/**
 * The sequence number the next local event will get.
 */
next_seq: number, };

/**
 * A signed-in user.
 */
export type Session = { name: string, role: Role, };

export type Count = { key: string, label: string, count: number, };

export type Stats = { total: number, open: number, closed: number, by_grade: Array<Count>, by_type: Array<Count>, by_source: Array<Count>, by_status: Array<Count>, by_level: Array<Count>, 
/**
 * Closed cases by how they ended (结案方式).
 */
by_outcome: Array<Count>, 
/**
 * Received per month, "YYYY-MM".
 */
by_month: Array<Count>, agreements: number, agreement_amount_fen: number, resolved: number, satisfaction: Array<Count>, petition_risk: number, criminal_risk: number, 
/**
 * Cases with a 民转刑 / petition risk closed as resolved.
 */
criminal_prevented: number, petitions_prevented: number, screenings: number, nil_reports: number, };

/**
 * One unit on the wall map (挂图作战): its open cases and the most serious
 * grade among them, counting every unit below it.
 */
export type UnitCell = { code: string, name: string, level: number, parent: string | null, 
/**
 * Open cases owned here and below.
 */
open_cases: number, worst_grade: string | null, worst_grade_name: string | null, worst_color: string | null, };

/**
 * Where a case stands on its follow-up cadence on a given day.
 */
export type DueState = { "state": "not_yet" } | { "state": "due" } | { "state": "overdue", "days": number };

/**
 * A follow-up visit that is due or overdue on the day asked.
 */
export type DueVisit = { case_id: string, number: string, unit: string, parties: string, grade: string, grade_name: string, grade_color: string, cadence_days: number, next_visit: string, state: DueState, };

/**
 * How many follow-ups of one grade are due.
 */
export type DueCount = { grade: string, count: number, };

/**
 * An escalation waiting at, or answered by, a unit.
 */
export type EscalationItem = { escalation_id: string, case_id: string, number: string, from_unit: string, to_unit: string, reason: string, requested_on: string, status: EscalationStatus, answered_on: string | null, answer: string | null, };

export type ReferralItem = { referral_id: string, case_id: string, number: string, department: string, receiver: string, matter: string, deadline: string, days_late: number, };

/**
 * 今日工作: what waits for this device's unit on `on`.
 */
export type Today = { on: string, unit: string, 
/**
 * The most urgent follow-ups due, at most `TODAY_DUE_SHOWN`.
 */
due: Array<DueVisit>, 
/**
 * How many are due in all, and per grade.
 */
due_total: number, due_by_grade: Array<DueCount>, escalations_pending: Array<EscalationItem>, escalations_returned: Array<EscalationItem>, overdue_referrals: Array<ReferralItem>, };
