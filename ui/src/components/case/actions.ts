// What a person can do to a case, as data: the dialog fields, when the
// button shows, and the command it runs. One generic dialog renders them all.

import { api } from '../../api/commands'
import type {
  AgreementFormKey, CaseDetail, ClosingOutcomeKey, DepartmentKey, MediatorSpec, Reference,
  SatisfactionKey, SessionResultKey, Term, UnitRow,
} from '../../api/types'
import { ancestorsOf } from '../../composables/useUnits'
import { yuanToFen } from '../../domain/money'

export interface ActionContext {
  detail: CaseDetail
  /** This device's unit. */
  unit: string
  actor: string
  reference: Reference | null
  units: UnitRow[]
  mediators: MediatorSpec[]
}

export interface Option {
  value: string
  label: string
}

export type FieldKind = 'text' | 'textarea' | 'date' | 'future-date' | 'select' | 'switch' | 'terms' | 'yuan' | 'names'

export interface FieldSpec {
  key: string
  label: string
  kind: FieldKind
  required?: boolean
  placeholder?: string
  options?: (ctx: ActionContext) => Option[]
  initial?: (ctx: ActionContext) => unknown
  /** Earlier wording to offer under a text field, for what is typed. */
  suggest?: (ctx: ActionContext, typed: string) => Promise<string[]>
}

export type Values = Record<string, unknown>

export interface ActionSpec {
  key: string
  label: string
  title: string
  type?: 'primary' | 'warning' | 'danger' | 'success'
  hint?: string
  fields: FieldSpec[]
  available: (ctx: ActionContext) => boolean
  run: (ctx: ActionContext, v: Values) => Promise<CaseDetail>
}

/** What the visit just saved found of new risk: its words, or '' when it
 *  found none (left empty, or "无"). A new risk is a reason to grade the
 *  case again. */
export function newRiskOf(detail: CaseDetail): string {
  const last = detail.followups.at(-1)
  const risk = last?.new_risk?.trim() ?? ''
  return /^(无|没有|暂无|无新的?风险|未发现新的?风险)[。.]?$/.test(risk) ? '' : risk
}

