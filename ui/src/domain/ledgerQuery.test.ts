import { describe, expect, it } from 'vitest'
import { ledgerQueryToFilter, ledgerQueryToRoute, monthRange, parseLedgerQuery } from './ledgerQuery'

describe('ledger query', () => {
  it('round-trips through the route and drops defaults', () => {
    const q = parseLedgerQuery({ grade: 'red,yellow', type: 'neighbour', level: '2', from: '2026-11-01', page: '3', sort: 'grade', asc: '1' })
    expect(q.grades).toEqual(['red', 'yellow'])
    expect(q.level).toBe(2)
    expect(ledgerQueryToRoute(q)).toEqual({ grade: 'red,yellow', type: 'neighbour', level: '2', from: '2026-11-01', page: '3', sort: 'grade', asc: '1' })
    expect(ledgerQueryToRoute(parseLedgerQuery({}))).toEqual({})
  })

  it('ignores what it does not understand', () => {
    const q = parseLedgerQuery({ level: '9', from: 'yesterday', sort: 'colour', page: '-2' })
    expect([q.level, q.from, q.sort, q.page]).toEqual([null, null, 'received', 1])
  })

  it('makes the backend filter with server-side paging', () => {
    const f = ledgerQueryToFilter(parseLedgerQuery({ page: '2', unit: '430302001', subtree: '1', q: ' 张三 ' }))
    expect(f).toMatchObject({ offset: 50, limit: 50, scope: { unit: '430302001', subtree: true }, text: '张三' })
  })

  it('knows the length of months', () => {
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(monthRange('2024-02')?.to).toBe('2024-02-29')
    expect(monthRange('2026-12')?.to).toBe('2026-12-31')
  })
})
