import { expect, it } from 'vitest'
import type { SyncStatus } from '../api/types'
import { syncNotice, useSync } from './useSync'

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

it('says a lost link calmly, also while a retry is under way, and a hub refusal in red', () => {
  const down = { ...base, online: false, last_error: '无法连接同步中心：连接不上', pending: 3 }
  expect(syncNotice(down, '')).toEqual({ offline: true, error: '' })
  expect(syncNotice({ ...down, syncing: true }, '')).toEqual({ offline: true, error: '' })
  // The hub answered and refused: online, with the error, in red.
  const refused = { ...base, online: true, last_error: '设备已被停用' }
  expect(syncNotice(refused, '')).toEqual({ offline: false, error: '设备已被停用' })
  // A request of this screen that failed is said in red.
  expect(syncNotice(down, '同步请求失败')).toEqual({ offline: false, error: '同步请求失败' })
  expect(syncNotice({ ...base, enrolled: false, online: false }, '')).toEqual({ offline: false, error: '' })
  expect(syncNotice(null, '')).toEqual({ offline: false, error: '' })
})
