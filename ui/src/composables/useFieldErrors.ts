// Errors of a form: the server's `field` path put next to that field, any
// other error above the form. Field paths look like `facts`,
// `parties[1].id_number`, `terms[0].due`, `on`.

import { reactive, ref, watch } from 'vue'
import { AppError } from '../api/ipc'

export function useFieldErrors(alias: (field: string, error: AppError) => string | null = (f) => f) {
  const fields = reactive<Record<string, string>>({})
  const general = ref('')

  function clear(field?: string) {
    if (field === undefined) {
      for (const k of Object.keys(fields)) delete fields[k]
      general.value = ''
    } else {
      delete fields[field]
    }
  }

  /** Shows `reason`; returns the field it was put at, if any. */
  function show(reason: unknown, known?: (field: string) => boolean): string | null {
    const e = AppError.from(reason)
    clear()
    const field = e.field ? alias(e.field.replace(/^input\./, ''), e) : null
    if (field && (!known || known(field))) {
      fields[field] = e.message
      return field
    }
    general.value = e.message
    return null
  }

  /**
   * Drops a field's error as soon as its value changes: the message was
   * about what was typed before. Nested paths (`terms[0].due`) go with
   * their field (`terms`).
   */
  function clearOnChange(source: () => Record<string, unknown>) {
    const snapshot = () =>
      Object.fromEntries(Object.entries(source()).map(([k, v]) => [k, JSON.stringify(v)]))
    let last = snapshot()
    watch(snapshot, (now) => {
      for (const k of Object.keys(now)) {
        if (now[k] === last[k]) continue
        for (const f of Object.keys(fields)) {
          if (f === k || f.startsWith(`${k}[`) || f.startsWith(`${k}.`)) delete fields[f]
        }
      }
      last = now
    })
  }

  return { fields, general, clear, show, clearOnChange }
}

/** Scrolls to and focuses the input marked with data-field="<field>". */
export function focusField(root: HTMLElement | null | undefined, field: string) {
  const el = root?.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`)
  if (!el) return
  el.scrollIntoView({ block: 'center', behavior: 'smooth' })
  const input = el.matches('input, textarea, select, button')
    ? el
    : el.querySelector<HTMLElement>('input, textarea, [tabindex]')
  input?.focus()
}
