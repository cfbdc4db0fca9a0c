import { expect, it } from 'vitest'
import { defaultShortName, hubTransportProblem, hubUrl, hubUrlProblem, isPlainRemote, passphraseProblems, unitCodeProblem } from './setup'

it('checks unit codes, hub addresses and short names like the ledger', () => {
  expect(unitCodeProblem('430302001001')).toBeNull()
  expect(unitCodeProblem('430302')).toBeNull()
  expect(unitCodeProblem('43A')).toContain('6至12位数字')
  expect(unitCodeProblem('4303020010011')).toContain('6至12位数字')
  expect(hubUrlProblem('http://hub:8600')).toBeNull()
  // Typed without http://: made whole, not refused.
  expect(hubUrlProblem('hub:8600')).toBeNull()
  expect(hubUrl('192.168.1.10:8600')).toBe('http://192.168.1.10:8600')
  expect(hubUrl(' localhost:8600 ')).toBe('http://localhost:8600')
  expect(hubUrl('hub.qingshan.gov.cn:8600')).toBe('https://hub.qingshan.gov.cn:8600')
  expect(hubUrl('http://hub:8600')).toBe('http://hub:8600')
  expect(hubUrlProblem('ftp://hub')).toContain('192.168.1.10:8600')
  expect(hubTransportProblem('192.168.1.10:8600', false)).toContain('不加密')
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

it('asks before plain HTTP leaves this machine', () => {
  expect(isPlainRemote('http://192.168.1.10:8600')).toBe(true)
  expect(isPlainRemote('http://127.0.0.1:8600')).toBe(false)
  expect(isPlainRemote('http://localhost:8600')).toBe(false)
  expect(isPlainRemote('https://hub.example:8600')).toBe(false)
  expect(hubTransportProblem('http://192.168.1.10:8600', false)).toContain('不加密')
  expect(hubTransportProblem('http://192.168.1.10:8600', true)).toBeNull()
  expect(hubTransportProblem('https://hub.example', false)).toBeNull()
  expect(hubTransportProblem('', true)).toBe('请填写同步中心地址')
})
