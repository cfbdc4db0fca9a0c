// Sample data for the mock backend: a small district, a roster and a few
// hundred cases, the same on every load (seeded), so screens can be looked
// at without the desktop shell. Not part of the built app.

import type {
  AttachmentKind, CaseDetail, CaseStatusKey, DisputeTypeKey, HistoryEntry, Label, MediatorSpec, Reference, UnitRow,
} from '../api/types'

let seed = 20261124
export function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}
export const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]

const L = <K extends string>(pairs: [K, string][]): Label<K>[] => pairs.map(([key, label]) => ({ key, label }))

export const reference: Reference = {
  dispute_types: L<DisputeTypeKey>([
    ['marriage_family', '婚姻家庭'], ['neighbour', '邻里'], ['house_site', '房屋宅基地'], ['contract', '合同'],
    ['business', '生产经营'], ['damages', '损害赔偿'], ['forest_land', '山林土地'], ['demolition', '征地拆迁'],
    ['pollution', '环境污染'], ['labour', '劳动争议'], ['consumer', '消费'], ['medical', '医疗'],
    ['traffic_accident', '道路交通事故'], ['property', '物业'], ['tourism', '旅游'],
    ['intellectual_property', '知识产权'], ['internet', '互联网'], ['public_order', '治安'], ['other', '其他'],
  ]),
  sources: L([['application', '当事人申请'], ['screening', '主动排查'], ['call_110', '110转办'], ['police', '公安移交'],
    ['court', '法院委托'], ['government', '政府指定'], ['petition', '信访转办']]),
  mediation_types: L([['people', '人民调解'], ['administrative', '行政调解'], ['judicial', '司法调解'], ['police', '治安调解']]),
  genders: L([['male', '男'], ['female', '女']]),
  sides: L([['applicant', '申请人'], ['respondent', '被申请人']]),
  roles: L([['resident_cadre', '驻村干部'], ['auxiliary_police', '辅警'], ['police_officer', '民警'], ['legal_adviser', '法律顾问'],
    ['lawyer', '专职律师'], ['judge', '法官'], ['prosecutor', '检察官'], ['village_cadre', '村干部'], ['local_worthy', '乡贤'], ['other', '其他']]),
  departments: L([['police', '公安'], ['traffic', '交警'], ['health', '卫生健康'], ['social_security', '人力社保'], ['land', '自然资源'],
    ['environment', '生态环境'], ['petitions', '信访'], ['justice_office', '司法所'], ['court', '法院'], ['other', '其他部门']]),
  session_results: L([['agreed', '达成协议'], ['failed', '调解不成'], ['continued', '继续调解']]),
  agreement_forms: L([['written', '书面协议'], ['oral', '口头协议']]),
  satisfactions: L([['satisfied', '满意'], ['mostly', '基本满意'], ['unsatisfied', '不满意']]),
  outcomes: L([['resolved', '调解成功'], ['failed', '调解不成'], ['withdrawn', '当事人撤回'], ['transferred', '移送处理']]),
  statuses: L<CaseStatusKey>([['registered', '已受理'], ['mediating', '调解中'], ['agreed', '已达成协议'], ['failed', '调解未成'], ['closed', '已结案']]),
  attachment_kinds: L<AttachmentKind>([['evidence', '证据材料'], ['signed_agreement', '签字的协议书'], ['signed_notice', '签字的告知书'], ['identity', '身份证明'], ['other', '其他']]),
  scheme: {
    grades: [
      { key: 'red', name: '红色', cadence_days: 1, rank: 3, color: '#d93025' },
      { key: 'yellow', name: '黄色', cadence_days: 7, rank: 2, color: '#f2b600' },
      { key: 'green', name: '绿色', cadence_days: 30, rank: 1, color: '#1e8e3e' },
    ],
  },
}

const unit = (code: string, name: string, short_name: string, level: number, parent: string | null): UnitRow =>
  ({
    code, name, short_name, level, parent, level_name: ['', '一级调解室', '二级调解中心', '三级调解中心'][level],
    seal_name: name.endsWith('调解室') ? name.replace(/调解室$/, '人民调解委员会') : name,
  })

export const ME = '430302001001'
export const units: UnitRow[] = [
  unit('430302', '青山区矛盾纠纷调解中心', '青山区', 3, null),
  unit('430302001', '青山派出所调解中心', '青山所', 2, '430302'),
  unit('430302002', '白沙镇调解中心', '白沙镇', 2, '430302'),
  unit('430302001001', '青山村调解室', '青山村', 1, '430302001'),
  unit('430302001002', '绿水村调解室', '绿水村', 1, '430302001'),
  unit('430302002001', '白沙社区调解室', '白沙社区', 1, '430302002'),
]

export const mediators: MediatorSpec[] = [
  { id: 'm-1', name: '王秀英', phone: '13800138001', unit: ME, role: 'village_cadre', specialties: ['婚姻家庭'], active: true },
  { id: 'm-2', name: '李建国', phone: '13800138002', unit: ME, role: 'local_worthy', specialties: ['邻里', '宅基地'], active: true },
  { id: 'm-3', name: '赵警官', phone: '0731-88888888', unit: '430302001', role: 'police_officer', specialties: [], active: true },
  { id: 'm-4', name: '陈老师', phone: null, unit: ME, role: 'legal_adviser', specialties: ['合同'], active: false },
]

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀兰', '桂英', '建华']
export const person = () => pick([...SURNAMES]) + pick(GIVEN)

