// Entry of mock.html: the real app over the mock backend. Warnings and errors
// are also kept in `window.__mockLog` for scripted checks.
import { installMockBackend } from './backend'

const log: string[] = []
;(window as unknown as { __mockLog: string[] }).__mockLog = log
for (const level of ['warn', 'error'] as const) {
  const original = console[level].bind(console)
  console[level] = (...args: unknown[]) => {
    log.push(`${level}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`)
    original(...args)
  }
}
window.addEventListener('error', (e) => log.push(`uncaught: ${e.message}`))
window.addEventListener('unhandledrejection', (e) => log.push(`unhandled: ${JSON.stringify(e.reason)}`))

installMockBackend()
import('../main')
