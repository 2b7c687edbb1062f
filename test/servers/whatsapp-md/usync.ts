// The reference server's device lists (spec §6.8, §12.1), split from hub.ts: a `usync` query
// answered with each user's devices, and with its LID when the query asks for `<lid/>` (§6.9).

import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import { child, children, LID_SERVER, node, SERVER, splitJid } from './stanzas'
import type { World } from './world'

/** The `<usync>` of the iq's result. */
export function usyncAnswer(world: World, iq: BinaryNode): BinaryNode {
  const users = children(child(child(iq, 'usync'), 'list'))
  const list = users.map((u) => {
    // spec §6.9, §11.4: a user asked for by LID (a LID-addressed group) is answered in that form.
    const asked = splitJid(u.attrs.jid ?? '')
    const number = world.numberOf(asked.user, asked.server)
    const devices = world.devices(number).map((d) => node('device', d === 0 ? { id: '0' } : { id: String(d), 'key-index': String(d) }))
    // spec §6.8: with `<lid/>` in the query each user's LID comes back too (spec §6.9).
    const lid =
      asked.server !== LID_SERVER && child(child(child(iq, 'usync'), 'query'), 'lid') && world.accounts.has(number)
        ? [node('lid', { val: `${world.account(number).lid}@lid` })]
        : []
    const jid = asked.server === LID_SERVER ? `${asked.user}@${LID_SERVER}` : `${number}@${SERVER}`
    return node('user', { jid }, [node('devices', {}, [node('device-list', {}, devices)]), ...lid])
  })
  return node('usync', {}, [node('list', {}, list)])
}
