// Sync cursors (one per chat): the newest message stored for the chat. After a reconnect
// the Connector asks for everything after it (spec §6.2 history query, kind "after"), so
// messages that arrived while offline are fetched once and never twice. A cursor event is
// emitted right after the message it names, so Core persists it only once that is stored.

import type { ConnectorEvent, Cursors, IncomingMessage } from '../../connector'

export interface ChatCursor {
  /** Epoch ms. */
  ts: number
  id: string
  fromMe: boolean
}

const PREFIX = 'chat:'

export function cursorName(chat: string): string {
  return `${PREFIX}${chat}`
}

export function formatCursor(c: ChatCursor): string {
  return `${c.ts}|${c.fromMe ? 1 : 0}|${c.id}`
}

export function parseCursor(value: string): ChatCursor | null {
  const m = /^(\d{1,16})\|([01])\|([^|]{1,128})$/.exec(value)
  return m ? { ts: Number(m[1]), fromMe: m[2] === '1', id: m[3]! } : null
}

export class CursorBook {
  private readonly byChat = new Map<string, ChatCursor>()

  load(cursors: Cursors): void {
    for (const [name, value] of Object.entries(cursors)) {
      if (!name.startsWith(PREFIX)) continue
      const c = parseCursor(value)
      if (c) this.byChat.set(name.slice(PREFIX.length), c)
    }
  }

  get(chat: string): ChatCursor | undefined {
    return this.byChat.get(chat)
  }

  /** Moves a chat's cursor to `m` when `m` is its newest message; returns the event to emit after `m`. */
  advance(m: IncomingMessage): Extract<ConnectorEvent, { type: 'cursor' }> | null {
    const current = this.byChat.get(m.chatRemoteId)
    if (current && (m.timestamp < current.ts || current.id === m.remoteId)) return null
    const next: ChatCursor = { ts: m.timestamp, id: m.remoteId, fromMe: m.fromMe }
    this.byChat.set(m.chatRemoteId, next)
    return { type: 'cursor', name: cursorName(m.chatRemoteId), value: formatCursor(next) }
  }
}
