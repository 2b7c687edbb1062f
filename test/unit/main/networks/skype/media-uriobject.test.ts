// The URIObject of Skype photos and files (media-uriobject.ts) against bodies public code
// quotes from real Skype, against hostile ones, and under mutation (typed errors only).
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../../../src/shared/errors'
import { fileBody, mimeOfName, objectIdOf, pictureBody, readUriObject, uriObjectKindOf } from '../../../../../src/main/networks/skype/media-uriobject'

const AMS = 'https://api.asm.skype.com/'

/**
 * A photo from Skype's web client, as skyperious (suurjaak/Skyperious, skypeexport) quotes a
 * SkPy SkypeImageMsg in a comment: doc_id, fractional-free width/height, OriginalName, FileSize, meta.
 */
const WEB_PHOTO =
  '<URIObject uri="https://api.asm.skype.com/v1/objects/0-weu-d3-abcdef.." url_thumbnail="https://api.asm.skype.com/v1/objects/0-weu-d3-abcdef../views/imgt1_anim" type="Picture.1" doc_id="0-weu-d3-abcdef.." width="1191" height="619">To view this shared photo, go to: <a href="https://login.skype.com/login/sso?go=xmmfallback?pic=0-weu-d3-abcdef..">https://login.skype.com/login/sso?go=xmmfallback?pic=0-weu-d3-abcdef..</a><OriginalName v="f.png"></OriginalName><FileSize v="108188"></FileSize><meta type="photo" originalName="f.png"></meta></URIObject>'

/** A photo from a phone, as a public Skype history exporter quotes it (Russian text, fractional width). */
const PHONE_PHOTO =
  '<URIObject uri="https://api.asm.skype.com/v1/objects/0-weu-d1-d175d28a7cb9877d791df72d0d418468" url_thumbnail="https://api.asm.skype.com/v1/objects/0-weu-d1-d175d28a7cb9877d791df72d0d418468/views/imgt1_anim" type="Picture.1" doc_id="0-weu-d1-d175d28a7cb9877d791df72d0d418468" width="1536.8462809917355" height="2048">Чтобы просмотреть эту общую фотографию, перейдите к: <a href="https://login.skype.com/login/sso?go=xmmfallback?pic=0-weu-d1-d175d28a7cb9877d791df72d0d418468">https://login.skype.com/login/sso?go=xmmfallback?pic=0-weu-d1-d175d28a7cb9877d791df72d0d418468</a><OriginalName v="4615E659-7F12-4912-BCB2-27CED7694D27.jpg"></OriginalName><FileSize v="1084901"></FileSize><meta type="photo" originalName="4615E659-7F12-4912-BCB2-27CED7694D27.jpg"></meta></URIObject>'

/** A file as a Skype chat log published with a public repository shows it (Title/Description without prefixes). */
const LOGGED_FILE =
  '<URIObject type="File.1" uri="https://api.asm.skype.com/v1/objects/0-weu-d2-a958c1f0bec3eaa30bcef8d795c8ff63" url_thumbnail="https://api.asm.skype.com/v1/objects/0-weu-d2-a958c1f0bec3eaa30bcef8d795c8ff63/views/thumbnail">To view this shared file, go to: <Title>fakeporn.7z</Title> <Description>fakeporn.7z</Description> <a href="https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=0-weu-d2-a958c1f0bec3eaa30bcef8d795c8ff63">https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=0-weu-d2-a958c1f0bec3eaa30bcef8d795c8ff63</a><FileSize v="9012"/><OriginalName v="fakeporn.7z"/></URIObject>'

/** A file as SkPy's sendFile writes it ("Title: …", "Description: …", FileSize last). */
const SKPY_FILE =
  '<URIObject type="File.1" uri="https://api.asm.skype.com/v1/objects/0-123" url_thumbnail="https://api.asm.skype.com/v1/objects/0-123/views/thumbnail"><Title>Title: plans.pdf</Title><Description> Description: plans.pdf</Description><a href="https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=0-123"> https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=0-123</a><OriginalName v="plans.pdf"/><FileSize v="2048"/></URIObject>'

