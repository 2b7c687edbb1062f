// ActiveSync against spec §14: the base64 query value decoded byte by byte, and the
// WBXML byte strings of §14.4, both ways.

import { describe, expect, it } from 'vitest'
import { decodeActiveSyncQuery, encodeActiveSyncQuery } from '../../../../../src/main/networks/skype/activesync/query'
import { decodeWbxml, el, encodeWbxml } from '../../../../../src/main/networks/skype/activesync/wbxml'
import { folderSyncRequest, readFolders, readSync, syncRequest } from '../../../../../src/main/networks/skype/activesync/sync'
import { ProtocolError } from '../../../../../src/shared/errors'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')

describe('the base64 query value (spec §14.2)', () => {
  it('reproduces Skype\u2019s FolderSync query string from its inputs', () => {
    expect(
      encodeActiveSyncQuery({
        protocolVersion: 140,
        command: 'FolderSync',
        locale: 0x0409,
        deviceId: 'Skype-3026547794',
        policyKey: null,
        deviceType: 'ClassicSkype'
      })
    ).toBe('jAkJBBBTa3lwZS0zMDI2NTQ3Nzk0AAxDbGFzc2ljU2t5cGU=')
  })

  it('gives the Sync form with command byte 00', () => {
    expect(
      encodeActiveSyncQuery({
        protocolVersion: 140,
        command: 'Sync',
        locale: 0x0409,
        deviceId: 'Skype-3026547794',
        policyKey: null,
        deviceType: 'ClassicSkype'
      })
    ).toBe('jAAJBBBTa3lwZS0zMDI2NTQ3Nzk0AAxDbGFzc2ljU2t5cGU=')
  })

  it('decodes the capture and Microsoft\u2019s own example field by field', () => {
    expect(decodeActiveSyncQuery('jAkJBBBTa3lwZS0zMDI2NTQ3Nzk0AAxDbGFzc2ljU2t5cGU=')).toEqual({
      protocolVersion: 140,
      command: 'FolderSync',
      locale: 0x0409,
      deviceId: 'Skype-3026547794',
      policyKey: null,
      deviceType: 'ClassicSkype',
      parameters: []
    })
    expect(decodeActiveSyncQuery('jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l')).toEqual({
      protocolVersion: 140,
      command: 'Sync',
      locale: 0x0409,
      deviceId: 'v140Device',
      policyKey: null,
      deviceType: 'SmartPhone',
      parameters: []
    })
  })

  it('round-trips a policy key and command parameters', () => {
    const q = {
      protocolVersion: 141,
      command: 'ItemOperations' as const,
      locale: 0x0809,
      deviceId: 'd',
      policyKey: 0xdeadbeef,
      deviceType: 't',
      parameters: [{ tag: 8, value: new Uint8Array([1, 2]) }]
    }
    expect(decodeActiveSyncQuery(encodeActiveSyncQuery(q))).toEqual(q)
  })

  it('rejects a value that ends early or names an unknown command', () => {
    expect(() => decodeActiveSyncQuery('jAkJBBBTa3lw')).toThrow(ProtocolError)
    expect(() => decodeActiveSyncQuery(Buffer.from([140, 99, 9, 4, 0, 0, 0]).toString('base64'))).toThrow(ProtocolError)
    expect(() => decodeActiveSyncQuery('not base64!')).toThrow(ProtocolError)
  })
})

