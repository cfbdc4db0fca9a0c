import { expect, it } from 'vitest'
import { defaultShortName, hubUrlProblem, unitCodeProblem } from './setup'

it('checks unit codes, hub addresses and short names like the ledger', () => {
  expect(unitCodeProblem('430302001001')).toBeNull()
  expect(unitCodeProblem('430302')).toBeNull()
  expect(unitCodeProblem('43A')).toContain('6至12位数字')
  expect(unitCodeProblem('4303020010011')).toContain('6至12位数字')
  expect(hubUrlProblem('http://hub:8600')).toBeNull()
  expect(hubUrlProblem('hub:8600')).toContain('http://')
  expect(defaultShortName('青山村人民调解委员会')).toBe('青山村')
  expect(defaultShortName('青山村调解室')).toBe('青山村')
  expect(defaultShortName('调解室')).toBe('调解室')
})
