// What a drop on the case's 附件 gives: the files dropped, and from a folder
// dropped (a phone plugged in by USB) its photos and scans — its videos and
// thumbnails are left out and counted. Content is checked when attached.

export function attachableName(name: string): boolean {
  const lower = name.toLowerCase()
  return !lower.startsWith('.') && ['.jpg', '.jpeg', '.png', '.webp', '.pdf'].some((e) => lower.endsWith(e))
}

interface Entry {
  isFile: boolean
  isDirectory: boolean
  name: string
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void
  createReader?: () => { readEntries: (ok: (e: Entry[]) => void, fail: (e: unknown) => void) => void }
}

function fileOf(entry: Entry): Promise<File> {
  return new Promise((ok, fail) => entry.file!(ok, fail))
}

async function entriesOf(dir: Entry): Promise<Entry[]> {
  const reader = dir.createReader!()
  const all: Entry[] = []
  // readEntries gives a folder's entries in pieces until an empty one.
  for (;;) {
    const part = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail))
    if (part.length === 0) return all
    all.push(...part)
  }
}

export async function dropped(data: DataTransfer | null): Promise<{ files: File[]; leftOut: number }> {
  const files: File[] = []
  let leftOut = 0
  if (!data) return { files, leftOut }
  const items = [...data.items].filter((i) => i.kind === 'file')
  const entries = items.map((i) => (i as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.() ?? null)
  if (entries.every((e) => e === null)) return { files: [...data.files], leftOut }
  for (const [i, entry] of entries.entries()) {
    if (entry?.isDirectory) {
      const inside = (await entriesOf(entry)).filter((e) => e.isFile).sort((a, b) => a.name.localeCompare(b.name))
      for (const e of inside) {
        if (attachableName(e.name)) files.push(await fileOf(e))
        else leftOut += 1
      }
    } else {
      const f = items[i].getAsFile()
      if (f) files.push(f)
    }
  }
  return { files, leftOut }
}
