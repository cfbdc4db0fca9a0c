import { describe, expect, it } from 'vitest'
import type { CaseDetail } from '../../api/types'
import { newRiskOf } from './actions'

const withVisits = (...risks: string[]) =>
  ({ followups: risks.map((new_risk, i) => ({ id: String(i), new_risk })) }) as unknown as CaseDetail

describe('newRiskOf', () => {
  it('gives the words of a new risk the last visit found', () => {
    expect(newRiskOf(withVisits('无', ' 李四扬言要去县里上访 '))).toBe('李四扬言要去县里上访')
  })
  it('finds none where the visit said there was none, or nothing', () => {
    for (const none of ['', '无', '没有', '暂无', '无新的风险', '未发现新风险。']) {
      expect(newRiskOf(withVisits('李四扬言上访', none))).toBe('')
    }
    expect(newRiskOf(withVisits())).toBe('')
  })
})
