import { describe, expect, it } from 'vitest'
import { normalisePhone, phoneProblem } from './phone'

describe('phone numbers', () => {
  it('accepts mobiles and landlines as the ledger does', () => {
    expect(normalisePhone('13800138000')).toBe('13800138000')
    expect(normalisePhone('+86 138 0013 8000')).toBe('13800138000')
    expect(normalisePhone('0731-88888888')).toBe('0731-88888888')
    expect(normalisePhone('010-1234567')).toBe('010-1234567')
    expect(normalisePhone('073188888888')).toBe('073188888888')
    expect(normalisePhone('0731-88888888-123')).toBe('0731-88888888-123')
  })

  it('refuses the rest', () => {
    for (const bad of ['123', '12800138000', '1380013800', '731-88888888', '0731-888', '0731-88888888-1234567', '0731-8888-88-1']) {
      expect(normalisePhone(bad), bad).toBeNull()
      expect(phoneProblem(bad), bad).toContain('格式不对')
    }
  })

  it('waits for a number still being typed, but not for one that cannot become valid', () => {
    expect(phoneProblem('138', true)).toBeNull()
    expect(phoneProblem('0731-88', true)).toBeNull()
    expect(phoneProblem('128', true)).toBe('手机号第二位应为3至9')
    expect(phoneProblem('13a', true)).toBe('联系电话只能包含数字和“-”')
    expect(phoneProblem('', true)).toBeNull()
  })
})
