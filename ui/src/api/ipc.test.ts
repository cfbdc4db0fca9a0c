import { describe, expect, it } from 'vitest'
import { AppError, NOT_IN_DESKTOP, call } from './ipc'

describe('AppError', () => {
  it('keeps code, message and field of a command error', () => {
    const e = AppError.from({ code: 'invalid_input', message: '请填写纠纷简要情况', field: 'facts' })
    expect(e).toBeInstanceOf(AppError)
    expect([e.code, e.message, e.field]).toEqual(['invalid_input', '请填写纠纷简要情况', 'facts'])
    expect(AppError.from({ code: 'not_found', message: '找不到案件：x' }).field).toBeNull()
  })

  it('turns anything else into an internal error with a Chinese message', () => {
    expect(AppError.from('连接中断').message).toBe('连接中断')
    expect(AppError.from(undefined).code).toBe('internal')
    expect(AppError.from(new Error('boom')).message).toContain('boom')
  })

  it('refuses politely outside the desktop window', async () => {
    await expect(call('app_status')).rejects.toMatchObject({ code: NOT_IN_DESKTOP })
  })
})
