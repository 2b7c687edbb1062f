import { useActions } from '../context'

// http(s) links only; a trailing punctuation mark belongs to the sentence, not the link.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi
const TRAILING = /[.,;:!?)\]}'"»”’]+$/

export interface TextPart {
  text: string
  url?: string
}

/** Splits text into plain parts and http(s) links. */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const m of text.matchAll(URL_PATTERN)) {
    const raw = m[0]
    const url = raw.replace(TRAILING, '')
    const at = m.index
    if (at > last) parts.push({ text: text.slice(last, at) })
    parts.push({ text: url, url })
    last = at + url.length
  }
  if (last < text.length) parts.push({ text: text.slice(last) })
  return parts
}

/** Message text with clickable links, opened by the system browser (main allows only http and https). */
export function LinkedText({ text, className }: { text: string; className: string }): React.JSX.Element {
  const actions = useActions()
  return (
    // dir="auto": Arabic and Hebrew read right to left inside a left-to-right page.
    <p className={className} dir="auto">
      {linkParts(text).map((p, i) =>
        p.url ? (
          <a
            key={i}
            href={p.url}
            rel="noreferrer noopener"
            onClick={(e) => {
              e.preventDefault()
              actions.openExternal(p.url!)
            }}
          >
            {p.text}
          </a>
        ) : (
          p.text
        )
      )}
    </p>
  )
}
