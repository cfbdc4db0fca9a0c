// The sync state for the sync bar: read once, then kept current by the
// backend's "sync-status" events. `dataVersion` goes up whenever a sync
// brought events down, so lists can reload without being asked.

import { ref, shallowRef } from 'vue'
import { api } from '../api/commands'
import { AppError } from '../api/ipc'
import type { SyncStatus } from '../api/types'

const status = shallowRef<SyncStatus | null>(null)
const dataVersion = ref(0)
const now = ref(new Date())
const requestError = ref('')
let started = false
/** Whether the sync under way has brought anything down yet. */
let downloaded = false

function accept(next: SyncStatus) {
  const wasSyncing = status.value?.syncing ?? false
  if (next.syncing && !wasSyncing) downloaded = false
  if ((next.progress?.events_down ?? 0) > 0) downloaded = true
  status.value = next
  if (wasSyncing && !next.syncing && downloaded) {
    downloaded = false
    dataVersion.value++
  }
}

export async function startSync(): Promise<void> {
  if (started) return
  started = true
  window.setInterval(() => (now.value = new Date()), 30_000)
  await api.onSyncStatus(accept)
  try {
    accept(await api.syncStatus())
  } catch (e) {
    requestError.value = AppError.from(e).message
  }
}

/** What the sync bar says of a failure. No network is a village's normal
 *  day, not a fault: the records wait on this laptop (`offline`, said
 *  calmly), also while a retry is under way. Only an error while the hub
 *  answers, or a request that failed, is shown in red (`error`). The worker
 *  marks a failure offline only when it is the network's. */
export function syncNotice(s: SyncStatus | null, requestError: string): { offline: boolean, error: string } {
  const offline = !!s?.enrolled && !s.online && !requestError && !!s.last_error
  return { offline, error: offline ? '' : requestError || s?.last_error || '' }
}

/** Records wait here with no link to carry them: they can go on a USB
 *  stick (导出U盘交换文件 on the sync bar). */
export function canCarryByUsb(s: SyncStatus | null): boolean {
  return !!s?.enrolled && !s.online && s.pending > 0
}

export function useSync() {
  return {
    status,
    dataVersion,
    now,
    requestError,
    accept,
    async syncNow() {
      requestError.value = ''
      try {
        accept(await api.syncNow())
      } catch (e) {
        requestError.value = AppError.from(e).message
      }
    },
  }
}
