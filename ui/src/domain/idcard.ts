// The 18-character resident ID number of GB 11643-1999, checked as it is
// typed. Mirrors crates/tiaojie-ledger/src/domain/identity.rs so the form
// says what the ledger would say, before the person presses 保存.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'
/** Provinces, plus Taiwan (71), Hong Kong (81), Macao (82) and 83. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
  53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
])

export type Gender = 'male' | 'female'

export interface IdFacts {
  /** "YYYY-MM-DD" */
  birthDate: string
  gender: Gender
}

export type IdCheck = { ok: true; facts: IdFacts } | { ok: false; message: string }

/** The check character for the first 17 digits, or null if they are not 17 digits. */
export function checkChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

function localToday(): string {
  const d = new Date()
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** "YYYYMMDD" to "YYYY-MM-DD" if it is a real calendar date. */
function calendarDate(yyyymmdd: string): string | null {
  if (!/^\d{8}$/.test(yyyymmdd)) return null
  const y = Number(yyyymmdd.slice(0, 4))
  const m = Number(yyyymmdd.slice(4, 6))
  const d = Number(yyyymmdd.slice(6, 8))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return null
  }
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`
}

/**
 * The problem with a partly typed ID number, or null. While `typing`, a
 * number that is merely short is not a problem yet; anything already wrong
 * in what was typed is reported at once.
 */
export function idProblem(input: string, typing = false, today = localToday()): string | null {
  const id = input.trim()
  if (!id) return null
  const chars = [...id]
  if (chars.length > 18) return `身份证号应为18位，现为${chars.length}位`
  const head = chars.slice(0, 17)
  const bad = head.findIndex((c) => !/^\d$/.test(c))
  if (bad >= 0) {
    return bad === chars.length - 1 && chars.length < 18 && /^[xX]$/.test(chars[bad])
      ? '身份证号只有最后一位（第18位）可以是X'
      : '身份证号前17位应全为数字'
  }
  if (chars.length >= 2 && !PROVINCES.has(Number(id.slice(0, 2)))) {
    return `身份证号前两位“${id.slice(0, 2)}”不是有效的省级行政区划代码`
  }
  if (chars.length >= 14) {
    const birth = calendarDate(id.slice(6, 14))
    if (!birth) return `身份证号中的出生日期“${id.slice(6, 14)}”无效`
    if (birth < '1900-01-01' || birth > today) {
      return `身份证号中的出生日期“${id.slice(6, 14)}”不在合理范围内`
    }
  }
  if (chars.length < 18) {
    return typing ? null : `身份证号应为18位，现为${chars.length}位`
  }
  const last = chars[17].toUpperCase()
  if (!/^[\dX]$/.test(last)) return '身份证号最后一位应为数字或X'
  const expected = checkChar(id.slice(0, 17))
  if (expected !== last) {
    return ID_MISREAD
  }
  return null
}

/** Does not say which last character would be right: the number was misread
 *  or mistyped somewhere, and the card must be read again, not the last
 *  character changed to fit. */
export const ID_MISREAD = '身份证号有一位不对（校验位对不上），请拿身份证逐位核对，不要只改最后一位'

/** Checks a complete ID number and reads the birth date and gender in it. */
export function checkIdNumber(input: string, today = localToday()): IdCheck {
  const problem = idProblem(input, false, today)
  if (problem) return { ok: false, message: problem }
  const id = input.trim()
  if (!id) return { ok: false, message: '请填写身份证号' }
  return {
    ok: true,
    facts: {
      birthDate: calendarDate(id.slice(6, 14)) as string,
      gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    },
  }
}
