import { defineConfig } from 'vitest/config'

// Unit tests cover the pure logic (ID numbers, phones, dates, money, the IPC
// error mapping); screens are covered by the WebDriver tests of the real window.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
