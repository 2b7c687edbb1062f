// The WhatsApp connector passes every call to one protocol: chosen by the login method, or
// on a restore by the `protocol` the saved credentials name (none: legacy, saved before
// there were two). A second protocol is one more entry in the factory map.

import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../../src/main/base/log'
import type { Connector, ConnectorContext, ConnectorEvent, LoginIO } from '../../../../../src/main/networks/connector'
import { protocolOf, WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { METHOD_PROTOCOLS, PROTOCOLS } from '../../../../../src/main/networks/whatsapp/connector'

const context: ConnectorContext = {
  config: {},
  log: silentLogger,
  keyStore: { get: () => null, list: () => [], commit: () => {} },
  connectivity: { onOnline: () => () => {} }
}

/** A protocol that records the calls it gets and emits one event on restore. */
function recorder(name: string, calls: string[]): (c: ConnectorContext) => Connector {
  return () => {
    let listener: ((e: ConnectorEvent) => void) | null = null
    const record = (what: string) => async (): Promise<never> => {
      calls.push(`${name}.${what}`)
      return undefined as never
    }
    return {
      network: 'whatsapp',
      login: async () => {
        calls.push(`${name}.login`)
        return { selfId: 'x@c.us', displayName: 'X', credentials: { protocol: name } }
      },
      restore: async () => {
        calls.push(`${name}.restore`)
        listener?.({ type: 'profile', displayName: name })
      },
      reconnectNow: () => calls.push(`${name}.reconnectNow`),
      sync: async function* () {
        calls.push(`${name}.sync`)
        yield { chats: [] }
      },
      history: record('history'),
      send: record('send'),
      markRead: record('markRead'),
      setTyping: record('setTyping'),
      fetchMedia: record('fetchMedia'),
      logout: record('logout'),
      close: record('close'),
      on: (l) => {
        listener = l
        return () => (listener = null)
      }
    }
  }
}

const io = {} as LoginIO

describe('WhatsApp connector', () => {
  it('restores saved credentials with the protocol they name; none means legacy', async () => {
    expect(protocolOf({ clientId: 'c' })).toBe('legacy')
    expect(protocolOf({ protocol: 'legacy' })).toBe('legacy')
    expect(protocolOf({ protocol: 'md' })).toBe('md')
    expect(() => protocolOf({ protocol: 'carrier-pigeon' })).toThrowError(
      expect.objectContaining({ code: 'auth-failed', reason: { code: 'credentials-damaged' } })
    )
    expect(() => protocolOf({ protocol: 'constructor' })).toThrowError(expect.objectContaining({ reason: { code: 'credentials-damaged' } }))
  })

  it('links multi-device by default and keeps legacy as the second method', () => {
    expect(Object.keys(PROTOCOLS).sort()).toEqual(['legacy', 'md'])
    expect(METHOD_PROTOCOLS).toEqual({ qr: 'md', 'phone-code': 'md', 'legacy-qr': 'legacy' })
  })

  it('passes every call to the protocol the method or the credentials chose, with its events', async () => {
    const calls: string[] = []
    const connector = new WhatsAppConnector(context, { legacy: recorder('legacy', calls), md: recorder('md', calls) }, { qr: 'legacy', 'md-qr': 'md' })
    const events: ConnectorEvent[] = []
    connector.on((e) => events.push(e))
    await expect(connector.send('a@c.us', 'c', { kind: 'text', text: 'x' })).rejects.toMatchObject({ code: 'unavailable' })
    await connector.restore({ protocol: 'md' }, {})
    for await (const batch of connector.sync()) expect(batch).toEqual({ chats: [] })
    await connector.send('a@c.us', 'c', { kind: 'text', text: 'x' })
    await connector.history('a@c.us', null, 1)
    await connector.markRead('a@c.us', null)
    await connector.setTyping('a@c.us', true)
    await connector.fetchMedia('a@c.us', 'm')
    connector.reconnectNow()
    expect(events).toEqual([{ type: 'profile', displayName: 'md' }])
    // A login with the other method switches protocols and closes the one before.
    await connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
    await connector.logout()
    expect(calls).toEqual([
      'md.restore',
      'md.sync',
      'md.send',
      'md.history',
      'md.markRead',
      'md.setTyping',
      'md.fetchMedia',
      'md.reconnectNow',
      'md.close',
      'legacy.login',
      'legacy.logout'
    ])
    await expect(connector.login({ methodId: 'sms', fields: {}, previous: null }, io)).rejects.toMatchObject({ code: 'invalid-argument' })
  })
})
