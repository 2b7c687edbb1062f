// The client transport against the reference server over a real socket: connection header,
// handshake, certificate chain under the server's test root, then encrypted nodes.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import { createLogger } from '../../../../../src/main/base/log'
import type { BinaryNode } from '../../../../../src/main/networks/whatsapp/md/binary'
import { generateKeyPair, signalPublic, xeddsaSign } from '../../../../../src/main/networks/whatsapp/md/crypto'
import { WHATSAPP_ROOT_PUBLIC_KEY } from '../../../../../src/main/networks/whatsapp/md/config'
import { buildRegistrationPayload, encodeDeviceProps } from '../../../../../src/main/networks/whatsapp/md/login/payload'
import { openTransport, type Transport } from '../../../../../src/main/networks/whatsapp/md/transport'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'

const version = { primary: 2, secondary: 3000, tertiary: 1035194821 }
let server: WhatsAppMdServerControls

beforeEach(async () => {
  server = await startWhatsAppMdServer()
})
afterEach(async () => {
  await server.close()
})

function registration(): Uint8Array {
  const identity = generateKeyPair()
  const spk = generateKeyPair()
  return buildRegistrationPayload(
    version,
    {
      registrationId: 4660,
      identityPublic: identity.public,
      signedPreKey: { id: 1, public: spk.public, signature: xeddsaSign(identity.private, signalPublic(spk.public)) }
    },
    encodeDeviceProps('Junction', 7)
  )
}

function connect(rootPublicKey: Uint8Array, origin = 'https://web.whatsapp.com'): Promise<Transport> {
  return openTransport({
    url: server.url,
    origin,
    trust: { rootPublicKey, now: () => Math.floor(Date.now() / 1000) },
    noiseKey: generateKeyPair(),
    clientPayload: registration(),
    handshakeTimeoutMs: 5_000,
    log: createLogger(() => {})
  })
}

describe('transport against the reference server', () => {
  it('completes the handshake and receives pair-device with six refs', async () => {
    const transport = await connect(server.rootPublicKey)
    const first = await new Promise<BinaryNode>((resolve) => transport.onNode(resolve))
    expect(first.tag).toBe('iq')
    expect(first.attrs.xmlns).toBe('md')
    const refs = (first.content as BinaryNode[])[0]!.content as BinaryNode[]
    expect(refs.map((r) => r.tag)).toEqual(['ref', 'ref', 'ref', 'ref', 'ref', 'ref'])
    transport.close()
    await transport.ended
  })

  it("refuses the server under WhatsApp's real root key", async () => {
    const error = await connect(Uint8Array.from(Buffer.from(WHATSAPP_ROOT_PUBLIC_KEY, 'hex'))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('integrity')
  })

  it('is refused without the web.whatsapp.com origin', async () => {
    const error = await connect(server.rootPublicKey, 'https://example.org').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('network')
  })
})
