import { useEffect, useRef } from 'react'
import { strings } from '../strings'
import { restoreFocus } from './focus'

/** The picker's emoji with the words a screen reader says for each (the ones people react with most). */
export const EMOJI: ReadonlyArray<readonly [emoji: string, name: string]> = [
  ['👍', 'thumbs up'],
  ['❤️', 'red heart'],
  ['😂', 'tears of joy'],
  ['😆', 'grinning squinting'],
  ['😮', 'surprised'],
  ['😢', 'crying'],
  ['😡', 'angry'],
  ['🙏', 'folded hands'],
  ['👎', 'thumbs down'],
  ['🎉', 'party popper'],
  ['🔥', 'fire'],
  ['👏', 'clapping'],
  ['😀', 'grinning'],
  ['😊', 'smiling'],
  ['😍', 'heart eyes'],
  ['🥰', 'smiling with hearts'],
  ['😘', 'blowing a kiss'],
  ['😉', 'winking'],
  ['😎', 'sunglasses'],
  ['🤔', 'thinking'],
  ['😅', 'sweat smile'],
  ['🙂', 'slightly smiling'],
  ['🙃', 'upside down'],
  ['😐', 'neutral'],
  ['😴', 'sleeping'],
  ['🤯', 'mind blown'],
  ['😱', 'screaming'],
  ['🥺', 'pleading'],
  ['😭', 'loudly crying'],
  ['🤣', 'rolling on the floor laughing'],
  ['🤗', 'hugging'],
  ['🤝', 'handshake'],
  ['👀', 'eyes'],
  ['💯', 'hundred points'],
  ['✅', 'check mark'],
  ['❌', 'cross mark'],
  ['⭐', 'star'],
  ['💪', 'flexed biceps'],
  ['👌', 'OK hand'],
  ['✌️', 'victory hand'],
  ['🙌', 'raised hands'],
  ['🤷', 'shrug'],
  ['💔', 'broken heart'],
  ['💙', 'blue heart'],
  ['💚', 'green heart'],
  ['🌹', 'rose'],
  ['☕', 'hot beverage'],
  ['🍕', 'pizza']
]

export function emojiName(emoji: string): string {
  return EMOJI.find(([e]) => e === emoji)?.[1] ?? ''
}

const COLUMNS = 8

/**
 * A grid of emoji buttons: arrow keys move across it, Enter picks, Esc closes. `only` is the
 * network's fixed set (LINE's six), when it has one.
 */
export function EmojiPicker({
  only,
  own,
  onPick,
  onClose,
  more
}: {
  only: readonly string[] | null
  /** A last button that opens the whole picker (after the quick set). */
  more?: { label: string; open(): void }
  /** The own reaction, shown pressed (picking it again removes it). */
  own: string | null
  onPick(emoji: string): void
  onClose(): void
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  const list = only ? only.map((e) => [e, emojiName(e)] as const) : EMOJI
  const columns = only ? only.length + (more ? 1 : 0) : COLUMNS
  // Focus goes back where it was (the toolbar's React button) when the picker closes.
  useEffect(() => {
    const before = document.activeElement
    return () => restoreFocus(before)
  }, [])
  // The whole picker replaces the quick set in place: focus its first emoji again.
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus()
  }, [only])
  const move = (e: React.KeyboardEvent): void => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])]
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[e.key]
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      onClose()
    } else if (step !== undefined && at >= 0) {
      e.preventDefault()
      buttons[Math.min(buttons.length - 1, Math.max(0, at + step))]?.focus()
    }
  }
  return (
    // A composite widget: the group takes the arrow keys for the buttons inside it.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      ref={ref}
      className="emoji-picker"
      style={{ gridTemplateColumns: `repeat(${Math.min(columns, COLUMNS)}, 32px)` }}
      role="group"
      aria-label={strings.actions.picker}
      onKeyDown={move}
    >
      {list.map(([emoji, name]) => (
        <button
          key={emoji}
          type="button"
          className="emoji-choice"
          aria-label={strings.actions.reactWith(emoji, name)}
          aria-pressed={own === emoji}
          title={name || emoji}
          onClick={() => onPick(emoji)}
        >
          {emoji}
        </button>
      ))}
      {more && (
        <button type="button" className="emoji-choice more" aria-label={more.label} title={more.label} onClick={more.open}>
          <span aria-hidden="true">＋</span>
        </button>
      )}
    </div>
  )
}
