// Opening a message's attachment (issue 12 §2). The name a file arrives with is the
// sender's: it is made safe here (no separators, no control or reserved characters, no
// dot-only or Windows device names, a bounded length) before it names anything on disk,
// and a file already there is never overwritten. The page never names a path.

import { mkdir, open } from 'node:fs/promises'
import { join } from 'node:path'
import { JunctionError } from '../../shared/errors'

const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i
const MAX_NAME = 120

/** The extension a type usually has, for an attachment that arrives without a name (a picture). */
const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt'
}

/** A file name safe on every system Junction runs on; `fallback` when nothing usable is left. */
export function safeFileName(raw: string | undefined, mime: string, fallback = 'attachment'): string {
  let name = [...(raw ?? '').normalize('NFC')]
    .map((c) => (c < ' ' || c === '\u007f' || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '')
  if (name === '' || /^_+$/.test(name)) name = `${fallback}${EXTENSION[mime] ? `.${EXTENSION[mime]}` : ''}`
  if (WINDOWS_DEVICES.test(name)) name = `_${name}`
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : ''
    name = name.slice(0, MAX_NAME - ext.length) + ext
  }
  return name
}

/** `name`, or `name (2)`, `name (3)`… before the extension, whichever does not exist yet. */
function candidate(name: string, n: number): string {
  if (n === 1) return name
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`
}

/** Writes the bytes under `dir` with exclusive create (never overwrites, never follows a planted link); returns the path. */
export async function writeDownload(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true })
  for (let n = 1; n <= 100; n++) {
    const path = join(dir, candidate(name, n))
    let handle
    try {
      handle = await open(path, 'wx', 0o600)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw new JunctionError('internal', 'The file could not be saved to the downloads folder.', { cause: error })
    }
    try {
      await handle.writeFile(bytes)
    } finally {
      await handle.close()
    }
    return path
  }
  throw new JunctionError('internal', 'The downloads folder already holds too many files of that name.')
}

/** `Content-Disposition` for a download (RFC 6266 / RFC 5987): an ASCII fallback and the UTF-8 name. */
export function attachmentDisposition(name: string | undefined): string {
  if (!name) return 'attachment'
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
