// Chinese phone numbers as the ledger accepts them (identity.rs
// `validate_phone`): an 11-digit mobile 1[3-9]xxxxxxxxx, or a landline with
// its area code (0731-88888888, dash optional, extension after a second dash).

const digits = (s: string) => /^\d+$/.test(s)

/** The number as the ledger stores it (spaces and +86 removed), or null. */
export function normalisePhone(input: string): string | null {
  let p = input.replace(/\s+/g, '')
  if (p.startsWith('+86')) p = p.slice(3)
  const mobile = p.length === 11 && digits(p) && /^1[3-9]/.test(p)
  if (mobile) return p
  const parts = p.split('-')
  const first = parts[0] ?? ''
  let area: string
  let local: string
  let rest: string[]
  if (first.length > 9) {
    area = ''
    local = first
    rest = parts.slice(1)
  } else {
    area = first
    local = parts[1] ?? ''
    rest = parts.slice(2)
  }
  const extOk = rest.length === 0 || (rest.length === 1 && digits(rest[0]) && rest[0].length <= 6)
  const landline = area === ''
    ? digits(local) && local.startsWith('0') && local.length >= 10 && local.length <= 12 && extOk
    : digits(area) && area.startsWith('0') && area.length >= 3 && area.length <= 4
      && digits(local) && local.length >= 7 && local.length <= 8 && extOk
  return landline ? p : null
}

/** The problem with a phone number, or null; empty is not a problem. */
export function phoneProblem(input: string, typing = false): string | null {
  const p = input.trim()
  if (!p) return null
  if (normalisePhone(p)) return null
  if (/[^\d\s+-]/.test(p)) return '联系电话只能包含数字和“-”'
  if (typing) {
    // Still typing: only complain once it cannot become valid by adding digits.
    const compact = p.replace(/\s+/g, '').replace(/^\+86/, '')
    if (/^1/.test(compact) && compact.length < 11 && digits(compact)) {
      return /^1[0-2]/.test(compact) ? '手机号第二位应为3至9' : null
    }
    if (/^0/.test(compact) && compact.replace(/-/g, '').length < 10) return null
  }
  return `联系电话“${p}”格式不对：应为11位手机号（如13800138000）或带区号的固话（如0731-88888888）`
}
