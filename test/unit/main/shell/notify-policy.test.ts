import { describe, expect, it } from 'vitest'
import { decideNotification, notificationText, routeNotificationClick, type NotifyContext, type NotifyEvent } from '../../../../src/main/shell/notify-policy'

const event: NotifyEvent = { chatId: 'c1', messageId: 'm9', network: 'line', chatTitle: 'Family', senderName: 'Alice', text: 'dinner at 8?', kind: 'text' }
const context = (over: Partial<NotifyContext> = {}): NotifyContext => ({
  supported: true,
  settings: { enabled: true, showPreview: true },
  pausedUntil: null,
  now: 1_000,
  windowFocused: false,
  networkName: () => 'LINE',
  ...over
})

describe('main-process notifications', () => {
  it('shows a message with the window hidden or closed, worded as the renderer words it', () => {
    expect(decideNotification(event, context())).toEqual({ show: true, title: 'Alice in Family · LINE', body: 'dinner at 8?', chatId: 'c1', messageId: 'm9' })
    expect(notificationText({ ...event, senderName: 'Family' }, true, 'LINE').title).toBe('Family · LINE')
    expect(notificationText({ ...event, kind: 'image', text: '' }, true, 'LINE').body).toBe('Photo')
    expect(notificationText({ ...event, kind: 'sticker', text: '' }, true, 'LINE').body).toBe('Sticker')
    expect(notificationText({ ...event, text: 'x'.repeat(1000) }, true, 'LINE').body.length).toBe(240)
  })

  it('hides sender and text when previews are off, and before the settings are known', () => {
    expect(decideNotification(event, context({ settings: { enabled: true, showPreview: false } }))).toMatchObject({
      show: true,
      title: 'Junction',
      body: 'New message'
    })
    expect(decideNotification(event, context({ settings: null }))).toMatchObject({ show: true, body: 'New message' })
  })

  it('respects the setting, the tray pause, a focused window (the renderer handles it) and platforms without notifications', () => {
    expect(decideNotification(event, context({ settings: { enabled: false, showPreview: true } }))).toEqual({ show: false, why: 'disabled' })
    expect(decideNotification(event, context({ pausedUntil: 2_000 }))).toEqual({ show: false, why: 'paused' })
    expect(decideNotification(event, context({ pausedUntil: 1_000 }))).toMatchObject({ show: true })
    expect(decideNotification(event, context({ windowFocused: true }))).toEqual({ show: false, why: 'renderer-shows' })
    expect(decideNotification(event, context({ supported: false }))).toEqual({ show: false, why: 'unsupported' })
  })

  it('a click brings the window back first, then opens the chat on the message', () => {
    const calls: string[] = []
    const decision = decideNotification(event, context())
    if (!decision.show) throw new Error('expected a notification')
    routeNotificationClick(decision, { showWindow: () => calls.push('show'), openChat: (chatId, messageId) => calls.push(`open ${chatId} ${messageId}`) })
    expect(calls).toEqual(['show', 'open c1 m9'])
  })
})