describe('reading URIObject bodies of real Skype clients', () => {
  it('reads the web client’s photo: object, name, size and dimensions', () => {
    // "abcdef.." is the quote's elision: the id keeps only the charset Junction accepts, so it is not downloadable.
    expect(readUriObject('image', WEB_PHOTO, AMS)).toEqual({ kind: 'image', name: 'f.png', size: 108188, width: 1191, height: 619 })
    expect(readUriObject('image', WEB_PHOTO.replaceAll('abcdef..', 'abcdef01'), AMS)).toMatchObject({ objectId: '0-weu-d3-abcdef01' })
  })

  it('rounds the fractional width a phone writes', () => {
    expect(readUriObject('image', PHONE_PHOTO, AMS)).toEqual({
      kind: 'image',
      objectId: '0-weu-d1-d175d28a7cb9877d791df72d0d418468',
      name: '4615E659-7F12-4912-BCB2-27CED7694D27.jpg',
      size: 1084901,
      width: 1537,
      height: 2048
    })
  })

  it('reads files with their name from OriginalName, whichever order the children come in', () => {
    expect(readUriObject('file', LOGGED_FILE, AMS)).toEqual({
      kind: 'file',
      objectId: '0-weu-d2-a958c1f0bec3eaa30bcef8d795c8ff63',
      name: 'fakeporn.7z',
      size: 9012
    })
    expect(readUriObject('file', SKPY_FILE, AMS)).toEqual({ kind: 'file', objectId: '0-123', name: 'plans.pdf', size: 2048 })
    // Without OriginalName the Title names it, SkPy's "Title: " prefix removed.
    expect(readUriObject('file', SKPY_FILE.replace('<OriginalName v="plans.pdf"/>', ''), AMS).name).toBe('plans.pdf')
  })

  it('knows which message types carry which kind', () => {
    expect(uriObjectKindOf('RichText/UriObject')).toBe('image')
    expect(uriObjectKindOf('RichText/Media_GenericFile')).toBe('file')
    expect(uriObjectKindOf('RichText/Media_Video')).toBeUndefined()
    expect(mimeOfName('4615E659.JPG', 'image')).toBe('image/jpeg')
    expect(mimeOfName('plans.pdf', 'file')).toBe('application/pdf')
    expect(mimeOfName('x.exe', 'file')).toBe('application/octet-stream')
    expect(mimeOfName('x.pdf', 'image')).toBe('image/jpeg')
  })
})

describe('what Junction writes reads back, and has the shape public clients write', () => {
  it('a photo: Picture.1 with the imgt1 thumbnail, OriginalName, FileSize and meta photo', () => {
    const body = pictureBody({ objectUrl: `${AMS}v1/objects/0-ref-d1-77`, objectId: '0-ref-d1-77', name: 'a "b" <c>.png', size: 1234, width: 40, height: 30 })
    expect(body).toMatch(/^<URIObject type="Picture.1" uri="https:\/\/api\.asm\.skype\.com\/v1\/objects\/0-ref-d1-77" url_thumbnail="[^"]+\/views\/imgt1"/)
    expect(body).toContain('<meta type="photo" originalName="a &quot;b&quot; &lt;c&gt;.png"/>')
    expect(readUriObject('image', body, AMS)).toEqual({ kind: 'image', objectId: '0-ref-d1-77', name: 'a "b" <c>.png', size: 1234, width: 40, height: 30 })
  })

  it('a file: File.1 with Title, Description, the web-client link (escaped), OriginalName and FileSize', () => {
    const body = fileBody({ objectUrl: `${AMS}v1/objects/0-ref-d1-88`, objectId: '0-ref-d1-88', name: 'Q3 & Q4.pdf', size: 99 })
    expect(body).toContain('<Title>Title: Q3 &amp; Q4.pdf</Title>')
    expect(body).toContain('go=webclient.xmm&amp;docid=0-ref-d1-88')
    expect(readUriObject('file', body, AMS)).toEqual({ kind: 'file', objectId: '0-ref-d1-88', name: 'Q3 & Q4.pdf', size: 99 })
  })
})

