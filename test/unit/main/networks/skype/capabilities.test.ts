// What an account offers by the dialect its session speaks (issue 12 capability table, issue 16).
import { describe, expect, it } from 'vitest'
import { dialectCapabilities } from '../../../../../src/main/networks/skype/capabilities'
import { skypeNetwork } from '../../../../../src/main/networks/skype/connector'

const offered = (dialect: Parameters<typeof dialectCapabilities>[0]) => ({ ...skypeNetwork.capabilities, ...dialectCapabilities(dialect) })

describe('Skype capabilities by dialect', () => {
  it('MSNP24 edits, deletes and quotes, but manages no contacts and sends no nudges', () => {
    expect(offered('msnp24')).toMatchObject({ edits: true, unsend: true, replies: true, contactActions: false, nudges: false })
  })
  it('MSNP18 (Messenger) manages contacts and nudges, but has no edits, deletes or quotes', () => {
    expect(offered('msnp18')).toMatchObject({ edits: false, unsend: false, replies: false, contactActions: true, nudges: true })
  })
  it('MSNP21 on a revival server has none of them', () => {
    expect(offered('msnp21')).toMatchObject({ edits: false, unsend: false, replies: false, contactActions: false, nudges: false })
  })

  it('sends and receives photos and files on MSNP24 only (the AMS store needs its Skype token; MSNP18 files are P2P)', () => {
    expect(offered('msnp24')).toMatchObject({ receiveImages: true, sendImages: true, sendFiles: true, maxUploadBytes: expect.any(Number) })
    expect(offered(undefined)).toMatchObject({ sendImages: true, sendFiles: true })
    for (const dialect of ['msnp21', 'msnp18'] as const) expect(offered(dialect)).toMatchObject({ receiveImages: false, sendImages: false, sendFiles: false })
  })
})
