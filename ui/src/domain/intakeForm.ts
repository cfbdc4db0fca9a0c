// The intake form's state and the checks made before saving. The ledger
// checks everything again; these only catch what can be caught while typing.

import type { CaseIntake, KnownParty, PartyInput, SideKey } from '../api/types'
import { checkIdNumber, idProblem } from './idcard'
import { amountProblem } from './money'
import { phoneProblem } from './phone'

export interface PartyDraft {
  /** Local key for the list; not sent. */
  uid: number
  side: SideKey
  name: string
  gender: '' | 'male' | 'female'
  ethnicity: string
  birth_date: string
  age: number | null
  occupation: string
  phone: string
  address: string
  id_number: string
}

let nextUid = 1

export function emptyParty(side: SideKey): PartyDraft {
  return {
    uid: nextUid++, side, name: '', gender: '', ethnicity: '', birth_date: '', age: null,
    occupation: '', phone: '', address: '', id_number: '',
  }
}

export interface IntakeDraft {
  received_on: string
  dispute_type: CaseIntake['dispute_type']
  source: CaseIntake['source']
  mediation_type: NonNullable<CaseIntake['mediation_type']>
  facts: string
  requests: string
  amount: string
  people_involved: number | null
  petition_risk: boolean
  criminal_risk: boolean
  key_persons: string
  mediator: string
  parties: PartyDraft[]
}

export function emptyIntake(today: string): IntakeDraft {
  return {
    received_on: today, dispute_type: '', source: 'application', mediation_type: 'people',
    facts: '', requests: '', amount: '', people_involved: null, petition_risk: false,
    criminal_risk: false, key_persons: '', mediator: '',
    parties: [emptyParty('applicant'), emptyParty('respondent')],
  }
}

const opt = (s: string) => (s.trim() ? s.trim() : null)

/** Parties with nothing typed at all are left out: an unused second row is not an error. */
export function isBlankParty(p: PartyDraft): boolean {
  return !p.name.trim() && !p.id_number.trim() && !p.phone.trim() && !p.address.trim()
    && !p.occupation.trim() && !p.ethnicity.trim() && !p.birth_date && p.age === null && !p.gender
}

export function toIntake(d: IntakeDraft): CaseIntake {
  return {
    received_on: d.received_on || null,
    dispute_type: d.dispute_type,
    source: d.source,
    mediation_type: d.mediation_type,
    facts: d.facts,
    requests: opt(d.requests),
    amount: opt(d.amount),
    people_involved: d.people_involved,
    petition_risk: d.petition_risk,
    criminal_risk: d.criminal_risk,
    key_persons: opt(d.key_persons),
    mediator: opt(d.mediator),
    parties: d.parties.filter((p) => !isBlankParty(p)).map(toPartyInput),
  }
}

function toPartyInput(p: PartyDraft): PartyInput {
  return {
    side: p.side,
    name: p.name.trim(),
    gender: p.gender || null,
    ethnicity: opt(p.ethnicity),
    birth_date: p.birth_date || null,
    age: p.age,
    occupation: opt(p.occupation),
    phone: opt(p.phone),
    address: opt(p.address),
    id_number: opt(p.id_number),
  }
}

const GENDER_WORD = { male: '男', female: '女' } as const

/** Problems with one party's fields, keyed by field name ("id_number", ...). */
export function partyProblems(p: PartyDraft, typing: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  const id = idProblem(p.id_number, typing)
  if (id) out.id_number = id
  const phone = phoneProblem(p.phone, typing)
  if (phone) out.phone = phone
  const facts = p.id_number.trim() && !id ? checkIdNumber(p.id_number) : null
  if (facts?.ok) {
    if (p.gender && p.gender !== facts.facts.gender) {
      out.gender = `性别与身份证号不符（身份证号为${GENDER_WORD[facts.facts.gender]}性）`
    }
    if (p.birth_date && p.birth_date !== facts.facts.birthDate) {
      out.birth_date = `出生日期与身份证号中的 ${facts.facts.birthDate} 不符`
    }
  }
  if (p.age !== null && (p.age < 1 || p.age > 130)) out.age = `年龄 ${p.age} 不合理`
  if (!typing && !p.name.trim() && !isBlankParty(p)) out.name = '请填写姓名'
  return out
}

/**
 * Every problem of the form before saving, keyed by the ledger's field
 * paths ("facts", "parties[1].id_number"). Party indices count only the
 * parties that will be sent, as the ledger's will.
 */
export function intakeProblems(d: IntakeDraft): Record<string, string> {
  const out: Record<string, string> = {}
  if (!d.dispute_type) out.dispute_type = '请选择纠纷类型'
  if (!d.source) out.source = '请选择纠纷来源'
  if (!d.facts.trim()) out.facts = '请填写纠纷简要情况'
  const amount = amountProblem(d.amount)
  if (amount) out.amount = amount
  const sent = d.parties.filter((p) => !isBlankParty(p))
  if (sent.length === 0) out.parties = '请至少登记一位当事人'
  else if (!sent.some((p) => p.side === 'applicant')) out.parties = '至少要有一位申请人'
  sent.forEach((p, i) => {
    for (const [k, v] of Object.entries(partyProblems(p, false))) out[`parties[${i}].${k}`] = v
  })
  if (d.people_involved !== null && d.people_involved < sent.length) {
    out.people_involved = `涉及人数（${d.people_involved}）少于登记的当事人数（${sent.length}）`
  }
  return out
}

/**
 * Fills a party from what was registered of the same person before: only
 * the fields still empty, never what was typed; the numbers only when the
 * record has them in full (`withNumbers`), not masked ones.
 */
export function fillFromKnown(p: PartyDraft, k: KnownParty, withNumbers: boolean): void {
  const empty = (v: string) => !v.trim()
  if (!p.gender && k.gender) p.gender = k.gender
  if (empty(p.ethnicity) && k.ethnicity) p.ethnicity = k.ethnicity
  if (!p.birth_date && k.birth_date) p.birth_date = k.birth_date
  if (p.age === null && k.age !== null && !k.birth_date) p.age = k.age
  if (empty(p.occupation) && k.occupation) p.occupation = k.occupation
  if (empty(p.address) && k.address) p.address = k.address
  if (withNumbers) {
    if (empty(p.id_number) && k.id_number) p.id_number = k.id_number
    if (empty(p.phone) && k.phone) p.phone = k.phone
  }
}

/** Whether to look the name up: a name, and no numbers typed for them yet. */
export function worthLookingUp(p: PartyDraft): boolean {
  return p.name.trim() !== '' && !p.id_number.trim() && !p.phone.trim()
}
