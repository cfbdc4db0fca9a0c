// 字号: 标准 / 大 / 特大, kept per user on this laptop. The whole window is
// scaled as a browser's zoom does (the layout reflows to the smaller
// viewport, so dialogs still fit), not only the text.

import { ref } from 'vue'
import { isTauri } from '@tauri-apps/api/core'

export const TEXT_SIZES = [
  { key: 'standard', label: '标准', scale: 1 },
  { key: 'large', label: '大', scale: 1.15 },
  { key: 'xlarge', label: '特大', scale: 1.3 },
] as const
export type TextSizeKey = (typeof TEXT_SIZES)[number]['key']

const current = ref<TextSizeKey>('standard')
let owner = ''

// Per ledger (its device id) and per user: another ledger on this laptop,
// or another person, keeps a size of their own. The laptop's last choice
// serves the screens before anyone signs in (解锁, 登录, 首次设置) and a
// user who has not chosen yet.
const storageKey = (owner: string) => `tiaojie.textSize.${owner}`
const LAPTOP = 'laptop'

function stored(key: string): TextSizeKey | null {
  const v = globalThis.localStorage?.getItem(storageKey(key))
  return TEXT_SIZES.some((s) => s.key === v) ? (v as TextSizeKey) : null
}

let applied = 1

/** Zooms the window to the size's scale, unless it is zoomed so already (a
 *  zoom relayouts the whole page). */
async function apply(key: TextSizeKey) {
  const scale = TEXT_SIZES.find((s) => s.key === key)?.scale ?? 1
  if (scale === applied) return
  applied = scale
  if (isTauri()) {
    const { getCurrentWebview } = await import('@tauri-apps/api/webview')
    await getCurrentWebview().setZoom(scale)
  } else {
    // The browser preview: CSS zoom is close enough.
    document.documentElement.style.setProperty('zoom', String(scale))
  }
}

/** Zooms, then marks the size chosen on the switch. */
async function show(key: TextSizeKey) {
  await apply(key).catch(() => {})
  current.value = key
}

export function useTextSize() {
  return {
    current,
    /** The size this user chose last time (in this ledger), applied; with
     *  no user, or none chosen, the laptop's last choice. */
    async restore(device: string, user: string) {
      owner = `${device}.${user || '本机'}`
      await show(stored(owner) ?? stored(LAPTOP) ?? 'standard')
    },
    /** Before sign-in: the laptop's last choice. */
    async restoreLaptop() {
      owner = ''
      await show(stored(LAPTOP) ?? 'standard')
    },
    async choose(key: TextSizeKey) {
      if (owner) globalThis.localStorage?.setItem(storageKey(owner), key)
      globalThis.localStorage?.setItem(storageKey(LAPTOP), key)
      await show(key)
    },
  }
}
