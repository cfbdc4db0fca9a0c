import { describe, expect, it } from 'vitest'
import type { KnownParty } from '../api/types'
import {
  emptyIntake, emptyParty, fillFromKnown, intakeProblems, partyProblems, toIntake, worthLookingUp,
} from './intakeForm'

describe('the intake form', () => {
  const filled = () => {
    const d = emptyIntake('2026-11-24')
    d.dispute_type = 'neighbour'
    d.facts = '因排水沟堵塞发生争执'
    d.parties[0].name = '张三'
    d.parties[0].id_number = '11010519491231002X'
    return d
  }

  it('sends only the parties that were filled in, with empty fields as null', () => {
    const intake = toIntake(filled())
    expect(intake.parties).toHaveLength(1)
    expect(intake.parties[0]).toMatchObject({ side: 'applicant', name: '张三', phone: null, id_number: '11010519491231002X' })
    expect(intake.amount).toBeNull()
    expect(intakeProblems(filled())).toEqual({})
  })

  it('names the fields that are wrong with the ledger\'s paths', () => {
    const d = filled()
    d.facts = ' '
    d.amount = '1.234'
    d.parties[1].name = '李四'
    d.parties[1].phone = '123'
    d.parties[1].id_number = '110105194912310021'
    d.people_involved = 1
    expect(Object.keys(intakeProblems(d)).sort()).toEqual(
      ['amount', 'facts', 'parties[1].id_number', 'parties[1].phone', 'people_involved'],
    )
  })

  it('compares gender and birth date with the ID number', () => {
    const p = filled().parties[0]
    p.gender = 'male'
    p.birth_date = '1950-01-01'
    const problems = partyProblems(p, true)
    expect(problems.gender).toContain('女')
    expect(problems.birth_date).toContain('1949-12-31')
  })

  it('wants an applicant', () => {
    const d = filled()
    d.parties[0].side = 'respondent'
    expect(intakeProblems(d).parties).toBe('至少要有一位申请人')
  })
})

describe('a person registered before', () => {
  const known = (numbers: 'full' | 'masked'): KnownParty => ({
    case_id: 'c1', idx: 0, number: '（2026）青山村人调字第3号', received_on: '2026-03-01', name: '张三',
    gender: 'male', ethnicity: '汉族', birth_date: '1958-07-12', age: null, occupation: '农民',
    phone: numbers === 'full' ? '13800138000' : '138****8000',
    address: '青山村三组',
    id_number: numbers === 'full' ? '430302195807120030' : '4303**********0030',
  })

  it('fills what is still empty, numbers only in full', () => {
    const p = emptyParty('applicant')
    p.name = '张三'
    p.address = '青山村四组'
    fillFromKnown(p, known('full'), true)
    expect(p).toMatchObject({
      name: '张三', gender: 'male', ethnicity: '汉族', birth_date: '1958-07-12', occupation: '农民',
      address: '青山村四组', phone: '13800138000', id_number: '430302195807120030', age: null,
    })
    const q = emptyParty('respondent')
    q.name = '张三'
    fillFromKnown(q, known('masked'), false)
    expect(q).toMatchObject({ gender: 'male', address: '青山村三组', phone: '', id_number: '' })
  })

  it('is looked up by a name with no numbers typed yet', () => {
    const p = emptyParty('applicant')
    expect(worthLookingUp(p)).toBe(false)
    p.name = ' 张三 '
    expect(worthLookingUp(p)).toBe(true)
    p.phone = '138'
    expect(worthLookingUp(p)).toBe(false)
  })
})