/** Asks whether to grade the case again after a visit found `risk`. */
export async function askRegrade(risk: string): Promise<boolean> {
  const { ElMessageBox } = await import('element-plus')
  try {
    await ElMessageBox.confirm(`回访发现新的风险：${risk}`, '是否重新评定风险等级？', {
      confirmButtonText: '重新评定',
      cancelButtonText: '暂不评定',
      type: 'warning',
    })
    return true
  } catch {
    return false
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const date = (v: unknown) => (typeof v === 'string' && v ? v : null)

const isOpen = (c: ActionContext) => !c.detail.closed_on
const isOwner = (c: ActionContext) => c.detail.unit === c.unit
const ownerOpen = (c: ActionContext) => isOpen(c) && isOwner(c)
const pendingToMe = (c: ActionContext) =>
  c.detail.escalations.some((e) => e.status === 'pending' && e.to_unit === c.unit)

const labels = (key: keyof Reference) => (c: ActionContext): Option[] => {
  const list = c.reference?.[key]
  return Array.isArray(list) ? list.map((l) => ({ value: l.key, label: l.label })) : []
}
const upperUnits = (c: ActionContext): Option[] =>
  ancestorsOf(c.detail.unit, c.units).map((u) => ({ value: u.code, label: `${u.name}（${u.level_name}）` }))

const on: FieldSpec = { key: 'on', label: '日期', kind: 'date' }

export const ACTIONS: ActionSpec[] = [
  {
    key: 'grade', label: '评定预警等级', title: '评定预警等级（风险评估）', type: 'primary',
    fields: [
      {
        key: 'grade', label: '预警等级', kind: 'select', required: true,
        options: (c) => [...(c.reference?.scheme.grades ?? [])].sort((a, b) => b.rank - a.rank)
          .map((g) => ({ value: g.key, label: `${g.name}（每${g.cadence_days}天回访）` })),
        initial: (c) => c.detail.grade ?? '',
      },
      { key: 'reason', label: '评定理由', kind: 'textarea', required: true, placeholder: '风险评估情况：为什么评为这一等级' },
      on,
    ],
    available: ownerOpen,
    run: (c, v) => api.gradeCase(c.detail.id, str(v.grade), str(v.reason), date(v.on)),
  },
  {
    key: 'session', label: '登记调解', title: '登记调解记录', type: 'primary',
    fields: [
      on,
      { key: 'place', label: '调解地点', kind: 'text', placeholder: '如 村调解室' },
      {
        key: 'mediators', label: '调解人员', kind: 'names',
        options: (c) => c.mediators.filter((m) => m.active).map((m) => ({ value: m.name, label: m.name })),
        initial: (c) => (c.actor ? [c.actor] : []),
      },
      { key: 'attendees', label: '参加人员', kind: 'text', placeholder: '当事人及邀请参加的人员' },
      { key: 'summary', label: '调解情况', kind: 'textarea', placeholder: '各方陈述、核实的证据、调解经过' },
      { key: 'result', label: '调解结果', kind: 'select', required: true, options: labels('session_results') },
    ],
    available: ownerOpen,
    run: (c, v) => api.recordSession(c.detail.id, {
      on: date(v.on), place: str(v.place), mediators: (v.mediators as string[]) ?? [],
      attendees: str(v.attendees), summary: str(v.summary), result: v.result as SessionResultKey,
    }),
  },
  {
    key: 'agreement', label: '登记协议', title: '登记调解协议', type: 'success',
    fields: [
      on,
      { key: 'form', label: '协议形式', kind: 'select', required: true, options: labels('agreement_forms'), initial: () => 'written' },
      { key: 'terms', label: '协议内容（逐项填写履行方式和期限）', kind: 'terms', required: true, initial: () => [{ content: '', due: null }] },
      { key: 'amount', label: '协议金额（元）', kind: 'yuan', placeholder: '没有可不填' },
    ],
    available: (c) => ownerOpen(c) && !c.detail.agreement,
    run: (c, v) => api.makeAgreement(c.detail.id, {
      on: date(v.on), form: v.form as AgreementFormKey,
      terms: ((v.terms as Term[]) ?? []).map((t) => ({ content: t.content.trim(), due: t.due || null })),
      amount: yuanToFen(str(v.amount) || '0') ?? 0,
    }),
  },
  {
    key: 'performance', label: '登记履行', title: '登记协议履行情况',
    fields: [
      { key: 'note', label: '履行情况', kind: 'textarea', required: true },
      { key: 'fulfilled', label: '协议已全部履行', kind: 'switch', initial: () => false },
      on,
    ],
    available: (c) => ownerOpen(c) && !!c.detail.agreement,
    run: (c, v) => api.recordPerformance(c.detail.id, str(v.note), v.fulfilled === true, date(v.on)),
  },
  {
    key: 'followup', label: '登记回访', title: '登记回访记录',
    // What the visit found first and required; one line each, so that the
    // dialog fits a 1366×768 screen and Enter saves.
    fields: [
      {
        key: 'performance', label: '回访情况', kind: 'text', required: true,
        placeholder: '看到、听到的情况；已有协议的，写履行情况',
        suggest: (c, typed) => api.visitWordings(c.detail.id, typed),
      },
      { key: 'satisfaction', label: '满意度', kind: 'select', options: labels('satisfactions') },
      { key: 'new_risk', label: '有无新的风险', kind: 'text', placeholder: '没有可不填' },
      { key: 'measures', label: '采取的措施', kind: 'text', placeholder: '没有可不填' },
      { key: 'visitor', label: '回访人', kind: 'text', initial: (c) => c.actor },
      on,
      { key: 'lawsuit', label: '当事人已起诉', kind: 'switch', initial: () => false },
    ],
    available: ownerOpen,
    run: (c, v) => api.followUp(c.detail.id, {
      on: date(v.on), visitor: str(v.visitor), performance: str(v.performance),
      satisfaction: (v.satisfaction as SatisfactionKey) || null, lawsuit: v.lawsuit === true,
      new_risk: str(v.new_risk), measures: str(v.measures),
    }),
  },
  {
    key: 'escalate', label: '上交', title: '上交上级调解中心', type: 'warning',
    hint: '上交后由上级受理并承办；上级也可能退回。',
    fields: [
      { key: 'to_unit', label: '上交给', kind: 'select', required: true, options: upperUnits, initial: (c) => upperUnits(c)[0]?.value ?? '' },
      { key: 'reason', label: '上交理由', kind: 'textarea', required: true },
      on,
    ],
    available: (c) => ownerOpen(c) && !c.detail.escalation_pending && upperUnits(c).length > 0,
    run: (c, v) => api.escalate(c.detail.id, str(v.to_unit), str(v.reason), date(v.on)),
  },
  {
    key: 'support', label: '请求支援', title: '请求上级支援',
    hint: '请上级协助调解，案件仍由本单位承办。',
    fields: [
      { key: 'to_unit', label: '请求支援的单位', kind: 'select', required: true, options: upperUnits, initial: (c) => upperUnits(c)[0]?.value ?? '' },
      { key: 'matter', label: '需要支援的事项', kind: 'textarea', required: true },
      on,
    ],
    available: (c) => ownerOpen(c) && upperUnits(c).length > 0,
    run: (c, v) => api.requestSupport(c.detail.id, str(v.to_unit), str(v.matter), date(v.on)),
  },
  {
    key: 'refer', label: '移送', title: '移送（转办）有关部门',
    fields: [
      { key: 'department', label: '接收部门', kind: 'select', required: true, options: labels('departments') },
      { key: 'receiver', label: '接收人（单位）', kind: 'text', required: true },
      { key: 'matter', label: '移送事项', kind: 'textarea', required: true },
      { key: 'deadline', label: '反馈期限', kind: 'future-date', required: true },
      on,
    ],
    available: ownerOpen,
    run: (c, v) => api.refer(c.detail.id, v.department as DepartmentKey, str(v.receiver), str(v.matter), str(v.deadline), date(v.on)),
  },
  {
    key: 'answer_referral', label: '登记移送反馈', title: '登记移送反馈结果',
    fields: [{ key: 'outcome', label: '反馈结果', kind: 'textarea', required: true }, on],
    available: (c) => ownerOpen(c) && c.detail.referrals.some((r) => !r.answered_on),
    run: (c, v) => api.answerReferral(c.detail.id, str(v.outcome), date(v.on)),
  },
  {
    key: 'accept', label: '受理上交', title: '受理上交的案件', type: 'primary',
    hint: '受理后，本案由本单位承办。',
    fields: [{ key: 'note', label: '受理意见', kind: 'textarea' }, on],
    available: (c) => isOpen(c) && pendingToMe(c),
    run: (c, v) => api.acceptEscalation(c.detail.id, str(v.note), date(v.on)),
  },
  {
    key: 'return', label: '退回上交', title: '退回上交的案件', type: 'warning',
    fields: [{ key: 'reason', label: '退回理由', kind: 'textarea', required: true }, on],
    available: (c) => isOpen(c) && pendingToMe(c),
    run: (c, v) => api.returnEscalation(c.detail.id, str(v.reason), date(v.on)),
  },
  {
    key: 'answer_support', label: '答复支援', title: '答复支援请求',
    fields: [{ key: 'reply', label: '答复内容', kind: 'textarea', required: true }, on],
    available: (c) => isOpen(c) && c.detail.supports.some((s) => s.to_unit === c.unit && !s.answered_on),
    run: (c, v) => api.answerSupport(c.detail.id, str(v.reply), date(v.on)),
  },
  {
    key: 'close', label: '结案', title: '结案', type: 'danger',
    fields: [
      { key: 'outcome', label: '结案方式', kind: 'select', required: true, options: labels('outcomes') },
      { key: 'note', label: '结案说明', kind: 'textarea' },
      on,
    ],
    available: (c) => ownerOpen(c) && !c.detail.escalation_pending,
    run: (c, v) => api.closeCase(c.detail.id, v.outcome as ClosingOutcomeKey, str(v.note), date(v.on)),
  },
]
