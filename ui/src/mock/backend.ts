// A stand-in for the desktop shell, for looking at the screens in a plain
// browser: `npm run dev`, then open http://localhost:5173/mock.html
// (`?fresh` shows 首次使用). Commands answer from the sample data in data.ts;
// only a few rules are checked. Not part of the built app.

import { mockIPC } from '@tauri-apps/api/mocks'
import { emit } from '@tauri-apps/api/event'
import type { AppStatus, CaseDetail, CaseFilter, DueVisit, Stats, SyncStatus, Count } from '../api/types'
import type { Commands } from '../api/commands'
import type { KnownParty, MediatorSpec, UnitRow } from '../api/types'
import { ME, daysAgo, makeCases, mediators, reference, units } from './data'

const cases = makeCases(230)
const fresh = new URLSearchParams(location.search).has('fresh')
let status: AppStatus = {
  initialized: !fresh,
  device: { device_id: '0192f3a4-5b6c-7d8e-9f00-112233445566', unit_code: ME, lane: 0, next_seq: 42 },
  unit: units.find((u) => u.code === ME) ?? null,
  actor: '王秀英', hub_url: 'http://192.168.1.10:8600', data_path: '/home/user/.local/share/tiaojie/ledger.sqlite3', encrypted: true, locked: false, needs_sign_in: false, user: null, users: [],
}
let sync: SyncStatus = {
  enrolled: true, hub_url: status.hub_url, online: true, syncing: false, pending: 3,
  last_sync: new Date(Date.now() - 7 * 60_000).toISOString(), last_error: null, progress: null,
  clock_warning: null, recovery_note: null, unstable: null,
}

const invalid = (field: string, message: string) => ({ code: 'invalid_input', message, field })
const find = (id: unknown): CaseDetail => {
  const c = cases.find((x) => x.detail.id === id)
  if (!c) throw { code: 'not_found', message: `找不到案件：${String(id)}` }
  return c.detail
}

function list(f: CaseFilter) {
  let rows = cases.filter((c) =>
    (!f.grades?.length || f.grades.includes(c.detail.grade ?? '')) &&
    (!f.statuses?.length || f.statuses.includes(c.status)) &&
    (!f.dispute_types?.length || f.dispute_types.includes(c.type)) &&
    (!f.level || c.detail.level === f.level) &&
    (!f.scope || c.detail.unit === f.scope.unit || (f.scope.subtree && c.detail.unit.startsWith(f.scope.unit))) &&
    (!f.received_from || c.detail.received_on >= f.received_from) &&
    (!f.received_to || c.detail.received_on <= f.received_to) &&
    (!f.text || JSON.stringify(c.detail.party_records).includes(f.text) || c.detail.facts.includes(f.text) || c.detail.number.includes(f.text)))
  const rank = (g: string | null) => reference.scheme.grades.find((x) => x.key === g)?.rank ?? 0
  const key = (c: (typeof cases)[number]) =>
    f.sort === 'grade' ? rank(c.detail.grade) : f.sort === 'status' ? c.status : f.sort === 'number' ? c.detail.id : c.detail.received_on
  rows = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (f.ascending ? 1 : -1))
  const offset = f.offset ?? 0
  return { total: rows.length, rows: rows.slice(offset, offset + (f.limit || 50)).map((c) => ({ ...c.detail })) }
}

function count<T>(items: T[], key: (t: T) => string | null, label: (k: string) => string): Count[] {
  const m = new Map<string, number>()
  for (const i of items) {
    const k = key(i)
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1)
  }
  return [...m.entries()].sort().map(([k, n]) => ({ key: k, label: label(k), count: n }))
}

function stats(): Stats {
  const d = cases.map((c) => c)
  const lbl = (list: { key: string; label: string }[]) => (k: string) => list.find((l) => l.key === k)?.label ?? k
  return {
    total: d.length, open: d.filter((c) => !c.detail.closed_on).length, closed: d.filter((c) => c.detail.closed_on).length,
    by_grade: count(d, (c) => c.detail.grade, (k) => reference.scheme.grades.find((g) => g.key === k)?.name ?? k),
    by_type: count(d, (c) => c.type, lbl(reference.dispute_types)),
    by_source: [], by_status: count(d, (c) => c.status, lbl(reference.statuses)),
    by_level: count(d, (c) => String(c.detail.level), (k) => ['', '一级调解室', '二级调解中心', '三级调解中心'][Number(k)]),
    by_outcome: count(d.filter((c) => c.detail.closed_on), (c) => c.detail.closing_outcome, lbl(reference.outcomes)),
    by_month: count(d, (c) => c.detail.received_on.slice(0, 7), (k) => k),
    agreements: 40, agreement_amount_fen: 12_345_600, resolved: 61, satisfaction: [{ key: 'satisfied', label: '满意', count: 30 }],
    petition_risk: 9, criminal_risk: 4, criminal_prevented: 3, petitions_prevented: 5, screenings: 12, nil_reports: 4,
  }
}

