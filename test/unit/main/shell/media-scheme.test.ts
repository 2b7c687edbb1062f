import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import { answerMediaRequest } from '../../../../src/main/shell/media-scheme'

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47])
const media = async (id: string) => {
  if (id === '7') return { mime: 'image/png', bytes: png }
  if (id === '8') return { mime: 'text/html', bytes: new TextEncoder().encode('<script>alert(1)</script>') }
  if (id === '9') throw new JunctionError('unavailable', 'offline')
  throw new JunctionError('not-found', 'no such message')
}

describe('junction-media:', () => {
  it('serves a picture from the media cache, inline, inert', async () => {
    const a = await answerMediaRequest('junction-media://media/7', 'GET', media)
    expect(a.status).toBe(200)
    expect(a.headers['Content-Type']).toBe('image/png')
    expect(a.headers['Content-Length']).toBe('4')
    expect(a.headers['X-Content-Type-Options']).toBe('nosniff')
    expect(a.body).toEqual(png)
  })

  it('never serves a type that could run as a page: it downloads instead', async () => {
    const a = await answerMediaRequest('junction-media://media/8', 'GET', media)
    expect(a.headers['Content-Type']).toBe('application/octet-stream')
    expect(a.headers['Content-Disposition']).toBe('attachment')
    expect(a.headers['Content-Security-Policy']).toContain('sandbox')
  })

  it('answers bad, unknown and unavailable requests with a status, not a throw', async () => {
    expect((await answerMediaRequest('junction-media://media/1', 'GET', media)).status).toBe(404)
    expect((await answerMediaRequest('junction-media://media/9', 'GET', media)).status).toBe(503)
    expect((await answerMediaRequest('junction-media://media/..%2f..%2fetc', 'GET', media)).status).toBe(404)
    expect((await answerMediaRequest('junction-media://media/7?x', 'POST', media)).status).toBe(405)
    expect((await answerMediaRequest('junction-media://other/7', 'GET', media)).status).toBe(404)
    expect((await answerMediaRequest('not a url', 'GET', media)).status).toBe(400)
  })
})
