// Contact pictures of the Skype reference server (spec §10.4 `POST /rps/skypetoken` with the
// skype.com access token → `{"skypetoken","expiresIn"}`; §11.5 `GET /contacts/v2/users/<own
// skypename>` with `X-Skypetoken` → `{"contacts":[{"mri","display_name","profile":{"avatar_url"}…}]}`;
// §11.5 `POST /users/batch/profiles` `{"usernames":[…]}` → `[{"username","avatarUrl",…}]`).
// The avatar URLs point back at this server (`/avatars/<skypename>/<version>.png`), each a
// small PNG drawn from the name and version, so a changed picture is a new URL.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PNG } from 'pngjs'
import { displayName, type SkypeUser } from './records'
import type { SkypeWorld } from './world'

function picturePng(seed: string): Buffer {
  const size = 48
  const png = new PNG({ width: size, height: size })
  const n = [...seed].reduce((a, c) => (a * 33 + c.charCodeAt(0)) >>> 0, 5)
  const colour = [48 + (n & 0x7f), 48 + ((n >> 8) & 0x7f), 48 + ((n >> 16) & 0x7f), 255]
  for (let i = 0; i < size * size; i++) png.data.set(colour, i * 4)
  return PNG.sync.write(png)
}

export class SkypeAvatars {
  /** The picture version of each user (by key) who has one. */
  private readonly versions = new Map<string, string>()
  private readonly skypeTokens = new Map<string, string>()
  /** Downloads served (skypename/version), for tests. */
  readonly served: string[] = []

  constructor(
    private readonly world: SkypeWorld,
    private readonly origin: () => string
  ) {}

  /** Gives a user (by key) a new picture; returns its URL. */
  set(key: string): string {
    const version = randomBytes(4).toString('hex')
    this.versions.set(key, version)
    return this.urlOf(this.world.user(key), version)
  }

  static bytesOf(skypeName: string, version: string): Buffer {
    return picturePng(`${skypeName}/${version}`)
  }

  /** The user a Skype token was issued to (the AMS store checks it too, ams.ts). */
  userOfSkypeToken(token: string | undefined): SkypeUser | undefined {
    const key = token ? this.skypeTokens.get(token) : undefined
    return key ? this.world.user(key) : undefined
  }

  /** Voids every Skype token issued so far, as their expiry would: the next request with one gets 401. */
  revokeSkypeTokens(): void {
    this.skypeTokens.clear()
  }

  versionOf(key: string): string | undefined {
    return this.versions.get(key)
  }

  private urlOf(u: SkypeUser, version: string): string {
    return `${this.origin()}/avatars/${encodeURIComponent(u.skypeName)}/${version}.png`
  }

  /** Answers the picture routes; false when the request is not one of them. */
  handle(req: IncomingMessage, url: URL, body: () => Promise<Buffer>, res: ServerResponse): boolean {
    const path = url.pathname
    if (req.method === 'POST' && path === '/rps/skypetoken') {
      void body().then((raw) => {
        const form = new URLSearchParams(raw.toString('utf8'))
        const user = this.world.checkToken(form.get('access_token'), /skype\.com::MBI_SSL$/)
        if (!user || form.get('partner') !== '999') return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"status":{"code":40120}}')
        const token = `st-${randomBytes(16).toString('hex')}`
        this.skypeTokens.set(token, user.key)
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ skypetoken: token, expiresIn: 86400 }))
      })
      return true
    }
    const list = /^\/contacts\/v2\/users\/([^/]+)$/.exec(path)
    if (req.method === 'GET' && list) {
      const key = this.skypeTokens.get(String(req.headers['x-skypetoken'] ?? ''))
      const user = key ? this.world.user(key) : undefined
      if (!user || decodeURIComponent(list[1]!) !== user.skypeName) {
        res.writeHead(401).end()
        return true
      }
      const contacts = user.skypeContacts.map((k) => {
        const c = this.world.user(k)
        const version = this.versions.get(k)
        return {
          mri: `8:${c.skypeName}`,
          display_name: displayName(c),
          profile: { name: { first: c.firstName, surname: c.lastName }, ...(version ? { avatar_url: this.urlOf(c, version) } : {}) },
          authorized: true,
          blocked: user.blocked.includes(k)
        }
      })
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ contacts, groups: [], blocklist: [] }))
      return true
    }
    if (req.method === 'POST' && path === '/users/batch/profiles') {
      // §11.5 single profiles: the user's own and their contacts'; anyone else is 403 (as SkPy handles it).
      const key = this.skypeTokens.get(String(req.headers['x-skypetoken'] ?? ''))
      const user = key ? this.world.user(key) : undefined
      void body().then((raw) => {
        if (!user) return void res.writeHead(401).end()
        let names: unknown
        try {
          names = (JSON.parse(raw.toString('utf8')) as { usernames?: unknown }).usernames
        } catch {
          names = undefined
        }
        if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) return void res.writeHead(400).end()
        const visible = new Set([user.key, ...user.skypeContacts])
        const found = (names as string[]).map((n) => [...this.world.users.values()].find((u) => u.skypeName === n))
        if (found.some((u) => !u || !visible.has(u.key))) return void res.writeHead(403).end()
        const profiles = found.map((u) => {
          const version = this.versions.get(u!.key)
          return { username: u!.skypeName, firstname: u!.firstName, lastname: u!.lastName, avatarUrl: version ? this.urlOf(u!, version) : null }
        })
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(profiles))
      })
      return true
    }
    const picture = /^\/avatars\/([^/]+)\/([0-9a-f]{8})\.png$/.exec(path)
    if (req.method === 'GET' && picture) {
      const name = decodeURIComponent(picture[1]!)
      const user = [...this.world.users.values()].find((u) => u.skypeName === name)
      if (!user || this.versions.get(user.key) !== picture[2]) {
        res.writeHead(404).end()
        return true
      }
      const bytes = picturePng(`${name}/${picture[2]}`)
      this.served.push(`${name}/${picture[2]}`)
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length }).end(bytes)
      return true
    }
    return false
  }
}