function today() {
  const due: DueVisit[] = cases.filter((c) => c.detail.grade && !c.detail.closed_on && c.detail.unit === ME).slice(0, 9).map((c, i) => ({
    case_id: c.detail.id, number: c.detail.number, unit: ME, parties: c.detail.parties,
    grade: c.detail.grade ?? '', grade_name: c.detail.grade_name ?? '', grade_color: c.detail.grade_color ?? '',
    cadence_days: 7, next_visit: daysAgo(i % 3), state: i % 3 ? { state: 'overdue', days: i % 3 } : { state: 'due' },
  }))
  const pending = cases.flatMap((c) => c.detail.escalations.filter((e) => e.status === 'pending' && e.to_unit === ME)
    .map((e) => ({ ...e, escalation_id: e.id, case_id: c.detail.id, number: c.detail.number })))
  const referrals = cases.flatMap((c) => c.detail.referrals.filter((r) => !r.answered_on).map((r) => ({
    referral_id: r.id, case_id: c.detail.id, number: c.detail.number, department: '自然资源', receiver: r.receiver,
    matter: r.matter, deadline: r.deadline, days_late: 5,
  })))
  const byGrade: { grade: string; count: number }[] = []
  for (const v of due) {
    const c = byGrade.find((x) => x.grade === v.grade)
    if (c) c.count++
    else byGrade.push({ grade: v.grade, count: 1 })
  }
  return { on: daysAgo(0), unit: ME, due, due_total: due.length, due_by_grade: byGrade, escalations_pending: pending, escalations_returned: [], overdue_referrals: referrals }
}

function act(args: Record<string, unknown>, change: (d: CaseDetail) => void): CaseDetail {
  const d = find(args.case_id)
  const on = (args.on as string | null) ?? (args.input as { on?: string } | undefined)?.on ?? null
  if (on && on > daysAgo(0)) throw invalid('on', `日期 ${on} 晚于今天`)
  change(d)
  d.history.push({ event_id: `e${Date.now()}`, at: new Date().toISOString(), hlc: '', device: status.device!.device_id, seq: 0, unit: ME, actor: status.actor, kind: 'x', text: '（演示）已登记', applied: true, note: null })
  return structuredClone(d)
}

async function runSync() {
  sync = { ...sync, syncing: true, progress: { events_up: 0, bytes_up: 0, pending_up: 3, events_down: 0, bytes_down: 0 } }
  await emit('sync-status', sync)
  for (let i = 1; i <= 3; i++) {
    await new Promise((r) => setTimeout(r, 700))
    sync = { ...sync, pending: 3 - i, progress: { events_up: i, bytes_up: i * 900, pending_up: 3 - i, events_down: i * 4, bytes_down: i * 4000 } }
    await emit('sync-status', sync)
  }
  sync = { ...sync, syncing: false, last_sync: new Date().toISOString() }
  await emit('sync-status', sync)
}

const knownZhang: KnownParty = {
  case_id: 'mock-known', idx: 0, number: '（2026）青山村人调字第3号', received_on: daysAgo(40), name: '张三',
  gender: 'male', ethnicity: '汉族', birth_date: '1958-07-12', age: null, occupation: '农民',
  phone: '13800138000', address: '青山村三组', id_number: '430302195807120030',
}

// Typed by the generated command table: a handler takes the command's own
// arguments and must give what the command gives.
type Handlers = { [C in keyof Commands]?: (a: Commands[C]['args']) => Commands[C]['result'] }

