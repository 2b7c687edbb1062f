// spec §4.4: the login's answer, the first stanza after the handshake of a login connection
// — `<success>`, or a `<failure>` or `<stream:error>` turned into its typed error (errors.ts).
// Split from protocol.ts. Stanzas right behind the answer (the offline queue, §4.7) arrive
// before anyone handles them; they are kept, in order, for the inbound handler.

import { JunctionError } from '../../../../../shared/errors'
import type { BinaryNode } from '../binary'
import { failureError, streamError } from '../errors'
import type { MdSession } from '../session'

/** Resolves with `<success>` and the stanzas behind it; ends the session and rejects on anything else. */
export async function loginAnswer(session: MdSession): Promise<{ success: BinaryNode; early: BinaryNode[] }> {
  const early: BinaryNode[] = []
  const first = await new Promise<BinaryNode>((resolve, reject) => {
    let answered = false
    session.onStanza((n) => {
      if (answered) return void early.push(n)
      answered = true
      resolve(n)
    })
    void session.ended.then((why) => reject(why ?? new JunctionError('network', 'WhatsApp closed the connection before the login answer.')))
  }).catch((error: unknown) => {
    session.end(undefined)
    throw error
  })
  if (first.tag === 'failure') {
    session.end(undefined)
    throw failureError(first)
  }
  if (first.tag === 'stream:error') {
    session.end(undefined)
    throw streamError(first)
  }
  if (first.tag !== 'success') {
    session.end(undefined)
    throw new JunctionError('protocol', `WhatsApp answered the login with <${first.tag}>.`)
  }
  return { success: first, early }
}
