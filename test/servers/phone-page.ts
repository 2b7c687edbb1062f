// The sandbox phone page: one page to drive every network's simulated phone — scan the
// QR the app shows (paste its screenshot or its text), type a PIN, write as a contact, and —
// where the network's server keeps it — see what each contact received, type, read and react
// (issue 12 §8), so a person can check delivery from here.

import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import type { SandboxNetwork } from './sandbox-types'

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Junction sandbox phone</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/phone.css"><script src="/phone.js" defer></script></head>
<body><h1>Sandbox phone</h1><p>Paste a screenshot of the QR code (Ctrl+V) or its text into a network's box and press Scan.</p><div id="phones"></div></body></html>`

const CSS =
  `body{font-family:system-ui,sans-serif;margin:24px;max-width:760px}section{border:1px solid #ccc;border-radius:10px;padding:12px;margin:12px 0}
textarea,input,select{font:inherit;width:100%;box-sizing:border-box;margin:4px 0}button{font:inherit;margin:4px 4px 4px 0}.out{color:#205f20;white-space:pre-wrap}.err{color:#b00020}` +
  `ol.received{list-style:none;padding:0;margin:6px 0;max-height:240px;overflow:auto;border-top:1px solid #eee}ol.received li{padding:4px 0;border-bottom:1px solid #eee}` +
  `ol.received small{color:#555;margin-left:6px}label.inline{display:inline-flex;gap:6px;align-items:center}label.inline input{width:auto}`

const SCRIPT = `
const phones = document.getElementById('phones')
async function post(path, body, type) {
  const res = await fetch(path, { method: 'POST', body, headers: { 'content-type': type || 'application/json' } })
  const text = await res.text()
  if (!res.ok) throw new Error(text)
  return text
}
function el(tag, props, ...children) { const e = Object.assign(document.createElement(tag), props); e.append(...children); return e }
async function render() {
  const list = await (await fetch('/phones')).json()
  phones.replaceChildren()
  for (const p of list) {
    const out = el('p', { className: 'out', role: 'status' })
    const show = (f) => f.then((t) => { out.className = 'out'; out.textContent = t }, (e) => { out.className = 'err'; out.textContent = e.message })
    const box = el('textarea', { rows: 2, placeholder: 'QR text, or paste its screenshot here' })
    box.addEventListener('paste', (e) => {
      const item = [...e.clipboardData.items].find((i) => i.type === 'image/png')
      if (!item) return
      e.preventDefault()
      show(post('/phone/' + p.id + '/scan-image', item.getAsFile(), 'image/png'))
    })
    const section = el('section', {}, el('h2', { textContent: p.label }), ...p.help.map((h) => el('p', { textContent: h })))
    if (p.canScan) section.append(box, el('button', { textContent: 'Scan', onclick: () => show(post('/phone/' + p.id + '/scan', JSON.stringify({ payload: box.value.trim() }))) }))
    if (p.canPin) { const pin = el('input', { placeholder: 'PIN or code shown in Junction', ariaLabel: 'PIN or code shown in Junction', autocapitalize: 'characters' }); section.append(pin, el('button', { textContent: 'Enter PIN', onclick: () => show(post('/phone/' + p.id + '/pin', JSON.stringify({ pin: pin.value.trim() }))) })) }
    const chat = el('select', { ariaLabel: 'Chat on ' + p.label }, ...p.chats.map((c) => el('option', { value: c.id, textContent: c.title })))
    const text = el('input', { placeholder: 'Write as this contact', ariaLabel: 'Message as this contact' })
    let typing = false
    const setTyping = (on) => { if (!p.canType || on === typing) return; typing = on; post('/phone/' + p.id + '/typing', JSON.stringify({ chatId: chat.value, typing: on })).catch(() => {}) }
    text.addEventListener('input', () => setTyping(text.value !== ''))
    text.addEventListener('blur', () => setTyping(false))
    section.append(chat, text, el('button', { textContent: 'Send', onclick: () => { setTyping(false); show(post('/phone/' + p.id + '/send', JSON.stringify({ chatId: chat.value, text: text.value })).then(() => { text.value = ''; return 'Sent.' })) } }))
    if (p.canRead) section.append(el('button', { textContent: 'Mark read', onclick: () => show(post('/phone/' + p.id + '/read', JSON.stringify({ chatId: chat.value })).then(() => 'Read.').finally(received)) }))
    const list = el('ol', { className: 'received', ariaLabel: 'Received by this contact' })
    async function received() {
      if (!p.canList) return
      const items = await (await fetch('/phone/' + p.id + '/received?chat=' + encodeURIComponent(chat.value))).json()
      list.replaceChildren(...items.map((m) => {
        // dataset is read-only: Object.assign in el() would throw on it, so the id is set after.
        const li = el('li', {}, el('span', { textContent: m.text, dir: 'auto' }), el('small', { textContent: new Date(m.at).toLocaleTimeString() + ' · ' + m.status }))
        li.dataset.id = m.id
        if (p.canReact) for (const emoji of p.reactions) li.append(el('button', { textContent: emoji, ariaLabel: 'React ' + emoji + ' to ' + m.text, onclick: () => show(post('/phone/' + p.id + '/react', JSON.stringify({ chatId: chat.value, messageId: m.id, emoji })).then(() => 'Reacted ' + emoji + '.')) }))
        return li
      }))
    }
    if (p.canList) {
      chat.addEventListener('change', received)
      section.append(el('h3', { textContent: 'Received from Junction' }), list, el('button', { textContent: 'Refresh', onclick: received }))
      received()
      setInterval(() => { if (document.visibilityState === 'visible') received().catch(() => {}) }, 3000)
    }
    section.append(out)
    phones.append(section)
  }
}
render()
`

