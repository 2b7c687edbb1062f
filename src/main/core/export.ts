// Export of the whole history, every account and network, to one JSON or HTML file.
// Rows are read in keyset-paged batches and written with back-pressure, so a large
// history neither holds the database connection nor fills memory.

import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import type { ExportFormat, ExportResult } from '../../shared/api'
import type { Store } from './store'

interface ExportRow {
  account_id: string
  network: string
  self_id: string
  display_name: string
  chat_id: number
  chat_remote_id: string
  chat_title: string
  chat_kind: string
  message_id: number | null
  timestamp: number | null
  sender_id: string | null
  sender_name: string | null
  from_me: number | null
  kind: string | null
  text: string | null
  status: string | null
  e2ee: number | null
  edited: number | null
  deleted: number | null
  /** 1 when the media cache holds the message's bytes (a photo or sticker already fetched). */
  cached: number | null
  sort_position: number
}

const BATCH = 5_000

type ChatRow = Pick<
  ExportRow,
  'account_id' | 'network' | 'self_id' | 'display_name' | 'chat_id' | 'chat_remote_id' | 'chat_title' | 'chat_kind' | 'sort_position'
>
type MessageRow = Omit<ExportRow, keyof ChatRow>

/** Every chat (also those without messages) in rail order, then its messages oldest first, in index-ordered batches. */
function* batches(store: Store): Generator<ExportRow[]> {
  const chats = store.db
    .prepare(
      `SELECT a.id AS account_id, a.network, a.self_id, a.display_name, a.position AS sort_position,
              c.id AS chat_id, c.remote_id AS chat_remote_id, c.title AS chat_title, c.kind AS chat_kind
       FROM chats c JOIN accounts a ON a.id = c.account_id ORDER BY a.position, a.created_at, c.id`
    )
    .all() as ChatRow[]
  const page = store.db.prepare(
    // The sender's name falls back to the contact's, so a raw id shows only where no name exists.
    `SELECT m.id AS message_id, m.timestamp, m.sender_id, coalesce(m.sender_name, ct.name) AS sender_name, m.from_me, m.kind, m.text, m.status,
            m.e2ee, m.edited, m.deleted, EXISTS (SELECT 1 FROM media_cache mc WHERE mc.message_id = m.id) AS cached
     FROM messages m LEFT JOIN contacts ct ON ct.account_id = m.account_id AND ct.remote_id = m.sender_id
     WHERE m.chat_id = ? AND (m.timestamp, m.id) > (?, ?) ORDER BY m.timestamp, m.id LIMIT ${BATCH}`
  )
  const empty: MessageRow = {
    message_id: null,
    timestamp: null,
    sender_id: null,
    sender_name: null,
    from_me: null,
    kind: null,
    text: null,
    status: null,
    e2ee: null,
    edited: null,
    deleted: null,
    cached: null
  }
  for (const chat of chats) {
    let cursor: [number, number] = [Number.MIN_SAFE_INTEGER, -1]
    let any = false
    for (;;) {
      const rows = page.all(chat.chat_id, ...cursor) as MessageRow[]
      if (rows.length === 0) break
      any = true
      const last = rows.at(-1)!
      cursor = [last.timestamp!, last.message_id!]
      yield rows.map((m) => ({ ...chat, ...m }))
    }
    if (!any) yield [{ ...chat, ...empty }]
  }
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain')
}

