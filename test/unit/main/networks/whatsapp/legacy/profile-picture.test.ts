// spec §6.3 `["query","ProfilePicThumb",JID]` → `{"eurl":"https://…","tag":"<picture id>"}` or
// `{"status":401|404}`; and the picture tokens `Cmd picture` (§6.5) moves on.

import { describe, expect, it } from 'vitest'
import { PictureGenerations, queryProfilePicThumb } from '../../../../../../src/main/networks/whatsapp/legacy/profile-picture'
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
    expect(await queryProfilePicThumb(request, '15550101@c.us')).toBe('https://pps.whatsapp.net/v/t61/abc.jpg?oe=1')
    expect(sent).toEqual([['query', 'ProfilePicThumb', '15550101@c.us']])
  })

  it('is null for 404 (no picture) and 401 (hidden from us); anything else is a protocol error', async () => {
    expect(await queryProfilePicThumb(answering({ status: 404 }).request, 'x@c.us')).toBeNull()
    expect(await queryProfilePicThumb(answering({ status: 401 }).request, 'x@c.us')).toBeNull()
    await expect(queryProfilePicThumb(answering({ status: 500 }).request, 'x@c.us')).rejects.toMatchObject({ code: 'protocol' })
    await expect(queryProfilePicThumb(answering(['odd']).request, 'x@c.us')).rejects.toMatchObject({ code: 'protocol' })
  })

  it('moves a JID’s token on when its picture changes, and only that JID’s', () => {
    const g = new PictureGenerations()
    const bob = g.token('bob@c.us')
    expect(g.bump('bob@c.us')).not.toBe(bob)
    expect(g.token('carol@c.us')).toBe(bob)
  })
})
