// A simulated contact: writes, types, emotes, edits, changes presence and runs group
// threads, as a person on another Skype client would.

import { displayName, type SkypeUser, type StoredMessage, type Thread } from './records'
import type { SkypeWorld } from './world'

let counter = 0

export class SimulatedUser {
  constructor(
    private readonly world: SkypeWorld,
    readonly user: SkypeUser
  ) {}

  private address(to: string): string {
    return to.startsWith('19:') ? to : `8:${this.world.user(to).skypeName}`
  }

  /** Skype-style Client-Message-IDs: millisecond timestamps, kept unique. */
  private cmid(): string {
    return String(this.world.now() * 1000 + (counter++ % 1000))
  }

  say(to: string, text: string, clientMessageId = this.cmid()): StoredMessage {
    return this.send(to, { messageType: 'Text', contentType: 'text/plain; charset=UTF-8', body: text, clientMessageId, displayName: displayName(this.user) })
  }

  /**
   * A /me. `convention` picks how the offset is counted (spec §6.6): SkPy's len(name)+1,
   * gallus' len(name), or skypeweb's "/me text" with offset 4.
   */
  emote(to: string, action: string, convention: 'skpy' | 'gallus' | 'skypeweb' = 'skpy'): StoredMessage {
    const name = displayName(this.user)
    const body = convention === 'skypeweb' ? `/me ${action}` : `${name} ${action}`
    const offset = convention === 'skpy' ? name.length + 1 : convention === 'gallus' ? name.length : 4
    return this.send(to, {
      messageType: 'Text',
      contentType: 'text/plain; charset=UTF-8',
      body,
      clientMessageId: this.cmid(),
      displayName: name,
      emoteOffset: String(offset)
    })
  }

  /** A RichText message (spec §11.4's markup, e.g. a `<quote>` reply), sent as is. */
  sayRich(to: string, body: string): StoredMessage {
    return this.send(to, {
      messageType: 'RichText',
      contentType: 'text/plain; charset=UTF-8',
      body,
      clientMessageId: this.cmid(),
      displayName: displayName(this.user)
    })
  }

  /** A picture or a file as Skype clients share them (spec §6.5 `RichText/UriObject`, `RichText/Media_GenericFile`), the `<URIObject>` body as is. */
  shareMedia(to: string, messageType: 'RichText/UriObject' | 'RichText/Media_GenericFile', body: string): StoredMessage {
    return this.send(to, { messageType, contentType: 'text/plain; charset=UTF-8', body, clientMessageId: this.cmid(), displayName: displayName(this.user) })
  }

  typing(to: string, typing = true): void {
    this.send(to, { messageType: typing ? 'Control/Typing' : 'Control/ClearTyping', contentType: 'Application/Message', body: '' })
  }

  /** spec §6.4 Skype-EditedId: replaces the message this user sent with `clientMessageId`; empty text deletes it. */
  edit(to: string, clientMessageId: string, text: string): StoredMessage {
    return this.send(to, {
      messageType: 'Text',
      contentType: 'text/plain; charset=UTF-8',
      body: text,
      clientMessageId: this.cmid(),
      editedId: clientMessageId,
      displayName: displayName(this.user)
    })
  }

  setStatus(status: string, mood?: string): void {
    this.world.setStatus(this.user, status, mood)
  }

  createThread(topic: string, members: string[]): Thread {
    return this.world.createThread(this.user.key, topic, members)
  }

  joinThread(id: string): void {
    this.world.joinThread(id, this.user.key)
  }

  leaveThread(id: string): void {
    this.world.leaveThread(id, this.user.key)
  }

  removeFromThread(id: string, member: string): void {
    this.world.leaveThread(id, member, this.user.key)
  }

  setTopic(id: string, topic: string): void {
    this.world.setTopic(id, this.user.key, topic)
  }

  private send(to: string, fields: Omit<StoredMessage, 'id' | 'from' | 'to' | 'arrival' | 'fromEpid'>): StoredMessage {
    const m = this.world.route(this.user, undefined, this.address(to), fields)
    if (!m) throw new Error(`${this.user.key} could not send to ${to}`)
    return m
  }
}