describe('WBXML (spec §14.3, §14.4)', () => {
  it('writes FolderSync with Skype\u2019s SID property bag as the 26 bytes of the spec', () => {
    expect(Buffer.from(encodeWbxml(folderSyncRequest()))).toEqual(hex('03 01 6A 00  00 07  56  52 03 30 00 01  00 FE  45 46 47 03 53 49 44 00 01 01 01  01'))
  })

  it('writes the plain FolderSync, and both Sync requests, byte for byte', () => {
    expect(Buffer.from(encodeWbxml(el('FolderHierarchy:FolderSync', el('FolderHierarchy:SyncKey', '0'))))).toEqual(
      hex('03 01 6A 00 00 07 56 52 03 30 00 01 01')
    )
    expect(Buffer.from(encodeWbxml(syncRequest('2', '0')))).toEqual(hex('03 01 6A 00 45 5C 4F 4B 03 30 00 01 52 03 32 00 01 01 01 01'))
    expect(Buffer.from(encodeWbxml(syncRequest('2', '1234')))).toEqual(
      hex('03 01 6A 00 45 5C 4F 4B 03 31 32 33 34 00 01 52 03 32 00 01 13 55 03 31 30 30 00 01 01 01 01')
    )
  })

  it('decodes the spec\u2019s bytes back to the same tree', () => {
    expect(decodeWbxml(hex('03 01 6A 00  00 07  56  52 03 30 00 01  00 FE  45 46 47 03 53 49 44 00 01 01 01  01'))).toEqual(folderSyncRequest())
  })

  it('reads opaque data, string-table references and entities', () => {
    // Root on page 1 (Contacts): Email1Address with STR_T offset 0, Picture with OPAQUE 3 bytes, FirstName with an entity.
    const doc = hex('03 01 6A 04 61 40 62 00  00 01  5E 5B 83 00 01 7C C3 03 01 02 03 01 5F 02 81 69 01 01')
    const tree = decodeWbxml(doc)
    expect(tree.tag).toBe('Contacts:FileAs')
    expect(tree.children).toEqual([
      { tag: 'Contacts:Email1Address', children: ['a@b'] },
      { tag: 'Contacts:Picture', children: [new Uint8Array([1, 2, 3])] },
      { tag: 'Contacts:FirstName', children: ['\u00e9'] }
    ])
  })

  it('keeps tokens it has no name for instead of failing', () => {
    expect(decodeWbxml(hex('03 01 6A 00 00 05 45 01')).tag).toBe('Page5:0x05')
  })

  it('rejects attributes, trailing bytes and unterminated strings', () => {
    expect(() => decodeWbxml(hex('03 01 6A 00 C5 01'))).toThrow(ProtocolError)
    expect(() => decodeWbxml(hex('03 01 6A 00 05 05'))).toThrow(ProtocolError)
    expect(() => decodeWbxml(hex('03 01 6A 00 45 03 41 42'))).toThrow(ProtocolError)
    expect(() => encodeWbxml(el('Nope:Tag'))).toThrow(ProtocolError)
  })
})

describe('reading FolderSync and Sync replies', () => {
  it('takes each folder\u2019s SID from its property bag', () => {
    const reply = el(
      'FolderHierarchy:FolderSync',
      el('FolderHierarchy:Status', '1'),
      el('FolderHierarchy:SyncKey', '1'),
      el(
        'FolderHierarchy:Changes',
        el('FolderHierarchy:Count', '1'),
        el(
          'FolderHierarchy:Add',
          el('FolderHierarchy:ServerId', '4'),
          el('FolderHierarchy:ParentId', '0'),
          el('FolderHierarchy:DisplayName', 'Skype Contacts'),
          el('FolderHierarchy:Type', '14'),
          el('Skype:PropertyBag', el('Skype:Property', el('Skype:Name', 'SID'), el('Skype:Value', 'SKYPE')))
        )
      )
    )
    expect(readFolders(decodeWbxml(encodeWbxml(reply)))).toEqual([{ serverId: '4', displayName: 'Skype Contacts', sid: 'SKYPE' }])
  })

  it('reads contacts, the next key and MoreAvailable, and refuses a failed status', () => {
    const reply = el(
      'AirSync:Sync',
      el(
        'AirSync:Collections',
        el(
          'AirSync:Collection',
          el('AirSync:SyncKey', '7'),
          el('AirSync:CollectionId', '4'),
          el('AirSync:Status', '1'),
          el('AirSync:MoreAvailable'),
          el(
            'AirSync:Commands',
            el(
              'AirSync:Add',
              el('AirSync:ServerId', '4:1'),
              el('AirSync:ApplicationData', el('Contacts:FileAs', 'Bob Smith'), el('Contacts2:IMAddress', 'bob.smith'))
            )
          )
        )
      )
    )
    expect(readSync(decodeWbxml(encodeWbxml(reply)))).toEqual({
      syncKey: '7',
      more: true,
      contacts: [{ serverId: '4:1', fields: { 'Contacts:FileAs': 'Bob Smith', 'Contacts2:IMAddress': 'bob.smith' } }]
    })
    const failed = el('AirSync:Sync', el('AirSync:Collections', el('AirSync:Collection', el('AirSync:SyncKey', '0'), el('AirSync:Status', '3'))))
    expect(() => readSync(failed)).toThrow(/refused/)
  })
})
