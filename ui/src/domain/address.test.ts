import { describe, expect, it } from 'vitest'
import { addressOnBlur, addressOnFocus, homePlace } from './address'

describe('homePlace', () => {
  it('is the village or community a level-1 room is named after', () => {
    expect(homePlace('青山村调解室', 1)).toBe('青山村')
    expect(homePlace('青山村人民调解委员会', 1)).toBe('青山村')
    expect(homePlace('东风社区调委会', 1)).toBe('东风社区')
    expect(homePlace(' 石门村村委会 ', 1)).toBe('石门村')
  })
  it('is empty above level 1 or for a name that is no place', () => {
    expect(homePlace('双马派出所调解中心', 2)).toBe('')
    expect(homePlace('青山村调解室', 2)).toBe('')
    expect(homePlace('青山村', 1)).toBe('')
    expect(homePlace('第一调解室', 1)).toBe('')
    expect(homePlace('', 1)).toBe('')
    expect(homePlace('青山村调解室', null)).toBe('')
  })
})

describe('the address field', () => {
  it('starts with the place when empty, keeps what was typed', () => {
    expect(addressOnFocus('', '青山村')).toBe('青山村')
    expect(addressOnFocus('  ', '青山村')).toBe('青山村')
    expect(addressOnFocus('石门村二组', '青山村')).toBe('石门村二组')
    expect(addressOnFocus('', '')).toBe('')
  })
  it('drops the place alone when left without more', () => {
    expect(addressOnBlur('青山村', '青山村')).toBe('')
    expect(addressOnBlur('青山村 ', '青山村')).toBe('')
    expect(addressOnBlur('青山村三组', '青山村')).toBe('青山村三组')
    expect(addressOnBlur('', '青山村')).toBe('')
    expect(addressOnBlur('三组', '')).toBe('三组')
  })
})