const handlers: Handlers = {
  app_status: () => status,
  setup_standalone: () => (status = { ...status, initialized: true }),
  setup_enroll: (a) => {
    // Like the shell: the ledger is set up before the hub sees the code.
    status = { ...status, initialized: true }
    if (String(a.code).length < 4) throw { code: 'enroll_code_invalid', message: '注册码无效或已用过，请向上级重新索取', field: 'code' }
    return status
  },
  enroll_later: () => status,
  set_actor: (a) => (status = { ...status, actor: String(a.name) }),
  reference: () => reference,
  list_cases: (a) => list(a.filter as CaseFilter),
  case_detail: (a) => structuredClone(find(a.case_id)),
  open_case: (a) => {
    const intake = a.intake as { facts: string; parties: { phone: string | null }[] }
    const bad = intake.parties.findIndex((p) => p.phone === '13000000000')
    if (bad >= 0) throw invalid(`parties[${bad}].phone`, `第${bad + 1}位当事人的联系电话是空号（演示）`)
    return { id: cases[0].detail.id, number: '（2026）青山村人调字第231号' }
  },
  visit_wordings: (a) => ['双方情绪平稳，未发生新的冲突', '协议已履行，双方无异议']
    .filter((w) => w.includes(String(a.typed).trim()) && w !== String(a.typed).trim()),
  // The unit's phrasing, completing the clause being typed (demo: two clauses).
  intake_wordings: (a) => {
    const typed = String(a.typed)
    const cut = Math.max(...[...'，。；,;\n'].map((m) => typed.lastIndexOf(m)))
    const head = typed.slice(0, cut + 1)
    const frag = typed.slice(cut + 1)
    const clauses = a.field === 'facts' ? ['因宅基地边界围墙发生争执', '双方多次发生口角'] : ['要求拆除越界围墙']
    return clauses.filter((c) => frag.length > 0 && c.startsWith(frag) && c !== frag)
      .map((clause) => ({ clause, value: head + clause }))
  },
  // 张三 was a party before; with the numbers masked in the list.
  known_parties: (a) => String(a.name).trim() === '张三'
    ? [{ ...knownZhang, id_number: '4303**********0030', phone: '138****8000' }]
    : [],
  known_party: () => knownZhang,
  grade_case: (a) => act(a, (d) => {
    const g = reference.scheme.grades.find((x) => x.key === a.grade)!
    Object.assign(d, { grade: g.key, grade_name: g.name, grade_color: g.color })
    d.gradings.push({ grade: g.key, grade_name: g.name, reason: String(a.reason), on_date: daysAgo(0), unit: ME, actor: status.actor })
  }),
  close_case: (a) => act(a, (d) => {
    if (d.escalation_pending) throw { code: 'invalid_state', message: '上交待受理期间不能结案' }
    Object.assign(d, { closed_on: daysAgo(0), status: '已结案', closing_outcome: a.outcome })
  }),
  attachments: () => [],
  attach_files: () => { throw { code: 'invalid_input', message: '演示后台不保存附件', field: 'file' } },
  units: () => units,
  add_unit: ({ unit: u }): UnitRow[] => [...units, {
    code: u.code, name: u.name, short_name: u.short_name || u.name, level: u.level, parent: u.parent ?? null,
    committee: u.committee ?? null, level_name: '', seal_name: u.committee || u.name,
  }],
  mediators: () => mediators,
  add_mediator: ({ input }): MediatorSpec[] => [...mediators, { ...input, id: `m-${Date.now()}`, unit: input.unit ?? ME, active: true }],
  set_mediator_active: (a) => mediators.map((m) => (m.id === a.id ? Object.assign(m, { active: a.active }) : m)),
  stats: () => stats(),
  unit_grid: () => units.map((u, i) => ({ code: u.code, name: u.name, level: u.level, parent: u.parent, open_cases: i * 3, worst_grade: i % 3 ? 'yellow' : 'red', worst_grade_name: i % 3 ? '黄色' : '红色', worst_color: i === 5 ? null : i % 3 ? '#f2b600' : '#d93025' })),
  today: () => today(),
  sync_status: () => sync,
  sync_now: () => {
    runSync()
    return { ...sync, syncing: true }
  },
  export_bundle: () => {
    if (!sync.enrolled) throw { code: 'not_enrolled', message: '本机还没有注册到同步中心' }
    if (!sync.pending) throw { code: 'nothing_to_export', message: '本机的记录都已上传到同步中心，不需要交换文件' }
    return { path: `/home/演示/文档/调解台账/交换文件-${ME}.tjbundle`, events: sync.pending, bytes: sync.pending * 420 }
  },
}
const actions = ['record_session', 'make_agreement', 'record_performance', 'follow_up', 'escalate', 'accept_escalation',
  'return_escalation', 'request_support', 'answer_support', 'refer', 'answer_referral'] as const
for (const cmd of actions) {
  const record: (a: Commands[typeof cmd]['args']) => CaseDetail = (a) => act(a, () => {})
  handlers[cmd] = record
}

export function installMockBackend() {
  mockIPC((cmd, args) => {
    const h = (handlers as Record<string, ((a: Record<string, unknown>) => unknown) | undefined>)[cmd]
    if (!h) throw { code: 'unknown_command', message: `演示后台没有命令 ${cmd}` }
    return new Promise((resolve, reject) => setTimeout(() => {
      try {
        resolve(structuredClone(h((args ?? {}) as Record<string, unknown>)))
      } catch (e) {
        reject(e)
      }
    }, 120))
  }, { shouldMockEvents: true })
}
