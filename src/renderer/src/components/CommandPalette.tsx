import { useEffect, useMemo, useState } from 'react'
import type { Chat, Contact, SearchHit } from '../../../shared/model'
import { useActions, useApp } from '../context'
import { formatInboxTime } from '../format'
import { visibleChats } from '../state/inbox'
import { strings } from '../strings'
import { AddContactDialog } from './AddContactDialog'
import { useContactAccounts } from './contact-words'
import { Modal } from './Modal'
import { NetworkMark } from './NetworkMark'
import { Snippet } from './Snippet'
import { Avatar } from './Avatar'
import { displayName, readableId } from './display-id'

type Option = { kind: 'chat'; chat: Chat } | { kind: 'contact'; contact: Contact } | { kind: 'hit'; hit: SearchHit } | { kind: 'add-contact' }

/** Ctrl+K: jump to any chat by title, or search messages on every network at once. */
export function CommandPalette(): React.JSX.Element {
  const actions = useActions()
  const close = useApp((s) => s.openDialog)
  const loaded = useApp((s) => s.chats)
  const [query, setQuery] = useState('')
  const [chats, setChats] = useState<Chat[]>([])
  const [hits, setHits] = useState<SearchHit[]>([])
  const [searching, setSearching] = useState(false)
  const [active, setActive] = useState(0)
  // Commands (issue 16): "Add contact…" turns the palette into its dialog.
  const [adding, setAdding] = useState(false)
  const canAddContacts = useContactAccounts().length > 0
  // "New chat" (issue 12 §5): every contact of every account, found by name or number.
  const accountIds = useApp((s) => Object.keys(s.accounts).join(' '))
  const accountNames = useApp((s) => s.accounts)
  const [contacts, setContacts] = useState<Contact[]>([])
  useEffect(() => {
    let live = true
    const ids = accountIds === '' ? [] : accountIds.split(' ')
    Promise.all(ids.map((id) => actions.listContacts(id).catch(() => [] as Contact[])))
      .then((lists) => live && setContacts(lists.flat().filter((c) => !c.pending && !c.blocked)))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [accountIds, actions])
  const contactMatches = useMemo(() => {
    const q = query.trim().toLocaleLowerCase()
    if (q === '') return []
    return contacts.filter((c) => c.name.toLocaleLowerCase().includes(q) || (readableId(c.remoteId) ?? '').toLocaleLowerCase().includes(q)).slice(0, 6)
  }, [contacts, query])

  useEffect(() => {
    const q = query.trim()
    if (q === '') {
      setChats(visibleChats(loaded, { kind: 'all' }).slice(0, 8))
      setHits([])
      return
    }
    let live = true
    setSearching(true)
    const t = window.setTimeout(() => {
      Promise.all([actions.searchChats(q), actions.search(q)])
        .then(([titled, found]) => {
          if (!live) return
          setChats(titled.slice(0, 8))
          setHits(found)
        })
        .catch((error: unknown) => actions.report(error))
        .finally(() => live && setSearching(false))
    }, 120)
    return () => {
      live = false
      window.clearTimeout(t)
    }
  }, [query, actions, loaded])

  const options: Option[] = useMemo(
    () => [
      ...chats.map((chat) => ({ kind: 'chat' as const, chat })),
      ...contactMatches.map((contact) => ({ kind: 'contact' as const, contact })),
      ...hits.map((hit) => ({ kind: 'hit' as const, hit })),
      ...(canAddContacts && strings.contacts.addCommand.toLocaleLowerCase().includes(query.trim().toLocaleLowerCase().replace(/…$/, ''))
        ? [{ kind: 'add-contact' as const }]
        : [])
    ],
    [chats, contactMatches, hits, canAddContacts, query]
  )
  useEffect(() => setActive(0), [options])

  const choose = (o: Option | undefined): void => {
    if (!o) return
    if (o.kind === 'add-contact') return setAdding(true)
    close(null)
    if (o.kind === 'contact') {
      // The direct chat with the contact; Core creates it (empty) when there is none yet.
      void actions.openDirectChat(o.contact.accountId, o.contact.remoteId)
      return
    }
    if (o.kind === 'chat') void actions.openChat(o.chat.id)
    else void actions.openChat(o.hit.chatId, o.hit.messageId)
  }
  const optionId = (i: number): string => `palette-option-${i}`
  if (adding) return <AddContactDialog onClose={() => close(null)} />

  return (
    <Modal label={strings.palette.label} className="palette" onClose={() => close(null)}>
      <input
        type="text"
        role="combobox"
        aria-expanded={options.length > 0}
        aria-controls="palette-options"
        aria-activedescendant={options.length > 0 ? optionId(active) : undefined}
        aria-label={strings.palette.label}
        placeholder={strings.palette.placeholder}
        value={query}
        autoFocus
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            setActive((a) => Math.min(options.length - 1, a + 1))
          } else if (e.key === 'ArrowUp') {
            e.preventDefault()
            setActive((a) => Math.max(0, a - 1))
          } else if (e.key === 'Enter') {
            e.preventDefault()
            choose(options[active])
          }
        }}
      />
      <ul id="palette-options" role="listbox" aria-label={strings.palette.label} className="palette-options">
        {options.map((o, i) => (
          // The combobox owns the keyboard (↑/↓, Enter, aria-activedescendant); a pointer may click an option too.
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <li
            key={
              o.kind === 'chat'
                ? `c${o.chat.id}`
                : o.kind === 'contact'
                  ? `p${o.contact.accountId}/${o.contact.remoteId}`
                  : o.kind === 'hit'
                    ? `m${o.hit.messageId}`
                    : o.kind
            }
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={`palette-option${i === active ? ' active' : ''}`}
            onMouseMove={() => setActive(i)}
            onClick={() => choose(o)}
          >
            {o.kind === 'add-contact' ? (
              <span className="palette-title">{strings.contacts.addCommand}</span>
            ) : o.kind === 'contact' ? (
              <>
                <Avatar
                  name={displayName(o.contact.name, o.contact.remoteId, strings.palette.contact)}
                  id={`${o.contact.accountId}/${o.contact.remoteId}`}
                  size={22}
                  picture={{ accountId: o.contact.accountId, remoteId: o.contact.remoteId, version: o.contact.avatar }}
                />
                <span className="palette-title">{displayName(o.contact.name, o.contact.remoteId, strings.palette.contact)}</span>
                <span className="palette-kind">{strings.palette.newChat(accountNames[o.contact.accountId]?.displayName ?? '')}</span>
              </>
            ) : o.kind === 'chat' ? (
              <>
                <NetworkMark network={o.chat.network} accountId={o.chat.accountId} />
                <span className="palette-title">{o.chat.title}</span>
                <span className="palette-kind">{strings.palette.chats}</span>
              </>
            ) : (
              <>
                <NetworkMark network={o.hit.network} />
                <span className="palette-hit">
                  <span className="palette-title">
                    {o.hit.chatTitle}
                    {o.hit.senderName && o.hit.senderName !== o.hit.chatTitle ? ` · ${o.hit.senderName}` : ''}
                  </span>
                  <Snippet text={o.hit.snippet} />
                </span>
                <time className="palette-kind">{formatInboxTime(o.hit.timestamp)}</time>
              </>
            )}
          </li>
        ))}
      </ul>
      <p className="palette-hint" role="status">
        {searching ? strings.palette.searching : query.trim() !== '' && options.length === 0 ? strings.palette.none : strings.palette.hint}
      </p>
    </Modal>
  )
}
