import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPhonePage } from '../../servers/phone-page'
import type { SandboxNetwork } from '../../servers/sandbox-types'

const scanned: string[] = []
const pins: string[] = []
const sent: [string, string][] = []
let url: string
let close: () => void

beforeAll(async () => {
  const network = {
    id: 'line',
    definition: {} as SandboxNetwork['definition'],
    config: {},
    phone: {
      label: 'LINE phone of Alice',
      help: () => ['E-mail login: alice / sandbox'],
      scan: async (payload: string) => {
        scanned.push(payload)
        return 'Scanned.'
      },
      enterPin: async (pin: string) => {
        if (pin !== '123456') throw new Error('That PIN is not the one Junction shows.')
        pins.push(pin)
        return 'PIN accepted.'
      },
      chats: async () => [{ id: 'bob', title: 'Bob' }],
      sendAs: async (chatId: string, text: string) => void sent.push([chatId, text])
    },
    close: async () => {}
  } satisfies SandboxNetwork
  const page = await startPhonePage([network])
  url = page.url
  close = () => page.server.close()
})
afterAll(() => close?.())

const post = (path: string, body: string | Buffer, type = 'application/json') =>
  fetch(new URL(path, url), { method: 'POST', body, headers: { 'content-type': type } })

describe('the sandbox phone page', () => {
  it('lists each phone with what it can do', async () => {
    const phones = (await (await fetch(new URL('/phones', url))).json()) as unknown[]
    expect(phones).toEqual([
      { id: 'line', label: 'LINE phone of Alice', help: ['E-mail login: alice / sandbox'], canScan: true, canPin: true, chats: [{ id: 'bob', title: 'Bob' }] }
    ])
    const html = await (await fetch(url)).text()
    expect(html).toContain('/phone.js')
  })

  it('scans pasted QR text, and a pasted screenshot of the code', async () => {
    expect(await (await post('/phone/line/scan', JSON.stringify({ payload: 'https://line.me/R/au/lgn/sq/SQ1?secret=x' }))).text()).toBe('Scanned.')
    const png = await QRCode.toBuffer('from-a-screenshot', { type: 'png', margin: 4, width: 240 })
    const res = await post('/phone/line/scan-image', png, 'image/png')
    expect(res.status).toBe(200)
    expect(scanned).toEqual(['https://line.me/R/au/lgn/sq/SQ1?secret=x', 'from-a-screenshot'])
    const blank = await post('/phone/line/scan-image', Buffer.from('not a png'), 'image/png')
    expect(blank.status).toBe(400)
  })

  it('takes the PIN and says clearly when it is wrong', async () => {
    const wrong = await post('/phone/line/pin', JSON.stringify({ pin: '000000' }))
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toBe('That PIN is not the one Junction shows.')
    expect((await post('/phone/line/pin', JSON.stringify({ pin: '123456' }))).status).toBe(200)
  })

  it('writes as a contact, and refuses unknown networks and actions', async () => {
    expect((await post('/phone/line/send', JSON.stringify({ chatId: 'bob', text: 'hi' }))).status).toBe(200)
    expect(sent).toEqual([['bob', 'hi']])
    expect((await post('/phone/icq/send', '{}')).status).toBe(404)
    expect((await post('/phone/line/format-disk', '{}')).status).toBe(404)
  })
})
