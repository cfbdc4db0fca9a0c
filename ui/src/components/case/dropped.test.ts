import { describe, expect, it } from 'vitest'
import { attachableName } from './dropped'

describe('a dropped folder', () => {
  it('keeps photos and scans by name and leaves videos and hidden thumbnails', () => {
    for (const name of ['IMG_0001.JPG', 'scan.pdf', 'a.jpeg', 'b.png', 'c.webp']) expect(attachableName(name)).toBe(true)
    for (const name of ['VID_0003.mp4', '.thumb.jpg', 'notes.txt', 'jpg']) expect(attachableName(name)).toBe(false)
  })
})
