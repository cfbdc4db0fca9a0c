// Checks for the first-run form and the organisation screen, mirroring
// domain/unit.rs so mistakes show before anything is sent.

export const LEVELS = [
  { value: 1, label: '一级调解室', hint: '村（社区）调解室' },
  { value: 2, label: '二级调解中心', hint: '派出所、乡镇（街道）调解中心' },
  { value: 3, label: '三级调解中心', hint: '区县矛盾纠纷调解中心' },
] as const

export function levelLabel(level: number | null | undefined): string {
  return LEVELS.find((l) => l.value === level)?.label ?? '未知层级'
}

export function unitCodeProblem(code: string): string | null {
  const c = code.trim()
  if (!c) return '请填写单位代码'
  return /^\d{6,12}$/.test(c) ? null : `单位代码“${c}”应为6至12位数字（村级为12位统计用区划代码）`
}

export function unitNameProblem(name: string): string | null {
  const n = name.trim()
  if (!n) return '请填写单位名称'
  return [...n].length > 60 ? '单位名称应为1至60字' : null
}

export function shortNameProblem(short: string): string | null {
  return [...short.trim()].length > 20 ? '单位简称应为1至20字' : null
}

/** The short name case numbers use when none is given (unit.rs `default_short_name`). */
export function defaultShortName(name: string): string {
  const suffixes = ['人民调解委员会', '调解委员会', '调委会', '矛盾纠纷调解中心', '调解中心', '调解室']
  const n = name.trim()
  for (const s of suffixes) {
    if (n.endsWith(s) && n.length > s.length) return n.slice(0, n.length - s.length)
  }
  return n
}

// (A constant, not template text: vue-tsc misreads "//" inside static attributes.)
export const HUB_URL_EXAMPLE = '如 192.168.1.10:8600 或 https://hub.qingshan.gov.cn:8600'

/** The hub address as typed, made whole: "192.168.1.10:8600" (an address on
 *  the office network, or this machine) becomes http://…, a name such as
 *  "hub.qingshan.gov.cn" https://…; an address with its scheme stays. */
export function hubUrl(typed: string): string {
  const u = typed.trim()
  if (!u || /^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return u
  const host = u.split(/[/:]/)[0].toLowerCase()
  const local = host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)
  return `${local ? 'http' : 'https'}://${u}`
}

export function hubUrlProblem(url: string): string | null {
  const u = hubUrl(url)
  if (!u) return '请填写同步中心地址'
  try {
    const parsed = new URL(u)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme')
    if (!parsed.hostname) throw new Error('host')
    return null
  } catch {
    return `地址“${url.trim()}”不对：请照管理员给的地址填写，如 192.168.1.10:8600 或 https://hub.qingshan.gov.cn:8600`
  }
}

/** A passphrase of at least 6 characters, typed the same twice. */
export function passphraseProblems(p: string, again: string): { passphrase?: string, passphrase2?: string } {
  if ([...p].length < 6) return { passphrase: '口令至少 6 个字符' }
  if (p !== again) return { passphrase2: '两次输入的口令不一致' }
  return {}
}

/** Plain HTTP to another machine: personal data would cross the network in the clear. */
export function isPlainRemote(url: string): boolean {
  try {
    const u = new URL(hubUrl(url))
    if (u.protocol !== 'http:') return false
    const host = u.hostname.replace(/^\[|\]$/g, '')
    return !(host === 'localhost' || host === '::1' || /^127\./.test(host))
  } catch {
    return false
  }
}

/** The hub address, and whether plain HTTP has been allowed for it. */
export function hubTransportProblem(url: string, allowHttp: boolean): string | null {
  return hubUrlProblem(url) ?? (isPlainRemote(url) && !allowHttp
    ? '这个地址不加密（http://），当事人信息会以明文经过网络：请使用 https://，或确认是内部网络后勾选“允许不加密的连接”'
    : null)
}
