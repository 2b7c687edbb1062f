// spec §6.3 `["query","ProfilePicThumb",JID]` → `{"eurl":"https://…","tag":"<picture id>"}` or
// `{"status":401|404}`; the tags become the tokens Core keeps.

import { describe, expect, it } from 'vitest'
import { PictureTags, queryProfilePicThumb, resolvePictures } from '../../../../../../src/main/networks/whatsapp/legacy/profile-picture'
import { silentLogger } from '../../../../../../src/main/base/log'
import type { Reply } from '../../../../../../src/main/networks/whatsapp/legacy/transport'

const answering = (value: unknown) => {
  const sent: unknown[] = []
  const request = async (v: unknown): Promise<Reply> => {
    sent.push(v)
    return { kind: 'json', value }
  }
  return { sent, request }
}

describe('ProfilePicThumb', () => {
  it('asks for the JID and reads the eurl', async () => {
    const { sent, request } = answering({ eurl: 'https://pps.whatsapp.net/v/t61/abc.jpg?oe=1', tag: '1583950234' })
    expect(await queryProfilePicThumb(request, '15550101@c.us')).toEqual({ eurl: 'https://pps.whatsapp.net/v/t61/abc.jpg?oe=1', tag: '1583950234' })
    expect(sent).toEqual([['query', 'ProfilePicThumb', '15550101@c.us']])
  })

  it('is null for 404 (no picture) and 401 (hidden from us); anything else is a protocol error', async () => {
    expect(await queryProfilePicThumb(answering({ status: 404 }).request, 'x@c.us')).toBeNull()
    expect(await queryProfilePicThumb(answering({ status: 401 }).request, 'x@c.us')).toBeNull()
    await expect(queryProfilePicThumb(answering({ status: 500 }).request, 'x@c.us')).rejects.toMatchObject({ code: 'protocol' })
    await expect(queryProfilePicThumb(answering(['odd']).request, 'x@c.us')).rejects.toMatchObject({ code: 'protocol' })
  })

  it('reports each JID whose tag changed, an empty tag for none, and only those', async () => {
    const tags = new PictureTags()
    const answers: Record<string, unknown> = { 'bob@c.us': { eurl: 'https://pps.whatsapp.net/v/t61/b.jpg', tag: 't1' }, 'team@g.us': { status: 404 } }
    const request = async (v: unknown): Promise<Reply> => ({ kind: 'json', value: answers[(v as string[])[2]!] })
    const changes: [string, string][] = []
    await resolvePictures(request, ['bob@c.us', 'team@g.us'], tags, (jid, token) => changes.push([jid, token]), silentLogger)
    expect(changes).toEqual([
      ['bob@c.us', 't1'],
      ['team@g.us', '']
    ])
    await resolvePictures(request, ['bob@c.us'], tags, (jid, token) => changes.push([jid, token]), silentLogger)
    expect(changes).toHaveLength(2)
    expect(tags.token('carol@c.us')).toBeUndefined()
  })
})
