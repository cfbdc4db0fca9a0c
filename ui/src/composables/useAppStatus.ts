// Who and where this laptop is: loaded once at start, replaced by whatever
// setup_* / set_actor / enroll_later return.

import { computed, shallowRef } from 'vue'
import { api } from '../api/commands'
import type { AppStatus } from '../api/types'

const status = shallowRef<AppStatus | null>(null)

export function useAppStatus() {
  return {
    status,
    /** This device's unit code ("" before setup). */
    unitCode: computed(() => status.value?.device?.unit_code ?? status.value?.unit?.code ?? ''),
    unitName: computed(() => status.value?.unit?.name ?? ''),
    actor: computed(() => status.value?.actor ?? ''),
    async refresh(): Promise<AppStatus> {
      status.value = await api.appStatus()
      return status.value
    },
    set(next: AppStatus) {
      status.value = next
    },
  }
}
