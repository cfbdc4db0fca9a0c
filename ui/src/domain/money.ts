// Money is integer fen in the ledger and yuan on the screen.

/** "3000.50" for 300050 fen. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(fen))
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** "3,000.50 元" style for reading. */
export function formatYuan(fen: number): string {
  const [whole, frac] = fenToYuan(fen).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return frac === '00' ? `${grouped} 元` : `${grouped}.${frac} 元`
}

/**
 * Yuan as a person writes it ("3000", "3,000.5", "12.34元") to fen, or null
 * if it is not an amount. Mirrors `Fen::parse_yuan`.
 */
export function yuanToFen(text: string): number | null {
  let t = text.trim().replace(/[,，]/g, '')
  if (t.endsWith('元')) t = t.slice(0, -1)
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(t)
  if (!m) return null
  const whole = Number(m[1])
  if (whole > 1_000_000_000_000) return null
  const frac = Number((m[2] ?? '').padEnd(2, '0'))
  return whole * 100 + frac
}

/** The problem with an amount in yuan, or null; empty is not a problem. */
export function amountProblem(text: string): string | null {
  if (!text.trim()) return null
  return yuanToFen(text) === null ? `金额“${text.trim()}”格式不对，应为元，最多两位小数，如 3000.50` : null
}
