import { describe, expect, it } from 'vitest'
import { amountProblem, fenToYuan, formatYuan, yuanToFen } from './money'

describe('money', () => {
  it('reads yuan as the ledger does', () => {
    expect(yuanToFen('3000')).toBe(300_000)
    expect(yuanToFen('3,000.5')).toBe(300_050)
    expect(yuanToFen('12.34元')).toBe(1234)
    for (const bad of ['-1', '1.234', 'abc', '', '1.2.3', '1e5']) expect(yuanToFen(bad), bad).toBeNull()
    expect(amountProblem('1.234')).toContain('格式不对')
    expect(amountProblem('')).toBeNull()
  })

  it('writes fen as yuan', () => {
    expect(fenToYuan(300_050)).toBe('3000.50')
    expect(fenToYuan(5)).toBe('0.05')
    expect(formatYuan(300_000)).toBe('3,000 元')
    expect(formatYuan(123_456_789)).toBe('1,234,567.89 元')
  })
})
