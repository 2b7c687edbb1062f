import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPhonePage } from '../../servers/phone-page'
import type { SandboxNetwork } from '../../servers/sandbox-types'

const scanned: string[] = []
const pins: string[] = []
const sent: [string, string][] = []
const done: unknown[] = []
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
  // A phone whose server keeps what the contact received, and lets the contact type, read and react (issue 12 §8).
  const chatty = {
    id: 'whatsapp',
    definition: {} as SandboxNetwork['definition'],
    config: {},
    phone: {
      label: 'WhatsApp phone of Alice',
      help: () => [],
      chats: async () => [{ id: 'bob@c.us', title: 'Bob' }],
      sendAs: async () => {},
      received: async (chatId: string) => {
        if (chatId !== 'bob@c.us') throw new Error('No such chat.')
        return [{ id: 'M1', text: 'hello from Junction', at: 1_000, status: done.length > 0 ? 'read' : 'delivered' }]
      },
      typing: async (chatId: string, typing: boolean) => void done.push(['typing', chatId, typing]),
      read: async (chatId: string) => void done.push(['read', chatId]),
      react: async (chatId: string, messageId: string, emoji: string) => void done.push(['react', chatId, messageId, emoji])
    },
    close: async () => {}
  } satisfies SandboxNetwork
  const page = await startPhonePage([network, chatty])
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
      {
        id: 'line',
        label: 'LINE phone of Alice',
        help: ['E-mail login: alice / sandbox'],
        canScan: true,
        canPin: true,
        canList: false,
        canType: false,
        canRead: false,
        canReact: false,
        reactions: ['👍', '❤️', '😂'],
        chats: [{ id: 'bob', title: 'Bob' }]
      },
      {
        id: 'whatsapp',
        label: 'WhatsApp phone of Alice',
        help: [],
        canScan: false,
        canPin: false,
        canList: true,
        canType: true,
        canRead: true,
        canReact: true,
        reactions: ['👍', '❤️', '😂'],
        chats: [{ id: 'bob@c.us', title: 'Bob' }]
      }
    ])
    const html = await (await fetch(url)).text()
    expect(html).toContain('/phone.js')
    // The page's script is a string in phone-page.ts: a syntax error there would only show in a browser.
    const script = await (await fetch(new URL('/phone.js', url))).text()
    expect(() => new Function(script)).not.toThrow()
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

  it('shows what a contact received, and lets the contact type, read and react', async () => {
    const received = async (chat: string) => fetch(new URL(`/phone/whatsapp/received?chat=${encodeURIComponent(chat)}`, url))
    expect(await (await received('bob@c.us')).json()).toEqual([{ id: 'M1', text: 'hello from Junction', at: 1_000, status: 'delivered' }])
    expect((await received('nobody')).status).toBe(400)
    expect((await post('/phone/whatsapp/typing', JSON.stringify({ chatId: 'bob@c.us', typing: true }))).status).toBe(200)
    expect((await post('/phone/whatsapp/read', JSON.stringify({ chatId: 'bob@c.us' }))).status).toBe(200)
    expect((await post('/phone/whatsapp/react', JSON.stringify({ chatId: 'bob@c.us', messageId: 'M1', emoji: '👍' }))).status).toBe(200)
    expect(done).toEqual([
      ['typing', 'bob@c.us', true],
      ['read', 'bob@c.us'],
      ['react', 'bob@c.us', 'M1', '👍']
    ])
    expect(((await (await received('bob@c.us')).json()) as { status: string }[])[0]!.status).toBe('read')
    // A phone without the hooks says so instead of pretending.
    expect((await post('/phone/line/react', JSON.stringify({ chatId: 'bob', messageId: 'x', emoji: '👍' }))).status).toBe(404)
    expect((await fetch(new URL('/phone/line/received?chat=bob', url))).status).toBe(404)
  })
})
