// The AMS client (media-ams.ts) against small local servers: redirects are not followed, a
// download declaring more than the cap is refused, a large one streams with its size, a 401
// renews the Skype token exactly once, and refusals are typed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { AmsClient, MAX_DOWNLOAD_BYTES } from '../../../../../src/main/networks/skype/media-ams'

const servers: Server[] = []

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise<void>((resolve) => s.close(() => resolve()))
  }
})

function client(amsUrl: string, tokens: string[] = ['t1', 't2', 't3']): { ams: AmsClient; issued: string[] } {
  const issued: string[] = []
  const ams = new AmsClient({
    amsUrl,
    timeoutMs: 5_000,
    skypeToken: async () => {
      const t = tokens[issued.length] ?? 'tx'
      issued.push(t)
      return t
    }
  })
  return { ams, issued }
}

describe('AMS client', () => {
  it('does not follow a redirect, and never asks where it pointed', async () => {
    let elsewhere = 0
    const other = await serve((_req, res) => {
      elsewhere++
      res.end('x')
    })
    const base = await serve((_req, res) => res.writeHead(302, { Location: `${other}v1/objects/0-a/views/original` }).end())
    await expect(client(base).ams.download('file', '0-a', 'text/plain')).rejects.toMatchObject({ code: 'protocol' })
    expect(elsewhere).toBe(0)
  })

  it('refuses a download that declares more than the cap, before reading it', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(MAX_DOWNLOAD_BYTES + 1), 'Content-Type': 'application/octet-stream' })
      res.write(Buffer.alloc(1024))
    })
    await expect(client(base).ams.download('file', '0-a', 'text/plain')).rejects.toMatchObject({ code: 'rejected', reason: { code: 'refused' } })
  })

  it('returns a small object whole and streams a large one with its size', async () => {
    const large = Buffer.alloc(9 * 1024 * 1024, 0x5a)
    const base = await serve((req, res) => {
      const body = req.url!.includes('0-big') ? large : Buffer.from('small')
      res.writeHead(200, { 'Content-Length': String(body.length), 'Content-Type': 'text/plain; charset=utf-8' }).end(body)
    })
    const { ams } = client(base)
    const small = await ams.download('file', '0-small', 'application/octet-stream')
    expect(small).toEqual({ mime: 'text/plain', bytes: new Uint8Array(Buffer.from('small')) })
    const big = await ams.download('file', '0-big', 'application/octet-stream')
    expect('chunks' in big && big.size).toBe(large.length)
    let total = 0
    if ('chunks' in big) for await (const chunk of big.chunks) total += chunk.byteLength
    expect(total).toBe(large.length)
  })

  it('takes the message’s type for a photo the server calls something other than an image', async () => {
    const base = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '3' }).end('abc'))
    expect((await client(base).ams.download('image', '0-a', 'image/png')).mime).toBe('image/png')
  })

  it('renews a refused Skype token once, and reports a second refusal as auth-failed', async () => {
    const seen: string[] = []
    const base = await serve((req, res) => {
      seen.push(String(req.headers.authorization))
      if (req.headers.authorization === 'skype_token t2') res.writeHead(200, { 'Content-Length': '2' }).end('ok')
      else res.writeHead(401).end()
    })
    const { ams, issued } = client(base)
    await expect(ams.download('file', '0-a', 'text/plain')).resolves.toMatchObject({ bytes: new Uint8Array(Buffer.from('ok')) })
    // The renewed token is kept: the next request uses it without asking again.
    await ams.download('file', '0-a', 'text/plain')
    expect(issued).toEqual(['t1', 't2'])
    expect(seen).toEqual(['skype_token t1', 'skype_token t2', 'skype_token t2'])
    const refusing = await serve((_req, res) => res.writeHead(401).end())
    const second = client(refusing)
    await expect(second.ams.download('file', '0-a', 'text/plain')).rejects.toMatchObject({ code: 'auth-failed' })
    expect(second.issued).toHaveLength(2)
  })

  it('maps 413, 415 and 403 on an upload to refused, reporting progress from 0', async () => {
    let status = 413
    const base = await serve((req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(status).end())
    })
    const { ams } = client(base)
    const progress: number[] = []
    await expect(ams.upload('file', '0-a', Buffer.alloc(100_000), (sent) => progress.push(sent))).rejects.toMatchObject({
      code: 'invalid-argument',
      reason: { code: 'refused', params: { what: 'attachment-size' } }
    })
    expect(progress[0]).toBe(0)
    status = 415
    await expect(ams.upload('image', '0-a', Buffer.alloc(10))).rejects.toMatchObject({ reason: { code: 'refused', params: { what: 'attachment-type' } } })
    status = 403
    await expect(ams.upload('image', '0-a', Buffer.alloc(10))).rejects.toMatchObject({ code: 'rejected', reason: { code: 'refused' } })
  })

  it('refuses an object id it did not expect from create', async () => {
    const base = await serve((_req, res) => res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: '../../etc' })))
    await expect(client(base).ams.create('file', '8:bob', 'a.txt')).rejects.toMatchObject({ code: 'protocol' })
  })
})
