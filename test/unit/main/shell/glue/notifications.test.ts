// The main-process notifier's glue with a stand-in Electron Notification: it shows what the
// policy decides, keeps one per chat, and a click brings the window back and opens the chat.
import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../../src/main/base/log'
import type { NotifyEvent } from '../../../../../src/main/shell/notify-policy'

const shown = vi.hoisted(() => [] as Array<{ options: { title: string; body: string; icon: string }; closed: boolean; emit(e: string): void }>)
vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  class Notification extends EventEmitter {
    static isSupported = (): boolean => true
    closed = false
    constructor(readonly options: { title: string; body: string; icon: string }) {
      super()
    }
    show(): void {
      shown.push(this)
    }
    close(): void {
      this.closed = true
      this.emit('close')
    }
  }
  return { Notification }
})

const { createMainNotifier } = await import('../../../../../src/main/notifications')

const event = (chatId: string, text: string): NotifyEvent => ({
  chatId,
  messageId: `${chatId}-m`,
  network: 'skype',
  chatTitle: 'Bob',
  senderName: 'Bob',
  text,
  kind: 'text'
})

describe('main-process notifications in Electron', () => {
  it('shows, replaces per chat, and routes a click to the chat', () => {
    const calls: string[] = []
    let focused = false
    const notifier = createMainNotifier({
      log: silentLogger,
      iconPath: '/app/resources/icon.png',
      settings: () => ({ enabled: true, showPreview: true }),
      pausedUntil: () => null,
      windowFocused: () => focused,
      networkName: () => 'Skype',
      target: { showWindow: () => calls.push('show'), openChat: (c, m) => calls.push(`open ${c} ${m}`) }
    })
    notifier.onNotify(event('c1', 'hello'))
    expect(shown.at(-1)!.options).toMatchObject({ title: 'Bob · Skype', body: 'hello', icon: '/app/resources/icon.png' })
    const first = shown.at(-1)!
    notifier.onNotify(event('c1', 'again'))
    expect(first.closed).toBe(true)
    shown.at(-1)!.emit('click')
    expect(calls).toEqual(['show', 'open c1 c1-m'])
    // With the window focused the renderer shows it: nothing new from main.
    focused = true
    const count = shown.length
    notifier.onNotify(event('c2', 'x'))
    expect(shown.length).toBe(count)
  })
})
