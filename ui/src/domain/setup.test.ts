import { expect, it } from 'vitest'
import { defaultShortName, hubUrlProblem, passphraseProblems, unitCodeProblem } from './setup'

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

it('wants a passphrase of six characters, typed the same twice', () => {
    expect(passphraseProblems('12345', '12345').passphrase).toContain('至少 6 个字符')
    expect(passphraseProblems('青山村调解', '青山村调解').passphrase).toContain('至少 6 个字符')
    expect(passphraseProblems('青山村调解室', '青山村调解')).toEqual({ passphrase2: '两次输入的口令不一致' })
  expect(passphraseProblems('青山村调解室', '青山村调解室')).toEqual({})
})
