// The closed vocabularies and the grading scheme, fetched once per session
// (a scheme change arrives by sync, so `reload` is called after a sync).

import { shallowRef } from 'vue'
import { api } from '../api/commands'
import type { Grade, Label, Reference } from '../api/types'

const reference = shallowRef<Reference | null>(null)
let loading: Promise<Reference> | null = null

export function loadReference(force = false): Promise<Reference> {
  if (!loading || force) {
    loading = api.reference().then(
      (r) => {
        reference.value = r
        return r
      },
      (e) => {
        loading = null
        throw e
      },
    )
  }
  return loading
}

/** The Chinese label of `key` in `list`, or the key itself. */
export function labelOf<K extends string>(list: Label<K>[] | undefined, key: string | null | undefined): string {
  if (!key) return ''
  return list?.find((l) => l.key === key)?.label ?? key
}

export function useReference() {
  return {
    reference,
    load: loadReference,
    grades: (): Grade[] => reference.value?.scheme.grades ?? [],
    grade: (key: string | null | undefined): Grade | undefined =>
      reference.value?.scheme.grades.find((g) => g.key === key),
  }
}
