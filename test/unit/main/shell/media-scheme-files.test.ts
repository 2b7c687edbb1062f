// Issue 12 §2: a file (media with a name) is always a download with its safe name, even of a type a browser shows.

import { describe, expect, it } from 'vitest'
import { answerMediaRequest, MEDIA_URL_BASE } from '../../../../src/main/shell/media-scheme'

describe('junction-media: files', () => {
  it('serves a named file as an attachment with its UTF-8 name', async () => {
    const answer = await answerMediaRequest(`${MEDIA_URL_BASE}7`, 'GET', async () => ({
      mime: 'application/pdf',
      bytes: new Uint8Array([1, 2]),
      name: 'plan é.pdf'
    }))
    expect(answer.status).toBe(200)
    expect(answer.headers['Content-Type']).toBe('application/octet-stream')
    expect(answer.headers['Content-Disposition']).toBe(`attachment; filename="plan _.pdf"; filename*=UTF-8''plan%20%C3%A9.pdf`)
  })

  it('does not show a picture sent as a file inline', async () => {
    const answer = await answerMediaRequest(`${MEDIA_URL_BASE}8`, 'GET', async () => ({ mime: 'image/png', bytes: new Uint8Array([1]), name: 'shot.png' }))
    expect(answer.headers['Content-Disposition']).toMatch(/^attachment; /)
    expect(answer.headers['Content-Type']).toBe('application/octet-stream')
    const photo = await answerMediaRequest(`${MEDIA_URL_BASE}9`, 'GET', async () => ({ mime: 'image/png', bytes: new Uint8Array([1]) }))
    expect(photo.headers['Content-Disposition']).toBeUndefined()
    expect(photo.headers['Content-Type']).toBe('image/png')
  })
})
