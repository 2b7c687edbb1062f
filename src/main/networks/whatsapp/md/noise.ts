// Noise_XX_25519_AESGCM_SHA256 as WhatsApp runs it (spec §2.2), the initiator side, plus the
// server certificate chain check (spec §2.4, whatsmeow's nine checks in order) and the
// transport-phase frame cipher (spec §2.6).

import { ProtocolError, JunctionError } from '../../../../shared/errors'
import { aesGcmOpen, aesGcmSeal, hkdf, sha256, x25519Shared, xeddsaVerify, constantTimeEqual, type KeyPair } from './crypto'
import { decodeProto, encodeProto, type CertChain, type CertDetails, type HandshakeMessage } from './proto'

/** "WA", magic 6, dictionary version 3 (spec §1.2): the prologue and the connection header. */
export const WA_HEADER = Uint8Array.from([0x57, 0x41, 6, 3])
/** The 28-byte protocol name and four zero bytes: exactly HASHLEN, so used as h without hashing. */
const PROTOCOL_NAME = Uint8Array.from([...new TextEncoder().encode('Noise_XX_25519_AESGCM_SHA256'), 0, 0, 0, 0])

/** 8 zero bytes || u32(n) (spec §2.1). */
export function nonce(n: number): Uint8Array {
  const iv = new Uint8Array(12)
  new DataView(iv.buffer).setUint32(8, n)
  return iv
}

export class NoiseState {
  private h: Uint8Array = PROTOCOL_NAME
  private ck: Uint8Array = PROTOCOL_NAME
  private k: Uint8Array = PROTOCOL_NAME
  private n = 0

  mixHash(data: Uint8Array): void {
    this.h = sha256(this.h, data)
  }

  mixKey(ikm: Uint8Array): void {
    const okm = hkdf(ikm, 64, this.ck)
    this.ck = okm.subarray(0, 32)
    this.k = okm.subarray(32, 64)
    this.n = 0
  }

  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const c = aesGcmSeal(this.k, nonce(this.n++), plaintext, this.h)
    this.mixHash(c)
    return c
  }

  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    const p = aesGcmOpen(this.k, nonce(this.n++), ciphertext, this.h)
    this.mixHash(ciphertext)
    return p
  }

  /** Client→server and server→client transport keys. */
  split(): { send: Uint8Array; receive: Uint8Array } {
    const okm = hkdf(new Uint8Array(0), 64, this.ck)
    return { send: okm.slice(0, 32), receive: okm.slice(32, 64) }
  }

  get hash(): Uint8Array {
    return this.h
  }
}

export interface CertificateTrust {
  rootPublicKey: Uint8Array
  /** Unix seconds, injectable for tests (spec §2.4 checks 6 and 9). */
  now(): number
}

function certFail(message: string): never {
  throw new JunctionError('integrity', `The WhatsApp server certificate is not valid: ${message}.`)
}

/** spec §2.4: the nine checks, in whatsmeow's order; `serverStatic` is the key the handshake decrypted. */
export function verifyCertChain(chainBytes: Uint8Array, serverStatic: Uint8Array, trust: CertificateTrust): void {
  const chain = decodeProto<CertChain>('CertChain', chainBytes)
  const { leaf, intermediate } = chain
  if (!leaf?.details || !intermediate?.details || leaf.signature?.length !== 64 || intermediate.signature?.length !== 64) certFail('incomplete chain')
  if (!xeddsaVerify(trust.rootPublicKey, intermediate.details, intermediate.signature)) certFail('intermediate not signed by the root')
  const inter = decodeProto<CertDetails>('CertChain.NoiseCertificate.Details', intermediate.details)
  if ((inter.issuerSerial ?? 0) !== 0) certFail('intermediate not issued by the root')
  if (inter.key?.length !== 32) certFail('intermediate key')
  if (!xeddsaVerify(inter.key, leaf.details, leaf.signature)) certFail('leaf not signed by the intermediate')
  const now = trust.now()
  if (now < (inter.notBefore ?? 0) || now > (inter.notAfter ?? 0)) certFail('intermediate outside its validity')
  const leafDetails = decodeProto<CertDetails>('CertChain.NoiseCertificate.Details', leaf.details)
  if ((leafDetails.issuerSerial ?? 0) !== (inter.serial ?? 0)) certFail('leaf issuer serial')
  // Check 8 authenticates the session: a replayed genuine chain names another static key.
  if (!leafDetails.key || !constantTimeEqual(leafDetails.key, serverStatic)) certFail('leaf key is not the server key')
  if (now < (leafDetails.notBefore ?? 0) || now > (leafDetails.notAfter ?? 0)) certFail('leaf outside its validity')
}

/** The initiator's three messages (spec §2.2). */
export class NoiseInitiator {
  readonly state = new NoiseState()

  constructor(
    private readonly ephemeral: KeyPair,
    private readonly staticKey: KeyPair,
    private readonly trust: CertificateTrust
  ) {
    this.state.mixHash(WA_HEADER)
    this.state.mixHash(ephemeral.public)
  }

  /** HandshakeMessage{clientHello{ephemeral}} (the caller frames it after the header). */
  clientHello(): Uint8Array {
    return encodeProto('HandshakeMessage', { clientHello: { ephemeral: this.ephemeral.public } })
  }

  /** Processes ServerHello and returns ClientFinish; throws `integrity` on any failing step. */
  clientFinish(serverHelloBytes: Uint8Array, clientPayload: Uint8Array): Uint8Array {
    const hello = decodeProto<HandshakeMessage>('HandshakeMessage', serverHelloBytes).serverHello
    if (hello?.ephemeral?.length !== 32 || !hello.static || !hello.payload) throw new ProtocolError('The WhatsApp server hello is incomplete.')
    const s = this.state
    s.mixHash(hello.ephemeral)
    s.mixKey(x25519Shared(this.ephemeral.private, hello.ephemeral))
    const serverStatic = s.decryptAndHash(hello.static)
    if (serverStatic.length !== 32) throw new ProtocolError('The WhatsApp server static key is not 32 bytes.')
    s.mixKey(x25519Shared(this.ephemeral.private, serverStatic))
    verifyCertChain(s.decryptAndHash(hello.payload), serverStatic, this.trust)
    const encryptedStatic = s.encryptAndHash(this.staticKey.public)
    s.mixKey(x25519Shared(this.staticKey.private, hello.ephemeral))
    const encryptedPayload = s.encryptAndHash(clientPayload)
    return encodeProto('HandshakeMessage', { clientFinish: { static: encryptedStatic, payload: encryptedPayload } })
  }
}

/** spec §2.6: one key and counter per direction, no associated data. */
export class FrameCipher {
  private sendCounter = 0
  private receiveCounter = 0

  constructor(
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array
  ) {}

  encrypt(plaintext: Uint8Array): Uint8Array {
    return aesGcmSeal(this.sendKey, nonce(this.sendCounter++), plaintext)
  }

  /** A failing tag is fatal for the connection: the counters are then out of step. */
  decrypt(ciphertext: Uint8Array): Uint8Array {
    return aesGcmOpen(this.receiveKey, nonce(this.receiveCounter++), ciphertext)
  }
}
