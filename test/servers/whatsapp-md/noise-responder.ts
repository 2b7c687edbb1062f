// The server side of Noise XX (spec §2.2, "the server mirrors it") with the test certificate
// chain of spec §2.4: a root the harness publishes, an intermediate (serial 7, issuer 0) and a
// leaf (issuer 7) for the server's static key.

import { decodeProto, encodeProto, type ClientPayload, type HandshakeMessage } from '../../../src/main/networks/whatsapp/md/proto'
import { dh, expand, open, seal, sha, sign, type Pair } from './keys'

const NAME = new Uint8Array(32)
NAME.set(new TextEncoder().encode('Noise_XX_25519_AESGCM_SHA256'))
export const PROLOGUE = Uint8Array.from([0x57, 0x41, 6, 3])

export function certChain(root: Pair, intermediate: Pair, serverStatic: Pair): Uint8Array {
  const validity = { notBefore: 1_700_000_000, notAfter: 4_000_000_000 }
  const interDetails = encodeProto('CertChain.NoiseCertificate.Details', { serial: 7, issuerSerial: 0, key: intermediate.pub, ...validity })
  const leafDetails = encodeProto('CertChain.NoiseCertificate.Details', { serial: 8, issuerSerial: 7, key: serverStatic.pub, ...validity })
  return encodeProto('CertChain', {
    leaf: { details: leafDetails, signature: sign(intermediate.priv, leafDetails) },
    intermediate: { details: interDetails, signature: sign(root.priv, interDetails) }
  })
}

export class Responder {
  private h: Uint8Array = NAME
  private ck: Uint8Array = NAME
  private k: Uint8Array = NAME
  private n = 0
  private clientEphemeral: Uint8Array | null = null

  constructor(
    private readonly ephemeral: Pair,
    private readonly staticKey: Pair,
    private readonly chain: Uint8Array
  ) {
    this.mix(PROLOGUE)
  }

  private mix(d: Uint8Array): void {
    this.h = sha(this.h, d)
  }

  private mixKey(ikm: Uint8Array): void {
    const okm = expand(ikm, this.ck, 64)
    this.ck = okm.slice(0, 32)
    this.k = okm.slice(32)
    this.n = 0
  }

  private enc(p: Uint8Array): Uint8Array {
    const c = seal(this.k, this.n++, p, this.h)
    this.mix(c)
    return c
  }

  private dec(c: Uint8Array): Uint8Array {
    const p = open(this.k, this.n++, c, this.h)
    this.mix(c)
    return p
  }

  /** ClientHello in, ServerHello out. */
  hello(clientHelloBytes: Uint8Array): Uint8Array {
    const e = decodeProto<HandshakeMessage>('HandshakeMessage', clientHelloBytes).clientHello?.ephemeral
    if (e?.length !== 32) throw new Error('no client ephemeral')
    this.clientEphemeral = e
    this.mix(e)
    this.mix(this.ephemeral.pub)
    this.mixKey(dh(this.ephemeral.priv, e))
    const encStatic = this.enc(this.staticKey.pub)
    this.mixKey(dh(this.staticKey.priv, e))
    const payload = this.enc(this.chain)
    return encodeProto('HandshakeMessage', { serverHello: { ephemeral: this.ephemeral.pub, static: encStatic, payload } })
  }

  /** ClientFinish in: the client's noise key, its payload, and the transport keys (read, write). */
  finish(bytes: Uint8Array): { clientStatic: Uint8Array; payload: ClientPayload; read: Uint8Array; write: Uint8Array } {
    const f = decodeProto<HandshakeMessage>('HandshakeMessage', bytes).clientFinish
    if (!f?.static || !f.payload || !this.clientEphemeral) throw new Error('incomplete client finish')
    const clientStatic = this.dec(f.static)
    this.mixKey(dh(this.ephemeral.priv, clientStatic))
    const payload = decodeProto<ClientPayload>('ClientPayload', this.dec(f.payload))
    const okm = expand(new Uint8Array(0), this.ck, 64)
    return { clientStatic, payload, read: okm.slice(0, 32), write: okm.slice(32) }
  }
}