export function exportFileName(format: ExportFormat, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `junction-export-${stamp}.${format}`
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

interface Writer {
  start(): string
  account(r: ExportRow, first: boolean): string
  chat(r: ExportRow, first: boolean): string
  message(r: ExportRow, first: boolean): string
  endChat(): string
  endAccount(): string
  end(): string
}

function jsonWriter(version: string, now: Date): Writer {
  return {
    start: () => `{"app":"Junction","version":${JSON.stringify(version)},"exportedAt":${JSON.stringify(now.toISOString())},"accounts":[`,
    account: (r, first) =>
      `${first ? '' : ','}\n{"id":${JSON.stringify(r.account_id)},"network":${JSON.stringify(r.network)},"selfId":${JSON.stringify(r.self_id)},"displayName":${JSON.stringify(r.display_name)},"chats":[`,
    chat: (r, first) =>
      `${first ? '' : ','}\n{"remoteId":${JSON.stringify(r.chat_remote_id)},"title":${JSON.stringify(r.chat_title)},"kind":${JSON.stringify(r.chat_kind)},"messages":[`,
    message: (r, first) =>
      (first ? '\n' : ',\n') +
      JSON.stringify({
        time: new Date(r.timestamp!).toISOString(),
        senderId: r.sender_id,
        senderName: r.sender_name,
        fromMe: r.from_me === 1,
        kind: r.kind,
        text: r.deleted === 1 ? '' : r.text,
        status: r.status,
        e2ee: r.e2ee === 1,
        edited: r.edited === 1,
        deleted: r.deleted === 1
      }),
    endChat: () => ']}',
    endAccount: () => ']}',
    end: () => ']}\n'
  }
}

/** Image types a browser draws without running anything (no SVG), embedded as data: URIs. */
const EMBEDDABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
/** Past this one image is left out (with a note) rather than growing the file without bound. */
export const EMBED_LIMIT_BYTES = 8 * 1024 * 1024

export interface HtmlExportOptions {
  /** The network's display name (NetworkInfo.displayName) for its id. */
  networkName(id: string): string
  /** A photo's or sticker's cached bytes, if fetched. */
  media(messageId: number): { mime: string; bytes: Buffer } | undefined
}

function mediaHtml(r: ExportRow, o: HtmlExportOptions): string {
  const label = r.kind === 'sticker' ? 'Sticker' : 'Photo'
  const cached = r.cached === 1 ? o.media(r.message_id!) : undefined
  if (!cached) return `<span class="media">[${label}, not downloaded]</span>`
  if (!EMBEDDABLE.has(cached.mime)) return `<span class="media">[${label}, ${escapeHtml(cached.mime)}]</span>`
  if (cached.bytes.length > EMBED_LIMIT_BYTES) return `<span class="media">[${label}, too large to embed]</span>`
  return `<img class="${r.kind}" alt="${label}" src="data:${cached.mime};base64,${cached.bytes.toString('base64')}">`
}

function htmlWriter(now: Date, o: HtmlExportOptions): Writer {
  return {
    start: () =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Junction history</title><style>` +
      `body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em}h2{border-bottom:2px solid #ccc}` +
      `ol{list-style:none;padding:0}li{margin:.3em 0}time{color:#777;font-size:.85em;margin-right:.5em}.me b{color:#2f6fd6}.emote{font-style:italic}` +
      `img.image{display:block;max-width:320px;max-height:320px;margin:.3em 0}img.sticker{display:block;width:120px;height:120px;object-fit:contain}.media{color:#777}` +
      `</style></head><body><h1>Junction history</h1><p>Exported ${escapeHtml(now.toISOString())}</p>`,
    account: (r) => `<section><h2>${escapeHtml(r.display_name)} · ${escapeHtml(o.networkName(r.network))}</h2>`,
    chat: (r) => `<h3>${escapeHtml(r.chat_title)}</h3><ol>`,
    message: (r) => {
      const who = escapeHtml(r.from_me === 1 ? 'You' : (r.sender_name ?? r.sender_id ?? ''))
      const caption = escapeHtml(r.text ?? '')
      const text = r.deleted === 1 ? '<em>deleted</em>' : r.kind === 'image' || r.kind === 'sticker' ? `${mediaHtml(r, o)}${caption}` : caption
      const body = r.kind === 'emote' ? `<span class="emote">* ${who} ${text}</span>` : `<b>${who}</b>: ${text}`
      return `<li class="${r.from_me === 1 ? 'me' : 'them'}"><time datetime="${new Date(r.timestamp!).toISOString()}">${escapeHtml(new Date(r.timestamp!).toISOString().replace('T', ' ').slice(0, 16))}</time>${body}</li>\n`
    },
    endChat: () => '</ol>',
    endAccount: () => '</section>',
    end: () => '</body></html>\n'
  }
}

export async function exportHistory(
  store: Store,
  options: { dir: string; format: ExportFormat; version: string; now: Date; networkName?: (id: string) => string }
): Promise<Omit<ExportResult, 'downloadUrl'>> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 })
  const fileName = exportFileName(options.format, options.now)
  const path = join(options.dir, fileName)
  const stream = createWriteStream(path, { mode: 0o600 })
  const w =
    options.format === 'json'
      ? jsonWriter(options.version, options.now)
      : htmlWriter(options.now, { networkName: options.networkName ?? ((id) => id), media: (id) => store.media.get(id) })
  let messages = 0
  let account: string | null = null
  let chat: number | null = null
  let firstAccount = true
  let firstChat = true
  let firstMessage = true
  try {
    await write(stream, w.start())
    for (const rows of batches(store)) {
      let out = ''
      for (const r of rows) {
        if (r.account_id !== account) {
          if (chat !== null) out += w.endChat()
          if (account !== null) out += w.endAccount()
          out += w.account(r, firstAccount)
          firstAccount = false
          firstChat = true
          account = r.account_id
          chat = null
        }
        if (r.chat_id !== chat) {
          if (chat !== null) out += w.endChat()
          out += w.chat(r, firstChat)
          firstChat = false
          firstMessage = true
          chat = r.chat_id
        }
        if (r.message_id !== null) {
          out += w.message(r, firstMessage)
          firstMessage = false
          messages++
        }
      }
      await write(stream, out)
    }
    if (chat !== null) await write(stream, w.endChat())
    if (account !== null) await write(stream, w.endAccount())
    await write(stream, w.end())
  } finally {
    stream.end()
    await once(stream, 'close')
  }
  return { fileName, path, messages }
}
