// Electron glue for `junction-media:` (decisions in shell/media-scheme.ts): privileged
// before `ready`, served from Core's media cache.

import type { Session } from 'electron'
import { answerMediaRequest, MEDIA_SCHEME, type AvatarSource } from './shell/media-scheme'

/** The scheme's privileges; registered together with the app scheme, before `ready`. */
export const MEDIA_SCHEME_PRIVILEGES = { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }

export function serveMediaScheme(
  session: Session,
  media: (messageId: string) => Promise<{ mime: string; bytes: Uint8Array; name?: string }>,
  avatar?: AvatarSource
): void {
  session.protocol.handle(MEDIA_SCHEME, async (request) => {
    const answer = await answerMediaRequest(request.url, request.method, media, avatar)
    return new Response(answer.body === null ? null : Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength), {
      status: answer.status,
      headers: answer.headers
    })
  })
}
