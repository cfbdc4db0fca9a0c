import { describe, expect, it } from 'vitest'
import { checkChar, checkIdNumber, idProblem } from './idcard'

const TODAY = '2026-11-24'

/** A valid number from 17 digits. */
const withCheck = (first17: string) => first17 + checkChar(first17)

describe('GB 11643 ID numbers', () => {
  it('accepts the worked example of the standard and reads birth and gender', () => {
    const r = checkIdNumber('11010519491231002X', TODAY)
    expect(r).toEqual({ ok: true, facts: { birthDate: '1949-12-31', gender: 'female' } })
    expect(checkIdNumber('11010519491231002x', TODAY).ok).toBe(true)
  })

  it('computes check characters with the weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2', () => {
    expect(checkChar('11010519491231002')).toBe('X')
    expect(checkChar('43030219900101123')).toBe(withCheck('43030219900101123').slice(-1))
    expect(checkChar('1234')).toBeNull()
    const male = withCheck('43030219900101123')
    expect(checkIdNumber(male, TODAY)).toEqual({ ok: true, facts: { birthDate: '1990-01-01', gender: 'male' } })
  })

  it('names a wrong check character and what it should be', () => {
    expect(idProblem('110105194912310021', false, TODAY)).toBe(
      '身份证号有一位不对（校验位对不上），请拿身份证逐位核对，不要只改最后一位',
    )
  })

  it('reports problems as soon as they are typed, but not a number that is merely short', () => {
    expect(idProblem('1101', true, TODAY)).toBeNull()
    expect(idProblem('1101', false, TODAY)).toBe('身份证号应为18位，现为4位')
    expect(idProblem('99', true, TODAY)).toContain('不是有效的省级行政区划代码')
    expect(idProblem('1101a', true, TODAY)).toBe('身份证号前17位应全为数字')
    expect(idProblem('1101X', true, TODAY)).toBe('身份证号只有最后一位（第18位）可以是X')
    expect(idProblem('11010519491331', true, TODAY)).toBe('身份证号中的出生日期“19491331”无效')
    expect(idProblem('11010520990101', true, TODAY)).toContain('不在合理范围内')
    expect(idProblem('11010518990101', true, TODAY)).toContain('不在合理范围内')
    expect(idProblem('11010519491231002X1', true, TODAY)).toBe('身份证号应为18位，现为19位')
    expect(idProblem('11010519491231002Y', true, TODAY)).toBe('身份证号最后一位应为数字或X')
    expect(idProblem('', true, TODAY)).toBeNull()
  })

  it('rejects 29 February outside leap years', () => {
    expect(idProblem(withCheck('11010520000229002'), false, TODAY)).toBeNull()
    expect(idProblem('11010519990229', true, TODAY)).toContain('无效')
  })
})
