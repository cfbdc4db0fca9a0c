// The one door to the desktop shell: every command goes through `call`, every
// backend event through `onEvent`. Rejections become `AppError`s so screens
// can show the Chinese message and put it next to the field it names.

import { invoke, isTauri } from '@tauri-apps/api/core'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { IpcErrorPayload } from './types'

export const NOT_IN_DESKTOP = 'not_in_desktop'
export const NOT_IN_DESKTOP_MESSAGE = '请在调解台账桌面程序中打开'

export class AppError extends Error {
  readonly code: string
  readonly field: string | null

  constructor(code: string, message: string, field: string | null = null) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.field = field
  }

  /** Turns whatever a failed invoke rejected with into an AppError. */
  static from(reason: unknown): AppError {
    if (reason instanceof AppError) return reason
    if (isPayload(reason)) {
      return new AppError(reason.code, reason.message, reason.field ?? null)
    }
    if (typeof reason === 'string' && reason.trim()) {
      return new AppError('internal', reason)
    }
    if (reason instanceof Error && reason.message) {
      return new AppError('internal', `操作失败：${reason.message}`)
    }
    return new AppError('internal', '操作失败，请重试；如果反复出现，请联系技术支持')
  }
}

function isPayload(v: unknown): v is IpcErrorPayload {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return typeof o.code === 'string' && typeof o.message === 'string'
}

/** True inside the Tauri window, false in a plain browser. */
export function inDesktop(): boolean {
  const g = globalThis as Record<string, unknown>
  return isTauri() || '__TAURI_INTERNALS__' in g
}

/** Calls a backend command; rejects only with AppError. */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  if (!inDesktop()) {
    throw new AppError(NOT_IN_DESKTOP, NOT_IN_DESKTOP_MESSAGE)
  }
  try {
    return await invoke<T>(cmd, args)
  } catch (reason) {
    throw AppError.from(reason)
  }
}

/** Subscribes to a backend event; resolves to the function that unsubscribes. */
export async function onEvent<T>(name: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  if (!inDesktop()) return () => {}
  return listen<T>(name, (e) => handler(e.payload))
}
