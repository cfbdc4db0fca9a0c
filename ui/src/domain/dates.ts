// Dates as the ledger writes them ("YYYY-MM-DD", the laptop's local day) and
// times as people read them.

const pad = (n: number) => String(n).padStart(2, '0')

export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function todayIso(): string {
  return isoDate(new Date())
}

/** "2026年11月24日" */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`
}

/** "2026-11-24 14:05" in local time, for an RFC 3339 instant. */
export function localDateTime(rfc3339: string | null | undefined): string {
  if (!rfc3339) return ''
  const d = new Date(rfc3339)
  if (Number.isNaN(d.getTime())) return rfc3339
  return `${isoDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "刚刚", "5分钟前", "2小时前", "昨天 14:05", "3天前", or the date. */
export function relativeTime(rfc3339: string | null | undefined, now = new Date()): string {
  if (!rfc3339) return '从未'
  const d = new Date(rfc3339)
  if (Number.isNaN(d.getTime())) return rfc3339
  const seconds = Math.round((now.getTime() - d.getTime()) / 1000)
  if (seconds < -60) return localDateTime(rfc3339)
  if (seconds < 60) return '刚刚'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}分钟前`
  const hours = Math.floor(minutes / 60)
  if (hours < 24 && isoDate(d) === isoDate(now)) return `${hours}小时前`
  const yesterday = new Date(now)
  yesterday.setDate(now.getDate() - 1)
  if (isoDate(d) === isoDate(yesterday)) return `昨天 ${pad(d.getHours())}:${pad(d.getMinutes())}`
  const days = Math.floor(hours / 24)
  if (days < 30) return `${Math.max(days, 1)}天前`
  return isoDate(d)
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"). */
export function daysBetween(from: string, to: string): number {
  const a = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))
  const b = Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10))
  return Math.round((b - a) / 86_400_000)
}
