// The chat info panel (issue 12 §5), opened from the chat header: for a direct chat the
// contact (name, readable id, presence where the network shares it, block/remove where the
// account has contact actions); for a group its subject and members. Esc closes it; the
// header button gets focus back (ChatView owns that).

import { forwardRef, useEffect, useRef, useState } from 'react'
import type { ChatMember } from '../../../shared/api'
import type { Chat, Contact } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { useAccountCapabilities } from '../networks'
import { strings } from '../strings'
import { Avatar } from './Avatar'
import { ContactControls } from './ContactControls'
import { chatTitle, displayName, idLabel, readableId } from './display-id'

// Icon.tsx is shared; these two glyphs live here until it gains them (same 24-unit grid).
const INFO = 'M12 2a10 10 0 110 20 10 10 0 010-20zm0 2a8 8 0 100 16 8 8 0 000-16zm-1 6h2v7h-2zm0-3h2v2h-2z'
const CLOSE = 'M6.4 5L12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z'

function Glyph({ d }: { d: string }): React.JSX.Element {
  return (
    <svg className="icon-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  )
}

/** The header's "Chat info" toggle; ChatView keeps its ref to give focus back when the panel closes. */
export const ChatInfoButton = forwardRef<HTMLButtonElement, { open: boolean; onToggle(): void }>(function ChatInfoButton({ open, onToggle }, ref) {
  return (
    <button
      ref={ref}
      type="button"
      className={`icon-toggle${open ? ' on' : ''}`}
      aria-label={strings.chat.info}
      title={strings.chat.info}
      aria-expanded={open}
      onClick={onToggle}
    >
      <Glyph d={INFO} />
    </button>
  )
})

export interface MemberRow {
  remoteId: string
  name: string
  /** The readable id, when it says more than the name (null when the name is the id's own form). */
  detail: string | null
}

/** Members as a person reads them: a name (else readable id, else a placeholder), sorted by it. */
export function memberRows(members: readonly ChatMember[], selfId: string | null = null): MemberRow[] {
  return members
    .map((m) => {
      // The account itself is "You", as in the chat list and the bubbles.
      if (m.remoteId === selfId) return { remoteId: m.remoteId, name: strings.inbox.you, detail: null }
      const name = displayName(m.name, m.remoteId, strings.chat.unnamedMember)
      const id = readableId(m.remoteId)
      return { remoteId: m.remoteId, name, detail: id !== null && id !== name ? id : null }
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.remoteId.localeCompare(b.remoteId))
}

function DirectInfo({ chat }: { chat: Chat }): React.JSX.Element {
  const actions = useActions()
  const capabilities = useAccountCapabilities(chat.accountId, chat.network)
  const [contact, setContact] = useState<Contact | null | undefined>(undefined)
  const [said, setSaid] = useState('')
  useEffect(() => {
    let live = true
    // An event newer than the list's answer wins over it.
    let heard = false
    actions
      .listContacts(chat.accountId)
      .then((list) => live && !heard && setContact(list.find((c) => c.remoteId === chat.remoteId) ?? null))
      .catch((error: unknown) => {
        if (!live) return
        setContact(null)
        actions.report(error)
      })
    // Presence and last seen change while the panel is open: take each of this contact's events.
    const off = actions.onContact((c) => {
      if (!live || c.accountId !== chat.accountId || c.remoteId !== chat.remoteId) return
      heard = true
      setContact(c)
    })
    return () => {
      live = false
      off()
    }
  }, [actions, chat.accountId, chat.remoteId])
  const id = readableId(chat.remoteId)
  return (
    <>
      <Avatar
        className="avatar chat-info-avatar"
        name={displayName(contact?.name ?? chat.title, chat.remoteId, chatTitle(chat))}
        id={`${chat.accountId}/${chat.remoteId}`}
        size={72}
        picture={{ accountId: chat.accountId, remoteId: chat.remoteId, version: chat.avatar }}
      />
      <h3 className="chat-info-name">{displayName(contact?.name ?? chat.title, chat.remoteId, chatTitle(chat))}</h3>
      <dl className="chat-info-facts">
        {id !== null && (
          <>
            <dt>{idLabel(id)}</dt>
            <dd dir="auto">{id}</dd>
          </>
        )}
        {contact && contact.presence !== 'unknown' && (
          <>
            <dt>{strings.chat.infoPresence}</dt>
            <dd>
              <span className={`presence-dot ${contact.presence}`} aria-hidden="true" /> {strings.chat.presence[contact.presence]}
            </dd>
          </>
        )}
        {contact?.lastSeen !== undefined && contact.presence !== 'online' && (
          <>
            <dt>{strings.chat.infoLastSeen}</dt>
            <dd>
              <time dateTime={new Date(contact.lastSeen).toISOString()}>{strings.chat.lastSeenAt(contact.lastSeen)}</time>
            </dd>
          </>
        )}
      </dl>
      {contact === undefined && <p className="chat-info-note">{strings.chat.infoLoading}</p>}
      {contact === null && <p className="chat-info-note">{strings.chat.infoNotContact}</p>}
      {contact && capabilities?.contactActions === true && (
        <ContactControls
          contact={contact}
          onChanged={(next, words) => {
            setContact(next)
            setSaid(words)
          }}
          onError={(error) => actions.report(error)}
        />
      )}
      <p className="chat-info-note" role="status">
        {said}
      </p>
    </>
  )
}

function GroupInfo({ chat }: { chat: Chat }): React.JSX.Element {
  const actions = useActions()
  const [members, setMembers] = useState<MemberRow[] | null>(null)
  const selfId = useApp((s) => s.accounts[chat.accountId]?.selfId ?? null)
  useEffect(() => {
    let live = true
    actions
      .chatMembers(chat.id)
      .then((list) => live && setMembers(memberRows(list, selfId)))
      .catch((error: unknown) => {
        if (!live) return
        setMembers([])
        actions.report(error)
      })
    return () => {
      live = false
    }
  }, [actions, chat.id, selfId])
  return (
    <>
      <dl className="chat-info-facts">
        <dt>{strings.chat.infoSubject}</dt>
        <dd dir="auto" className="chat-info-name">
          {chatTitle(chat)}
        </dd>
      </dl>
      {members === null ? (
        <p className="chat-info-note">{strings.chat.infoLoading}</p>
      ) : members.length === 0 ? (
        <p className="chat-info-note">{strings.chat.infoMembersUnknown}</p>
      ) : (
        <section aria-labelledby="chat-info-members">
          <h3 id="chat-info-members">{strings.chat.infoMembers(members.length)}</h3>
          <ul className="chat-info-members">
            {members.map((m) => (
              <li key={m.remoteId}>
                <span dir="auto">{m.name}</span>
                {m.detail && <span className="chat-info-detail">{m.detail}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  )
}

export function ChatInfoPanel({ chat, onClose }: { chat: Chat; onClose(): void }): React.JSX.Element {
  const closeRef = useRef<HTMLButtonElement>(null)
  const panelRef = useRef<HTMLElement>(null)
  // Focus moves into the panel as it opens, so a keyboard user lands on it.
  useEffect(() => closeRef.current?.focus(), [])
  // Esc anywhere inside closes it (a listener, as the panel itself is not a control).
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const panel = panelRef.current
    if (!panel) return
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      close.current()
    }
    panel.addEventListener('keydown', onKey)
    return () => panel.removeEventListener('keydown', onKey)
  }, [])
  return (
    <aside ref={panelRef} className="chat-info" aria-labelledby="chat-info-title">
      <div className="chat-info-head">
        <h2 id="chat-info-title">{strings.chat.info}</h2>
        <button ref={closeRef} type="button" className="icon-toggle" aria-label={strings.chat.closeInfo} title={strings.chat.closeInfo} onClick={onClose}>
          <Glyph d={CLOSE} />
        </button>
      </div>
      {chat.kind === 'direct' ? <DirectInfo chat={chat} /> : <GroupInfo chat={chat} />}
    </aside>
  )
}
