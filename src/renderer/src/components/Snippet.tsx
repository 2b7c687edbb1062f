import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../shared/model'

/** A search snippet with its matches highlighted, built from text nodes (never HTML). */
export function Snippet({ text }: { text: string }): React.JSX.Element {
  const parts: React.ReactNode[] = []
  let rest = text
  let key = 0
  for (;;) {
    const open = rest.indexOf(SNIPPET_OPEN)
    if (open < 0) break
    const close = rest.indexOf(SNIPPET_CLOSE, open)
    if (close < 0) break
    if (open > 0) parts.push(rest.slice(0, open))
    parts.push(<mark key={key++}>{rest.slice(open + 1, close)}</mark>)
    rest = rest.slice(close + 1)
  }
  if (rest) parts.push(rest.replaceAll(SNIPPET_OPEN, '').replaceAll(SNIPPET_CLOSE, ''))
  return <span className="snippet">{parts}</span>
}
