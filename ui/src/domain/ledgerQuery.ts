// The ledger's filter lives in the route query, so that the statistics page
// can link to "these cases", and Back returns to the same page of results.

import type { CaseFilter, CaseStatusKey, DisputeTypeKey, SortKey } from '../api/types'

export const PAGE_SIZE = 50

export interface LedgerQuery {
  grades: string[]
  statuses: CaseStatusKey[]
  types: DisputeTypeKey[]
  level: number | null
  from: string | null
  to: string | null
  text: string
  /** Scope: this unit, and with `subtree` every unit below it. */
  unit: string | null
  subtree: boolean
  sort: SortKey
  ascending: boolean
  page: number
}

type RawQuery = Record<string, string | null | (string | null)[] | undefined>

const SORTS: SortKey[] = ['received', 'number', 'grade', 'status']

function one(v: RawQuery[string]): string {
  const s = Array.isArray(v) ? v[0] : v
  return (s ?? '').trim()
}

function list(v: RawQuery[string]): string[] {
  return one(v).split(',').map((s) => s.trim()).filter(Boolean)
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)

export function parseLedgerQuery(q: RawQuery): LedgerQuery {
  const level = Number(one(q.level))
  const page = Number(one(q.page))
  const sort = one(q.sort) as SortKey
  return {
    grades: list(q.grade),
    statuses: list(q.status) as CaseStatusKey[],
    types: list(q.type) as DisputeTypeKey[],
    level: [1, 2, 3].includes(level) ? level : null,
    from: isDate(one(q.from)) ? one(q.from) : null,
    to: isDate(one(q.to)) ? one(q.to) : null,
    text: one(q.q),
    unit: one(q.unit) || null,
    subtree: one(q.subtree) === '1',
    sort: SORTS.includes(sort) ? sort : 'received',
    ascending: one(q.asc) === '1',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  }
}

/** The query for `l`, leaving out whatever is at its default. */
export function ledgerQueryToRoute(l: LedgerQuery): Record<string, string> {
  const out: Record<string, string> = {}
  if (l.grades.length) out.grade = l.grades.join(',')
  if (l.statuses.length) out.status = l.statuses.join(',')
  if (l.types.length) out.type = l.types.join(',')
  if (l.level) out.level = String(l.level)
  if (l.from) out.from = l.from
  if (l.to) out.to = l.to
  if (l.text.trim()) out.q = l.text.trim()
  if (l.unit) out.unit = l.unit
  if (l.unit && l.subtree) out.subtree = '1'
  if (l.sort !== 'received') out.sort = l.sort
  if (l.ascending) out.asc = '1'
  if (l.page > 1) out.page = String(l.page)
  return out
}

export function ledgerQueryToFilter(l: LedgerQuery): CaseFilter {
  return {
    grades: l.grades,
    statuses: l.statuses,
    dispute_types: l.types,
    level: l.level,
    scope: l.unit ? { unit: l.unit, subtree: l.subtree } : null,
    received_from: l.from,
    received_to: l.to,
    text: l.text.trim() || null,
    sort: l.sort,
    ascending: l.ascending,
    offset: (l.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  }
}

/** First and last day of a "YYYY-MM" month. */
export function monthRange(month: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) return null
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}
