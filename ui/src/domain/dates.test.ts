import { describe, expect, it } from 'vitest'
import { chineseDate, daysBetween, relativeTime } from './dates'

describe('dates', () => {
  const now = new Date(2026, 10, 24, 15, 0, 0)
  const at = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).toISOString()

  it('says how long ago in words', () => {
    expect(relativeTime(null, now)).toBe('从未')
    expect(relativeTime(new Date(2026, 10, 24, 14, 59, 30).toISOString(), now)).toBe('刚刚')
    expect(relativeTime(at(24, 14, 59), now)).toBe('1分钟前')
    expect(relativeTime(at(24, 14, 30), now)).toBe('30分钟前')
    expect(relativeTime(at(24, 12, 0), now)).toBe('3小时前')
    expect(relativeTime(at(23, 9, 5), now)).toBe('昨天 09:05')
    expect(relativeTime(at(20, 9, 5), now)).toBe('4天前')
  })

  it('writes dates the paper way and counts days', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日')
    expect(daysBetween('2026-11-01', '2026-12-01')).toBe(30)
  })
})