describe('hostile bodies', () => {
  it('names no object for a uri off the AMS base: another host, port, scheme, credentials, path or id', () => {
    for (const uri of [
      'https://evil.example/v1/objects/0-weu-d1-abc',
      'https://api.asm.skype.com.evil.example/v1/objects/0-weu-d1-abc',
      'http://api.asm.skype.com/v1/objects/0-weu-d1-abc',
      'https://api.asm.skype.com:8443/v1/objects/0-weu-d1-abc',
      'https://user:pw@api.asm.skype.com/v1/objects/0-weu-d1-abc',
      'https://api.asm.skype.com/v1/objects/../../admin',
      'https://api.asm.skype.com/v1/objects/0-weu-d1-abc/content/original',
      'https://api.asm.skype.com/v1/objects/0-weu%2Fd1',
      'https://api.asm.skype.com/v1/objects/0-weu-d1-abc?x=1',
      'https://api.asm.skype.com/v2/objects/0-weu-d1-abc',
      'file:///etc/passwd',
      'not a url'
    ]) {
      expect(objectIdOf(uri, AMS), uri).toBeUndefined()
      expect(readUriObject('file', SKPY_FILE.replaceAll('https://api.asm.skype.com/v1/objects/0-123', uri), AMS).objectId, uri).toBeUndefined()
    }
    expect(objectIdOf('https://api.asm.skype.com/v1/objects/0-weu-d1-abc/views/imgpsh_fullsize', AMS)).toBe('0-weu-d1-abc')
    expect(objectIdOf('http://127.0.0.1:9/base/v1/objects/0-a', 'http://127.0.0.1:9/base')).toBe('0-a')
  })

  it('does not believe a huge or malformed FileSize or dimension, and keeps names to a bounded leaf', () => {
    const huge = readUriObject('file', SKPY_FILE.replace('<FileSize v="2048"/>', '<FileSize v="99999999999999999999999"/>'), AMS)
    expect(huge.size).toBeUndefined()
    expect(readUriObject('file', SKPY_FILE.replace('v="2048"', 'v="-5"'), AMS).size).toBeUndefined()
    expect(readUriObject('file', SKPY_FILE.replace('v="2048"', 'v="1e9"'), AMS).size).toBeUndefined()
    expect(readUriObject('image', WEB_PHOTO.replace('width="1191"', 'width="9999999"'), AMS).width).toBeUndefined()
    const pathy = readUriObject('file', SKPY_FILE.replaceAll('plans.pdf', '..\\..\\evil\u0007.pdf'), AMS)
    expect(pathy.name).toBe('evil.pdf')
    expect(readUriObject('file', SKPY_FILE.replaceAll('plans.pdf', 'x'.repeat(2000)), AMS).name).toBe('x'.repeat(255))
    // Past the attribute cap nothing names it at all.
    expect(readUriObject('file', SKPY_FILE.replaceAll('plans.pdf', 'x'.repeat(3000)), AMS).name).toBeUndefined()
  })

  it('refuses broken markup and another kind of object with a ProtocolError', () => {
    for (const [kind, body] of [
      ['file', SKPY_FILE.replace('</URIObject>', '')],
      ['file', '<URIObject type="File.1" uri="x">'],
      ['file', 'just text'],
      ['image', '<URIObject type="Video.1/Message.1" uri="https://api.asm.skype.com/v1/objects/0-1"></URIObject>'],
      ['file', WEB_PHOTO],
      ['image', 'x'.repeat(70_000)],
      ['image', `<URIObject ${'a="b" '.repeat(2000)}></URIObject>`]
    ] as const) {
      expect(() => readUriObject(kind, body, AMS)).toThrow(ProtocolError)
    }
  })

  it('survives 2,000 mutations of real bodies: a reading or a ProtocolError, never anything else', () => {
    let seed = 12345
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const pieces = [
      '<',
      '>',
      '"',
      "'",
      '&',
      '&amp;',
      '&#0;',
      '&#x110000;',
      '</URIObject>',
      '<URIObject ',
      ' uri="',
      '/',
      '\u0000',
      'é',
      '=',
      ' v=',
      '<FileSize v="9'
    ] as const
    const bodies = [WEB_PHOTO, PHONE_PHOTO, LOGGED_FILE, SKPY_FILE]
    for (let i = 0; i < 2000; i++) {
      let body: string = bodies[i % bodies.length]!
      for (let j = 0, n = 1 + random(6); j < n; j++) {
        const at = random(body.length + 1)
        const op = random(3)
        if (op === 0) body = body.slice(0, at) + pieces[random(pieces.length)]! + body.slice(at)
        else if (op === 1) body = body.slice(0, at) + body.slice(at + 1 + random(20))
        else body = body.slice(0, at) + body.slice(random(body.length + 1))
      }
      const kind = i % 2 === 0 ? 'image' : 'file'
      try {
        const info = readUriObject(kind, body, AMS)
        expect(info.kind).toBe(kind)
        if (info.objectId !== undefined) expect(info.objectId).toMatch(/^0-[A-Za-z0-9-]{1,128}$/)
        if (info.size !== undefined) expect(Number.isSafeInteger(info.size)).toBe(true)
        if (info.name !== undefined) expect(info.name.length).toBeLessThanOrEqual(255)
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError)
      }
    }
  })
})