const iso = (d: Date) => d.toISOString().slice(0, 10)
export const daysAgo = (n: number) => iso(new Date(Date.now() - n * 86_400_000))

export interface MockCase {
  detail: CaseDetail
  status: CaseStatusKey
  type: DisputeTypeKey
}

const FACTS = ['因宅前排水沟堵塞发生争执', '因宅基地界址不清引发纠纷', '因婚后财产分割发生矛盾', '因拖欠货款发生纠纷', '因邻里噪音问题多次争吵']

function history(caseId: string, received: string, refused: boolean): HistoryEntry[] {
  const entry = (n: number, text: string, applied = true, note: string | null = null): HistoryEntry => ({
    event_id: `${caseId}-e${n}`, at: new Date(Date.parse(received) + n * 3_600_000).toISOString(), hlc: String(n),
    device: '0192f3a4-5b6c-7d8e-9f00-112233445566', seq: n, unit: ME, actor: '王秀英', kind: 'x', text, applied, note,
  })
  const out = [entry(1, '登记受理'), entry(2, '评定为黄色：双方情绪激动')]
  if (refused) out.push(entry(3, '结案（调解成功）', false, '该案件已上交青山派出所调解中心，上交待受理期间不能结案'))
  return out
}

export function makeCases(n: number): MockCase[] {
  const out: MockCase[] = []
  const statuses: CaseStatusKey[] = ['registered', 'mediating', 'mediating', 'agreed', 'failed', 'closed', 'closed']
  for (let i = 1; i <= n; i++) {
    const type = pick(reference.dispute_types).key
    const status = pick(statuses)
    const grade = random() < 0.15 ? null : pick(reference.scheme.grades)
    const unitRow = random() < 0.7 ? units[3] : pick(units)
    const received = daysAgo(Math.floor(random() * 200))
    const a = person()
    const b = person()
    const id = `case-${String(i).padStart(4, '0')}`
    const label = (list: Label[], key: string) => list.find((l) => l.key === key)?.label ?? key
    const detail: CaseDetail = {
      id, number: `（2026）${unitRow.short_name}人调字第${i}号`, unit: unitRow.code, unit_name: unitRow.name,
      level: unitRow.level, received_on: received, dispute_type: label(reference.dispute_types, type),
      source: '当事人申请', status: label(reference.statuses, status), grade: grade?.key ?? null,
      grade_name: grade?.name ?? null, grade_color: grade?.color ?? null, escalation_pending: false,
      closed_on: status === 'closed' ? daysAgo(1) : null, origin_unit: unitRow.code, mediation_type: 'people',
      facts: pick(FACTS), requests: '请求调解', amount_fen: Math.floor(random() * 5000) * 100,
      people_involved: 2, petition_risk: random() < 0.1, criminal_risk: random() < 0.05, key_persons: '',
      mediator: '王秀英', graded_on: grade ? received : null, last_visit_on: null, sessions_held: 0,
      failed_sessions: 0, suggest_escalation: false,
      mediation_deadline: iso(new Date(Date.parse(received) + 30 * 86_400_000)),
      closing_outcome: status === 'closed' ? 'resolved' : null,
      parties: `${a}、${b}`,
      party_records: [
        { idx: 0, side: 'applicant', name: a, gender: 'female', ethnicity: '汉族', birth_date: '1949-12-31', age: null, occupation: '农民', phone: '13800138000', address: '青山村三组', id_number: '11010519491231002X' },
        { idx: 1, side: 'respondent', name: b, gender: null, ethnicity: null, birth_date: null, age: 52, occupation: null, phone: null, address: '青山村四组', id_number: null },
      ],
      gradings: grade ? [{ grade: grade.key, grade_name: grade.name, reason: '双方情绪激动', on_date: received, unit: unitRow.code, actor: '王秀英' }] : [],
      escalations: [], supports: [], referrals: [], sessions: [], agreement: null, performances: [], followups: [],
      history: history(id, received, i === 1),
    }
    out.push({ detail, status, type })
  }
  // A few cases with hand-overs, for 今日工作 and the case page.
  const c2 = out[1].detail
  c2.escalation_pending = true
  c2.escalations.push({ id: 'esc-1', from_unit: '430302001002', to_unit: ME, reason: '涉及多户村民，村里调解不了', requested_on: daysAgo(2), status: 'pending', answered_on: null, answer: null })
  c2.unit = '430302001002'
  c2.closed_on = null
  c2.status = '调解中'
  out[1].status = 'mediating'
  const c3 = out[2].detail
  c3.closed_on = null
  c3.status = '调解未成'
  out[2].status = 'failed'
  c3.unit = ME
  c3.failed_sessions = 3
  c3.sessions_held = 3
  c3.suggest_escalation = true
  c3.referrals.push({ id: 'ref-1', department: 'land', receiver: '自然资源所', matter: '核实宅基地界址', deadline: daysAgo(5), referred_on: daysAgo(20), outcome: null, answered_on: null })
  return out
}
