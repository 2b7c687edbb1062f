// Profile pictures of the reference server (spec §6.7): `https://profile.line-scdn.net/<picturePath>[/preview]`
// is public (no token), so this route takes none. A user's or group's `picturePath` is set in
// the world (`setPicture`); the picture is a small PNG drawn from the path, so a new path is a
// visibly new picture.

import { randomBytes } from 'node:crypto'
import type { Reply } from './gateway-routes'
import { stickerPng } from './obs-routes'
import type { WorldChat, WorldUser } from './world-types'

/** Where the server serves them; a client's `profileUrl` is the server's URL plus this. */
export const PROFILE_PREFIX = '/profile'

/** A new picture path in LINE's shape (`/0h` and URL-safe characters, spec §6.7 observed values). */
export function newPicturePath(): string {
  return `/0h${randomBytes(12).toString('base64url')}`
}

/** Gives a user or group a new picture; returns its path. */
export function setPicture(target: WorldUser | WorldChat): string {
  target.picturePath = newPicturePath()
  return target.picturePath
}

/** `GET /profile/<path>` or `/profile/<path>/preview`: the picture of a path some user or group has. */
export function profilePictureRoute(path: string, method: string, known: (picturePath: string) => boolean): Reply {
  if (method !== 'GET') return { status: 405, body: '', headers: {} }
  const m = /^\/profile(\/0h[\w-]+)(\/preview)?$/.exec(path)
  if (!m || !known(m[1]!)) return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } }
  return { status: 200, body: stickerPng(m[1]!), headers: { 'content-type': 'image/png' } }
}

/** A user changes their picture: a new path, and 2 NOTIFIED_UPDATE_PROFILE for everyone who has them as a contact (as a rename). */
export function changeUserPicture(
  world: {
    users: Map<string, WorldUser>
    user(mid: string): WorldUser
    addOp(mid: string, op: { type: number; reqSeq: number; param1?: string; param2?: string }): unknown
  },
  mid: string
): string {
  const path = setPicture(world.user(mid))
  for (const u of world.users.values()) if (u.contacts.includes(mid)) world.addOp(u.mid, { type: 2, reqSeq: 0, param1: mid, param2: '4' })
  return path
}
