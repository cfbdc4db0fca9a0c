import { expect, it } from 'vitest'
import type { SyncStatus } from '../api/types'
import { useSync } from './useSync'

const base: SyncStatus = {
  enrolled: true, hub_url: 'http://hub:8600', online: true, syncing: false, pending: 0, last_sync: null,
  last_error: null, progress: null, clock_warning: null, recovery_note: null, unstable: null,
}
const progress = (down: number) => ({ events_up: 0, bytes_up: 0, pending_up: 0, events_down: down, bytes_down: 0 })

it('asks lists to reload after a sync that brought events down, and only then', () => {
  const { accept, dataVersion } = useSync()
  const start = dataVersion.value
  accept({ ...base, syncing: true, progress: progress(0) })
  accept({ ...base, syncing: false, progress: null })
  expect(dataVersion.value).toBe(start)
  accept({ ...base, syncing: true, progress: progress(0) })
  accept({ ...base, syncing: true, progress: progress(12) })
  accept({ ...base, syncing: false, progress: null })
  expect(dataVersion.value).toBe(start + 1)
})
