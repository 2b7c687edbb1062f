import { useEffect, useRef, useState } from 'react'
import type { Chat } from '../../../shared/model'
import { useActions } from '../context'
import { strings } from '../strings'

const TYPING_REFRESH_MS = 4_000
const DRAFT_SAVE_MS = 400

export function Composer({ chat }: { chat: Chat }): React.JSX.Element {
  const actions = useActions()
  const [text, setText] = useState(chat.draft)
  const ref = useRef<HTMLTextAreaElement>(null)
  const typingSentAt = useRef(0)
  const draftTimer = useRef<number | undefined>(undefined)

  // A new chat brings its own draft; the composer keeps focus for typing straight away.
  useEffect(() => {
    setText(chat.draft)
    ref.current?.focus()
    typingSentAt.current = 0
  }, [chat.id])

  const stopTyping = (): void => {
    if (typingSentAt.current !== 0) actions.setTyping(chat.id, false)
    typingSentAt.current = 0
  }

  const change = (value: string): void => {
    setText(value)
    window.clearTimeout(draftTimer.current)
    draftTimer.current = window.setTimeout(() => actions.saveDraft(chat.id, value), DRAFT_SAVE_MS)
    if (value === '') return stopTyping()
    const now = Date.now()
    if (now - typingSentAt.current > TYPING_REFRESH_MS) {
      typingSentAt.current = now
      actions.setTyping(chat.id, true)
    }
  }

  const send = (): void => {
    const body = text.trim()
    if (body === '') return
    window.clearTimeout(draftTimer.current)
    setText('')
    stopTyping()
    // Skype-style "/me waves" is an emote.
    const emote = /^\/me\s+(.+)$/s.exec(body)
    void actions.send(chat.id, emote ? { kind: 'emote', text: emote[1]! } : { kind: 'text', text: body })
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault()
        send()
      }}
    >
      <textarea
        ref={ref}
        value={text}
        rows={Math.min(6, Math.max(1, text.split('\n').length))}
        aria-label={strings.composer.label}
        placeholder={strings.composer.placeholder(strings.networks[chat.network])}
        title={strings.composer.hint}
        onChange={(e) => change(e.target.value)}
        onBlur={stopTyping}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault()
            send()
          }
        }}
      />
      <button type="submit" className="send" disabled={text.trim() === ''}>
        {strings.composer.send}
      </button>
    </form>
  )
}