/** The phone page's quick reactions where a network takes any emoji. */
const DEFAULT_REACTIONS = ['👍', '❤️', '😂']

function body(req: IncomingMessage, limit = 5_000_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) req.destroy(new Error('too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function decodeQrImage(png: Buffer): string {
  const image = PNG.sync.read(png)
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)
  if (!code) throw new Error('No QR code found in that image.')
  return code.data
}

export async function startPhonePage(networks: SandboxNetwork[], port = 0): Promise<{ url: string; server: Server }> {
  const byId = new Map(networks.map((n) => [n.id, n]))
  const server = createServer((req, res) => {
    const send = (status: number, type: string, text: string): void => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': "default-src 'self'" })
      res.end(text)
    }
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html; charset=utf-8', PAGE)
      if (req.method === 'GET' && url.pathname === '/phone.js') return send(200, 'text/javascript', SCRIPT)
      if (req.method === 'GET' && url.pathname === '/phone.css') return send(200, 'text/css', CSS)
      if (req.method === 'GET' && url.pathname === '/phones') {
        const list = await Promise.all(
          networks.map(async (n) => ({
            id: n.id,
            label: n.phone.label,
            help: n.phone.help(),
            canScan: !!n.phone.scan,
            canPin: !!n.phone.enterPin,
            canList: !!n.phone.received,
            canType: !!n.phone.typing,
            canRead: !!n.phone.read,
            canReact: !!n.phone.react,
            reactions: n.phone.reactionEmoji ?? DEFAULT_REACTIONS,
            chats: await n.phone.chats()
          }))
        )
        return send(200, 'application/json', JSON.stringify(list))
      }
      const m = /^\/phone\/([\w-]+)\/(scan|scan-image|pin|send|received|typing|read|react)$/.exec(url.pathname)
      const network = m ? byId.get(m[1] as SandboxNetwork['id']) : undefined
      if (req.method === 'GET' && m?.[2] === 'received' && network?.phone.received) {
        try {
          return send(200, 'application/json', JSON.stringify(await network.phone.received(url.searchParams.get('chat') ?? '')))
        } catch (error) {
          return send(400, 'text/plain', error instanceof Error ? error.message : String(error))
        }
      }
      if (req.method !== 'POST' || !m || !network || m[2] === 'received') return send(404, 'text/plain', 'Not found')
      const raw = await body(req)
      try {
        const phone = network.phone
        if (m[2] === 'scan-image') return send(200, 'text/plain', await phone.scan!(decodeQrImage(raw)))
        const input = JSON.parse(raw.toString('utf8')) as {
          payload?: string
          pin?: string
          chatId?: string
          text?: string
          typing?: boolean
          messageId?: string
          emoji?: string
        }
        if (m[2] === 'scan') return send(200, 'text/plain', await phone.scan!(input.payload ?? ''))
        if (m[2] === 'pin') return send(200, 'text/plain', await phone.enterPin!(input.pin ?? ''))
        const unsupported = (): void => send(404, 'text/plain', 'This phone cannot do that.')
        if (m[2] === 'typing')
          return phone.typing ? (await phone.typing(input.chatId ?? '', input.typing === true), send(200, 'text/plain', 'OK')) : unsupported()
        if (m[2] === 'read') return phone.read ? (await phone.read(input.chatId ?? ''), send(200, 'text/plain', 'Read.')) : unsupported()
        if (m[2] === 'react') {
          if (!phone.react) return unsupported()
          await phone.react(input.chatId ?? '', input.messageId ?? '', input.emoji ?? '')
          return send(200, 'text/plain', 'Reacted.')
        }
        await phone.sendAs(input.chatId ?? '', input.text ?? '')
        return send(200, 'text/plain', 'Sent.')
      } catch (error) {
        return send(400, 'text/plain', error instanceof Error ? error.message : String(error))
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}
