// Enter saves a form; in a text area Enter is a new line and Ctrl+Enter
// saves. Enter that belongs to something else is left alone: choosing a
// candidate in a Chinese input method, opening or picking in a drop-down,
// pressing a focused button or switch.

export function isOwnEnter(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return false
  const t = e.target as HTMLElement | null
  if (!t) return true
  if (t.closest('button, a, [role="button"], [role="switch"], [role="combobox"], [role="checkbox"], [role="radio"], .el-select, .el-cascader')) {
    return false
  }
  if (t.tagName === 'TEXTAREA') return e.ctrlKey || e.metaKey
  return !e.shiftKey && !e.altKey
}

/** A keydown handler for a form element. */
export function enterToSubmit(submit: () => void) {
  return (e: KeyboardEvent) => {
    if (!isOwnEnter(e)) return
    e.preventDefault()
    // A date picker commits its typed text on the same Enter; let it first.
    window.setTimeout(submit, 0)
  }
}
