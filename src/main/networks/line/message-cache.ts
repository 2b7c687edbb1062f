// What the Connector remembers of recent messages, bounded: enough to turn "read up to
// message X" (op 55) into the ids of our own messages, to fill in an unsent message (op
// 65) and to fetch a message's media later (stickers, sealed pictures), and the client
// id of each of our sends by reqSeq, so that the echo (op 25) maps back to it.

import type { IncomingMessage } from '../connector'

export interface CachedMessage {
  incoming: IncomingMessage
  contentType: number
  metadata: Record<string, string>
  payload: Record<string, unknown> | null
}

const MAX_MESSAGES = 5_000
const MAX_OWN_PER_CHAT = 500
const MAX_SENDS = 2_000

/** Numeric message ids compare as integers (spec §6.1: server ids are numeric strings). */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
  return a < b ? -1 : a > b ? 1 : 0
}

export class MessageCache {
  private readonly messages = new Map<string, CachedMessage>()
  private readonly own = new Map<string, string[]>()
  private readonly sends = new Map<number, string>()
  /** Our plain attachments whose message went out but whose bytes are still going to OBS (spec §10.1). */
  private readonly uploading = new Set<string>()

  remember(entry: CachedMessage): void {
    const id = entry.incoming.remoteId
    if (!id) return
    this.messages.delete(id)
    this.messages.set(id, entry)
    if (this.messages.size > MAX_MESSAGES) this.messages.delete(this.messages.keys().next().value!)
    if (entry.incoming.fromMe) this.noteOwn(entry.incoming.chatRemoteId, id)
  }

  get(remoteId: string): CachedMessage | undefined {
    return this.messages.get(remoteId)
  }

  noteOwn(chat: string, id: string): void {
    const list = this.own.get(chat) ?? []
    if (list.includes(id)) return
    list.push(id)
    list.sort(compareIds)
    if (list.length > MAX_OWN_PER_CHAT) list.splice(0, list.length - MAX_OWN_PER_CHAT)
    this.own.set(chat, list)
  }

  /** Our own messages in a chat up to and including `id`, oldest first. */
  ownUpTo(chat: string, id: string): string[] {
    return (this.own.get(chat) ?? []).filter((m) => compareIds(m, id) <= 0)
  }

  noteSend(reqSeq: number, clientId: string): void {
    this.sends.delete(reqSeq)
    this.sends.set(reqSeq, clientId)
    if (this.sends.size > MAX_SENDS) this.sends.delete(this.sends.keys().next().value!)
  }

  clientIdFor(reqSeq: number): string | undefined {
    return this.sends.get(reqSeq)
  }

  /** The echo of a plain attachment can come before its upload ends: until then it is not sent. */
  noteUploading(clientId: string, uploading: boolean): void {
    if (uploading) this.uploading.add(clientId)
    else this.uploading.delete(clientId)
  }

  isUploading(clientId: string): boolean {
    return this.uploading.has(clientId)
  }
}
