import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { Chat } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { API_TEXT_LIMIT, COUNTER_FROM, splitText, textDraft, type TextDraft } from '../compose'
import { networkName, useAccountCapabilities } from '../networks'
import { strings } from '../strings'
import { Icon } from './Icon'
import { ReplyBar } from './ReplyBar'
import { acceptAttribute } from '../attachments'
import { useAttachmentSender } from './useAttachments'

const TYPING_REFRESH_MS = 4_000
const DRAFT_SAVE_MS = 400

export function Composer({ chat }: { chat: Chat }): React.JSX.Element {
  const actions = useActions()
  const [text, setText] = useState(chat.draft)
  const ref = useRef<HTMLTextAreaElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  // The account's own label first: a Messenger (MSNP18) account says "Message on Messenger" (issue 12 §3).
  const network = useApp((s) => s.accounts[chat.accountId]?.networkLabel ?? networkName(s.networks, chat.network))
  const capabilities = useAccountCapabilities(chat.accountId, chat.network)
  // The attach button, paste and drop exist only where the network sends photos or files (issue 12 §2).
  const attachments = useAttachmentSender(chat)
  const canSendFiles = capabilities?.sendFiles ?? false
  const limit = capabilities?.maxTextLength ?? API_TEXT_LIMIT
  const emotes = capabilities?.emotes ?? false
  const typingSentAt = useRef(0)
  const draftTimer = useRef<number | undefined>(undefined)
  const [sending, setSending] = useState(false)
  /** Text longer than the network takes, offered as these parts. */
  const [parts, setParts] = useState<string[] | null>(null)
  // A reply quotes a message; an edit puts its text here until saved (issue 12 §4).
  const target = useApp((s) => s.composeTargets[chat.id])
  const setComposeTarget = useApp((s) => s.setComposeTarget)
  /** What was typed before an edit started, put back when it ends. */
  const beforeEdit = useRef<string | null>(null)
  const targetId = target ? `${target.mode}:${target.message.id}` : null
  const currentTarget = useRef(target)
  currentTarget.current = target
  const textRef = useRef(text)
  textRef.current = text
  // The text is set in a layout effect, here and for a new chat below, so it is in the box in
  // the same task, before any key can reach it; focus moves in a passive effect, after a menu
  // that closed has put focus back where it was. Both in one passive effect, focus came first
  // and the text a render later, and what was typed in between was overwritten (seen in CI:
  // an edit's text not there yet when typing began).
  useLayoutEffect(() => {
    const t = currentTarget.current
    if (targetId && t?.mode === 'edit') {
      beforeEdit.current ??= textRef.current
      setText(t.message.text)
    }
  }, [targetId])
  useEffect(() => {
    if (targetId) ref.current?.focus()
  }, [targetId])
  const endTarget = (): void => {
    if (target?.mode === 'edit') {
      const draft = beforeEdit.current ?? ''
      setText(draft)
      beforeEdit.current = null
      // A draft save already queued belongs to the text before the edit; make it so.
      window.clearTimeout(draftTimer.current)
      actions.saveDraft(chat.id, draft)
    }
    setComposeTarget(chat.id, null)
  }

  // A new chat brings its own draft (read through a ref: the draft saved while typing must not
  // reset the composer); the composer keeps focus for typing straight away.
  const draft = useRef(chat.draft)
  draft.current = chat.draft
  useLayoutEffect(() => {
    setText(draft.current)
    setParts(null)
    beforeEdit.current = null
    typingSentAt.current = 0
  }, [chat.id])
  useEffect(() => {
    ref.current?.focus()
  }, [chat.id])

  const stopTyping = (): void => {
    if (typingSentAt.current !== 0) actions.setTyping(chat.id, false)
    typingSentAt.current = 0
  }

  const change = (value: string): void => {
    setText(value)
    setParts(null)
    window.clearTimeout(draftTimer.current)
    // An edit's text is not the chat's draft: the draft is what was typed before the edit began.
    if (currentTarget.current?.mode === 'edit') return
    draftTimer.current = window.setTimeout(() => actions.saveDraft(chat.id, value), DRAFT_SAVE_MS)
    if (value === '') return stopTyping()
    const now = Date.now()
    if (now - typingSentAt.current > TYPING_REFRESH_MS) {
      typingSentAt.current = now
      actions.setTyping(chat.id, true)
    }
  }

  const attach = async (files: readonly File[]): Promise<void> => {
    if (files.length === 0) return
    const typed = text
    // The typed text goes with a photo as its caption; a file has none, so the text stays for the next message.
    const captioned = files.some((f) => f.type.startsWith('image/')) && capabilities?.sendImages === true
    const caption = captioned ? typed.trim() : ''
    const reply = target?.mode === 'reply' ? { replyToId: target.message.id } : {}
    // The caption goes with the photo: no draft of it may be saved later (issue 11 §4).
    if (caption) window.clearTimeout(draftTimer.current)
    // A refusal (type, size) is reported by the sender and the text is kept (issue 12 §2).
    if (await attachments.send(files, { ...(caption ? { caption } : {}), ...reply })) {
      if (caption) setText((now) => (now === typed ? '' : now))
      if (reply.replyToId) setComposeTarget(chat.id, null)
    }
  }

  /**
   * Sends, and empties the composer only once the Api accepted every part (issue 11 §1–2):
   * a refused send, or an engine that cannot be reached, leaves the text where it was.
   */
  const submit = async (typed: string, drafts: TextDraft[]): Promise<void> => {
    setSending(true)
    stopTyping()
    window.clearTimeout(draftTimer.current)
    let accepted = 0
    // Only the first part quotes the replied message.
    const reply = target?.mode === 'reply' ? target.message.id : null
    for (const draft of drafts) {
      if (!(await actions.send(chat.id, draft, accepted === 0 && reply ? { replyToId: reply } : {}))) break
      accepted++
    }
    if (accepted > 0 && reply) setComposeTarget(chat.id, null)
    setSending(false)
    setParts(null)
    if (accepted === 0) return
    const left = drafts.slice(accepted).map((d) => d.text)
    // What the person typed meanwhile stays; what was sent goes.
    setText((now) => (now === typed ? left.join('\n\n') : now))
  }

  const saveEdit = async (body: string): Promise<void> => {
    if (!target || target.mode !== 'edit') return
    if (body === target.message.text) return endTarget()
    setSending(true)
    const ok = await actions.editMessage(target.message.id, body)
    setSending(false)
    if (ok) endTarget()
  }

  const send = (): void => {
    const body = text.trim()
    if (body === '' || sending) return
    if (target?.mode === 'edit') return void saveEdit(body)
    if (body.length > limit) {
      setParts(splitText(body, limit))
      return
    }
    void submit(text, [textDraft(body, emotes)])
  }

  const near = text.length >= limit * COUNTER_FROM

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault()
        send()
      }}
    >
      {target && <ReplyBar chatId={chat.id} target={target} onCancel={endTarget} />}
      {parts && (
        <div className="composer-split" role="alert">
          <p>{strings.composer.tooLong(network, limit, parts.length)}</p>
          <button
            type="button"
            className="primary"
            onClick={() =>
              void submit(
                text,
                parts.map((p): TextDraft => ({ kind: 'text', text: p }))
              )
            }
          >
            {strings.composer.sendAsParts(parts.length)}
          </button>
          <button
            type="button"
            onClick={() => {
              setParts(null)
              ref.current?.focus()
            }}
          >
            {strings.composer.keepEditing}
          </button>
        </div>
      )}
      {attachments.enabled && (
        <>
          <input
            ref={fileInput}
            type="file"
            accept={acceptAttribute(capabilities)}
            multiple={canSendFiles}
            hidden
            data-testid="attach-input"
            onChange={(e) => void attach([...(e.target.files ?? [])]).finally(() => (e.target.value = ''))}
          />
          <button
            type="button"
            className="attach"
            aria-label={canSendFiles ? strings.composer.attachFile : strings.composer.attach}
            title={canSendFiles ? strings.composer.attachFile : strings.composer.attach}
            onClick={() => fileInput.current?.click()}
          >
            <Icon name="image" />
          </button>
        </>
      )}
      <textarea
        ref={ref}
        value={text}
        rows={Math.min(6, Math.max(1, text.split('\n').length))}
        aria-label={strings.composer.label}
        dir="auto"
        placeholder={strings.composer.placeholder(network)}
        title={strings.composer.hint}
        onChange={(e) => change(e.target.value)}
        onBlur={stopTyping}
        onPaste={(e) => {
          // A pasted picture or file is sent (checked against the network first; a network that sends
          // neither gets the refusal in its name); pasted text stays text, and the typed text stays.
          const files = [...e.clipboardData.files]
          // Where nothing can be sent, text that came along with the file pastes as text.
          if (!attachments.enabled && e.clipboardData.types.includes('text/plain')) return
          if (files.length > 0) {
            e.preventDefault()
            void attach(files)
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && target) {
            e.preventDefault()
            e.stopPropagation()
            endTarget()
            return
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault()
            send()
          }
        }}
      />
      {near && (
        <span
          className={`composer-counter${text.length > limit ? ' over' : ''}`}
          aria-live="polite"
          aria-label={strings.composer.counterLabel(text.length, limit)}
        >
          {strings.composer.counter(text.length, limit)}
        </span>
      )}
      <button type="submit" className="send" disabled={text.trim() === '' || sending}>
        {sending ? strings.composer.sending : target?.mode === 'edit' ? strings.actions.save : strings.composer.send}
      </button>
    </form>
  )
}
