import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IncomingMessage } from '../../../../../src/main/networks/connector'
import { Store } from '../../../../../src/main/core/store'
import { hasCjk, segmentCjk, segmentWord, unsegment } from '../../../../../src/main/core/store/cjk'
import { toCjkFtsQuery, toFtsQuery } from '../../../../../src/main/core/store/search'
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../../../src/shared/model'

let store: Store
let accountId: string
let chatId: number
let seq = 0

function add(text: string, extra: Partial<IncomingMessage> = {}): string {
  seq++
  return store.messages.upsert(chatId, accountId, {
    chatRemoteId: 'c1',
    remoteId: `r${seq}`,
    senderId: 'ann',
    fromMe: false,
    timestamp: 1000 + seq,
    kind: 'text',
    text,
    ...extra
  }).message.id
}

const texts = (query: string): string[] => store.search.search(query, 50).map((h) => h.snippet.replaceAll(SNIPPET_OPEN, '[').replaceAll(SNIPPET_CLOSE, ']'))

beforeEach(() => {
  store = Store.open(':memory:')
  accountId = store.accounts.insert({ network: 'line', selfId: 'me', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
  chatId = store.chats.upsert(accountId, { remoteId: 'c1', kind: 'direct', title: 'Ann' }).id
})
afterEach(() => store.close())

describe('CJK text', () => {
  it('is segmented one character per token, and back', () => {
    expect(hasCjk('hello')).toBe(false)
    expect(hasCjk('東京')).toBe(true)
    expect(hasCjk('서울')).toBe(true)
    expect(hasCjk('カタカナ')).toBe(true)
    expect(segmentWord('東京tower')).toBe('東 京 tower')
    expect(unsegment(segmentCjk('明日は東京 at 10'))).toBe('明日は東京 at 10')
    expect(toCjkFtsQuery('東京 "タワー')).toBe('"東 京"* "タ ワ ー"*')
  })

  it('is found by a word inside a sentence without spaces, in Japanese, Chinese and Korean', () => {
    add('明日は東京タワーに行きます')
    add('我们明天去北京开会')
    add('서울에서 만나요')
    add('京都の紅葉')
    expect(texts('東京')).toEqual(['明日は[東京]タワーに行きます'])
    expect(texts('タワー')).toEqual(['明日は東京[タワー]に行きます'])
    expect(texts('北京开会')).toEqual(['我们明天去[北京开会]'])
    expect(texts('서울')).toEqual(['[서울]에서 만나요'])
    // One character finds every message with it, newest first; the order of characters matters.
    expect(texts('京')).toEqual(['[京]都の紅葉', '我们明天去北[京]开会', '明日は東[京]タワーに行きます'])
    expect(texts('京東')).toEqual([])
  })

  it('matches mixed queries only where every word is present, Latin words as prefixes', () => {
    add('会議 at ten tomorrow')
    add('会議は中止')
    add('meeting tomorrow')
    expect(texts('会議 tom')).toEqual(['[会議] at ten [tomorrow]'])
    expect(texts('tomorrow')).toEqual(['meeting [tomorrow]', '会議 at ten [tomorrow]'])
  })

  it('follows edits and unsends, and the chat going away', () => {
    const id = add('東京で会いましょう')
    store.messages.upsert(chatId, accountId, {
      chatRemoteId: 'c1',
      remoteId: `r${seq}`,
      senderId: 'ann',
      fromMe: false,
      timestamp: 1000 + seq,
      kind: 'text',
      text: '大阪で会いましょう',
      edited: true
    })
    expect(texts('東京')).toEqual([])
    expect(store.search.search('大阪', 10).map((h) => h.messageId)).toEqual([id])
    store.messages.upsert(chatId, accountId, {
      chatRemoteId: 'c1',
      remoteId: `r${seq}`,
      senderId: 'ann',
      fromMe: false,
      timestamp: 1000 + seq,
      kind: 'text',
      text: '',
      deleted: true
    })
    expect(texts('大阪')).toEqual([])
    add('北京')
    store.chats.remove(accountId, 'c1')
    expect(texts('北京')).toEqual([])
    expect((store.db.prepare('SELECT count(*) AS n FROM messages_cjk').get() as { n: number }).n).toBe(0)
  })
})

describe('snippets', () => {
  it('wrap each match in U+0002 … U+0003 and nothing else', () => {
    add('the quarterly budget is due before the quarterly review')
    const [hit] = store.search.search('quarterly', 10)
    expect(hit!.snippet).toBe(`the ${SNIPPET_OPEN}quarterly${SNIPPET_CLOSE} budget is due before the ${SNIPPET_OPEN}quarterly${SNIPPET_CLOSE} review`)
    expect(SNIPPET_OPEN).toBe('\u0002')
    expect(SNIPPET_CLOSE).toBe('\u0003')
  })

  it('mark the typed prefix as the whole word, and CJK matches without the segmenting spaces', () => {
    add('see you tomorrow at the museum')
    add('東京タワーで会いましょう')
    expect(store.search.search('tom mus', 10)[0]!.snippet).toBe(`see you ${SNIPPET_OPEN}tomorrow${SNIPPET_CLOSE} at the ${SNIPPET_OPEN}museum${SNIPPET_CLOSE}`)
    const cjk = store.search.search('タワー', 10)[0]!.snippet
    expect(cjk).toBe(`東京${SNIPPET_OPEN}タワー${SNIPPET_CLOSE}で会いましょう`)
    expect(cjk).not.toContain('\u200b')
  })

  it('shorten long messages around the match with an ellipsis', () => {
    add(`${'filler '.repeat(40)}needle ${'more '.repeat(40)}`)
    const snippet = store.search.search('needle', 10)[0]!.snippet
    expect(snippet).toContain(`${SNIPPET_OPEN}needle${SNIPPET_CLOSE}`)
    expect(snippet.startsWith('…')).toBe(true)
    expect(snippet.endsWith('…')).toBe(true)
    expect(snippet.length).toBeLessThan(120)
  })
})

describe('prefix search', () => {
  it('finds one- and two-letter prefixes, newest first, and keeps the index consistent', () => {
    const ids = ['tea time', 'coffee', 'the end', 'Tokyo trip'].map((t) => add(t))
    expect(store.search.search('t', 10).map((h) => h.messageId)).toEqual([ids[3], ids[2], ids[0]])
    expect(store.search.search('th', 10).map((h) => h.messageId)).toEqual([ids[2]])
    expect(store.search.search('co', 10).map((h) => h.messageId)).toEqual([ids[1]])
    store.messages.remove(Number(ids[2]))
    expect(store.search.search('th', 10)).toEqual([])
    store.db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")
  })

  it('finds a word the tokenizer splits (combining marks, hyphens) as a phrase', () => {
    const id = add('नमस्ते दुनिया, e-mail me')
    add('mail the e-shop')
    expect(toFtsQuery('नमस्ते')).toBe('"नमस्ते"*')
    expect(store.search.search('नमस्ते', 10).map((h) => h.messageId)).toEqual([id])
    expect(store.search.search('e-mail', 10).map((h) => h.messageId)).toEqual([id])
    expect(store.search.search('दुनिया', 10)[0]!.snippet).toContain(SNIPPET_OPEN)
  })

  it('indexes our own pending messages too', () => {
    const pending = store.messages.insertPending({
      chatId,
      accountId,
      clientId: 'client-1',
      senderId: 'me',
      timestamp: 5,
      kind: 'text',
      text: 'draft about 東京',
      media: null
    })
    expect(store.search.search('draft', 10).map((h) => h.messageId)).toEqual([pending.id])
    expect(store.search.search('東京', 10).map((h) => h.messageId)).toEqual([pending.id])
  })
})
