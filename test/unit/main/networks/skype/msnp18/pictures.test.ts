// Display picture tokens of Messenger contacts (msnp18.md §4.1, §3.2): what an NLN's msnobj
// says, read from the spec's own lines (§9 E3, E11), and the tokens that follow from it.

import { describe, expect, it } from 'vitest'
import { parseCommands } from '../../../../../../src/main/networks/skype/msnp/framing'
import { bookToken, pushedToken, readMsnObject, uuidOfToken, withPicture } from '../../../../../../src/main/networks/skype/msnp18/pictures'
import { readNln } from '../../../../../../src/main/networks/skype/msnp18/presence'
import { E3 } from './examples'

const UUID = '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c'
/** §9 E11: what contacts see of a CHG without an msnobj argument. */
const DEFAULT_MSNOBJ = 'NLN NLN 1:carol@example.com Carol%20C. 2688340284:2550273040 %3Cmsnobj%2F%3E\r\n'

const argsOf = (line: string): string[] => parseCommands(Buffer.from(line, 'utf8')).commands[0]!.args

describe('the msnobj of an NLN (§4.1)', () => {
  it('reads the SHA1D of the spec’s example object', () => {
    expect(readMsnObject(argsOf(E3.nlnBob)[4])).toEqual({ kind: 'picture', sha1d: 'trC8SlFx2sWQxZMIBAWSEnXc8oQ=' })
  })

  it('treats 0, empty, a missing argument and <msnobj/> as no picture', () => {
    expect(readMsnObject(argsOf(E3.nlnAwy)[4])).toEqual({ kind: 'none' })
    expect(readMsnObject(argsOf(DEFAULT_MSNOBJ)[4])).toEqual({ kind: 'none' })
    expect(readMsnObject('')).toEqual({ kind: 'none' })
    expect(readMsnObject(undefined)).toEqual({ kind: 'none' })
  })

  it('says nothing for an object it cannot use: another type, no or a malformed SHA1D, not an msnobj', () => {
    expect(readMsnObject(encodeURIComponent('<msnobj Creator="bob@example.com" Type="2" SHA1D="trC8SlFx2sWQxZMIBAWSEnXc8oQ="/>'))).toEqual({ kind: 'unknown' })
    expect(readMsnObject(encodeURIComponent('<msnobj Creator="bob@example.com" Type="3"/>'))).toEqual({ kind: 'unknown' })
    expect(readMsnObject(encodeURIComponent('<msnobj Type="3" SHA1D="../../etc/passwd" Location="http://127.0.0.1:1/x"/>'))).toEqual({ kind: 'unknown' })
    expect(readMsnObject('http%3A%2F%2Fexample.com%2Fpic.png')).toEqual({ kind: 'unknown' })
  })
})

describe('picture tokens', () => {
  it('follows the SHA1D for a contact whose uuid the address book gave, and is empty for none', () => {
    const ids = new Map([['bob@example.com', UUID]])
    const bob = readNln(parseCommands(Buffer.from(E3.nlnBob, 'utf8')).commands[0]!)!
    expect(withPicture(bob, argsOf(E3.nlnBob)[4], ids).picture).toBe(`msnp18:${UUID}:trC8SlFx2sWQxZMIBAWSEnXc8oQ=`)
    expect(withPicture(bob, '0', ids).picture).toBe('')
    // Without a uuid there is nothing to fetch: the token is left as it is.
    expect(withPicture(bob, argsOf(E3.nlnBob)[4], new Map()).picture).toBeUndefined()
  })

  it('accepts only a uuid as the id that goes into the picture URL', () => {
    expect(pushedToken('../../admin', { kind: 'picture', sha1d: 'trC8SlFx2sWQxZMIBAWSEnXc8oQ=' })).toBeUndefined()
    expect(pushedToken(`{${UUID}}`, { kind: 'picture', sha1d: 'trC8SlFx2sWQxZMIBAWSEnXc8oQ=' })).toBe(`msnp18:${UUID}:trC8SlFx2sWQxZMIBAWSEnXc8oQ=`)
    expect(bookToken('http://example.com/', undefined)).toBeUndefined()
    expect(uuidOfToken('msnp18:../x:trC8SlFx2sWQxZMIBAWSEnXc8oQ=')).toBeNull()
    expect(uuidOfToken('https://example.com/a.png')).toBeNull()
  })

  it('asks once for a contact never seen online, and keeps what an NLN said across address-book reloads', () => {
    expect(bookToken(UUID, undefined)).toBe(`msnp18:${UUID}`)
    expect(uuidOfToken(`msnp18:${UUID}`)).toBe(UUID)
    expect(bookToken(UUID, `msnp18:${UUID}:trC8SlFx2sWQxZMIBAWSEnXc8oQ=`)).toBe(`msnp18:${UUID}:trC8SlFx2sWQxZMIBAWSEnXc8oQ=`)
    expect(bookToken(UUID, '')).toBe('')
    // A token of another user (the id changed) is not kept.
    expect(bookToken(UUID, 'msnp18:00000000-0000-0000-0000-000000000001:trC8SlFx2sWQxZMIBAWSEnXc8oQ=')).toBe(`msnp18:${UUID}`)
  })
})

describe('the msnobj reader fuzzed', () => {
  it('never throws on 20,000 mutations of the spec’s object, and every token it allows names the uuid and a base64 SHA1D', () => {
    let s = 0x5eed
    const next = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      return s % n
    }
    const seed = argsOf(E3.nlnBob)[4]!
    const alphabet = '%<>"=/:. 0123456789ABCDEFabcdef+-_SHA1DTypeLocation\u00e9\u0000'
    for (let i = 0; i < 20_000; i++) {
      const chars = [...seed]
      for (let k = next(6) + 1; k > 0; k--) chars.splice(next(chars.length + 1), next(3), alphabet[next(alphabet.length)]!)
      const picture = readMsnObject(chars.join(''))
      const token = pushedToken(UUID, picture)
      if (token) {
        expect(uuidOfToken(token)).toBe(UUID)
        expect(token.slice(`msnp18:${UUID}:`.length)).toMatch(/^[A-Za-z0-9+/]{20,40}={0,2}$/)
      }
    }
  })
})
