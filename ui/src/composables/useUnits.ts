// The organisation tree, shared by every screen that shows a unit code.

import { shallowRef } from 'vue'
import { api } from '../api/commands'
import type { UnitRow } from '../api/types'

const units = shallowRef<UnitRow[]>([])
let loading: Promise<UnitRow[]> | null = null

export function loadUnits(force = false): Promise<UnitRow[]> {
  if (!loading || force) {
    loading = api.units().then(
      (rows) => {
        units.value = rows
        return rows
      },
      (e) => {
        loading = null
        throw e
      },
    )
  }
  return loading
}

export function setUnits(rows: UnitRow[]) {
  units.value = rows
  loading = Promise.resolve(rows)
}

/** A unit's name, or its code when it is not (yet) known here. */
export function unitName(code: string | null | undefined): string {
  if (!code) return ''
  return units.value.find((u) => u.code === code)?.name ?? code
}

/** The units above `code`, nearest first. */
export function ancestorsOf(code: string, rows: UnitRow[] = units.value): UnitRow[] {
  const out: UnitRow[] = []
  const seen = new Set<string>([code])
  let parent = rows.find((u) => u.code === code)?.parent ?? null
  while (parent && !seen.has(parent)) {
    seen.add(parent)
    const p = rows.find((u) => u.code === parent)
    if (!p) break
    out.push(p)
    parent = p.parent
  }
  return out
}

export function useUnits() {
  return { units, load: loadUnits, set: setUnits, unitName, ancestorsOf }
}
