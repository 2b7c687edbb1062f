import { useEffect, useRef, useState } from 'react'
import type { Chat } from '../../../shared/model'
import { JunctionError } from '../../../shared/errors'
import { useActions, useApp } from '../context'
import { networkName } from '../networks'
import { strings } from '../strings'
import { Icon } from './Icon'

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp']
const MAX_IMAGE_BYTES = 20 * 1024 * 1024

const TYPING_REFRESH_MS = 4_000
const DRAFT_SAVE_MS = 400

export function Composer({ chat }: { chat: Chat }): React.JSX.Element {
  const actions = useActions()
  const [text, setText] = useState(chat.draft)
  const ref = useRef<HTMLTextAreaElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const network = useApp((s) => networkName(s.networks, chat.network))
  const canSendImages = useApp((s) => s.networks.find((n) => n.id === chat.network)?.capabilities.sendImages ?? false)
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

  const attach = async (file: File | undefined): Promise<void> => {
    if (!file) return
    if (!IMAGE_TYPES.includes(file.type)) return actions.report(new JunctionError('unsupported', strings.composer.notAnImage))
    if (file.size > MAX_IMAGE_BYTES) return actions.report(new JunctionError('rejected', strings.composer.imageTooLarge))
    const bytes = new Uint8Array(await file.arrayBuffer())
    let binary = ''
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
    const caption = text.trim()
    setText('')
    void actions.send(chat.id, { kind: 'image', mime: file.type, dataBase64: btoa(binary), ...(caption ? { caption } : {}) })
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
      {canSendImages && (
        <>
          <input ref={fileInput} type="file" accept={IMAGE_TYPES.join(',')} hidden onChange={(e) => void attach(e.target.files?.[0]).finally(() => (e.target.value = ''))} />
          <button type="button" className="attach" aria-label={strings.composer.attach} title={strings.composer.attach} onClick={() => fileInput.current?.click()}>
            <Icon name="image" />
          </button>
        </>
      )}
      <textarea
        ref={ref}
        value={text}
        rows={Math.min(6, Math.max(1, text.split('\n').length))}
        aria-label={strings.composer.label}
        placeholder={strings.composer.placeholder(network)}
        title={strings.composer.hint}
        onChange={(e) => change(e.target.value)}
        onBlur={stopTyping}
        onPaste={(e) => {
          const image = [...e.clipboardData.files].find((f) => f.type.startsWith('image/'))
          if (image && canSendImages) {
            e.preventDefault()
            void attach(image)
          }
        }}
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
