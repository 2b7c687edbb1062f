// The upload bar's state (issue 12 §2): `uploadProgress` events set a message's progress,
// the message's own event ends it once it is no longer pending, and the bar's percentage.

import { describe, expect, it } from 'vitest'
import { uploadPercent } from '../../../../src/renderer/src/components/UploadProgress'
import { applyEvent, createAppStore } from '../../../../src/renderer/src/state/store'
import { testMessage } from '../../../helpers/messages'

describe('upload progress in the store', () => {
  it('keeps the latest progress per message and drops it when the message is sent or failed', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'uploadProgress', payload: { messageId: '5', chatId: '1', sent: 10, total: 100 } })
    applyEvent(store, { type: 'uploadProgress', payload: { messageId: '6', chatId: '1', sent: 1, total: 4 } })
    applyEvent(store, { type: 'uploadProgress', payload: { messageId: '5', chatId: '1', sent: 60, total: 100 } })
    expect(store.getState().uploads).toEqual({ '5': { sent: 60, total: 100 }, '6': { sent: 1, total: 4 } })
    // Still pending (e.g. its own echo before the ack): the bar stays.
    applyEvent(store, { type: 'message', payload: testMessage({ id: '5', chatId: '1', fromMe: true, status: 'pending' }) })
    expect(store.getState().uploads['5']).toEqual({ sent: 60, total: 100 })
    applyEvent(store, { type: 'message', payload: testMessage({ id: '5', chatId: '1', fromMe: true, status: 'sent' }) })
    applyEvent(store, { type: 'message', payload: testMessage({ id: '6', chatId: '1', fromMe: true, status: 'failed' }) })
    expect(store.getState().uploads).toEqual({})
  })

  it('leaves the state object alone when nothing changed', () => {
    const store = createAppStore()
    applyEvent(store, { type: 'uploadProgress', payload: { messageId: '5', chatId: '1', sent: 10, total: 100 } })
    const before = store.getState().uploads
    applyEvent(store, { type: 'uploadProgress', payload: { messageId: '5', chatId: '1', sent: 10, total: 100 } })
    applyEvent(store, { type: 'message', payload: testMessage({ id: '9', chatId: '1', status: 'sent' }) })
    expect(store.getState().uploads).toBe(before)
  })

  it('words the bar as a whole percentage, clamped, or none before the first bytes', () => {
    expect(uploadPercent(undefined)).toBeNull()
    expect(uploadPercent({ sent: 0, total: 0 })).toBeNull()
    expect(uploadPercent({ sent: 1, total: 3 })).toBe(33)
    expect(uploadPercent({ sent: 999, total: 1000 })).toBe(99)
    expect(uploadPercent({ sent: 2000, total: 1000 })).toBe(100)
  })
})
