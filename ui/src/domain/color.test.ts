import { expect, it } from 'vitest'
import { textOn } from './color'

it('puts dark text on yellow and white text on red and green', () => {
  expect(textOn('#f2b600')).toBe('#1f2329')
  expect(textOn('#d93025')).toBe('#ffffff')
  expect(textOn('#1e8e3e')).toBe('#ffffff')
  expect(textOn(null)).toBe('#1f2329')
})
