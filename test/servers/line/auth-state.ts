// Login state of the reference server: QR sessions (spec §11.4: created → qr → scanned →
// cert ok | pin created → pin verified → issued), e-mail logins waiting for the phone
// (spec §4.2), and the single-use RSA keys of getRSAKeyInfo.

import { randomBytes, randomInt } from 'node:crypto'
import { newRsaKey, publicKeyFromSecret, wrapKeychain, type ServerRsaKey } from './server-crypto'
import type { LineWorld } from './world'

export interface QrSession {
  id: string
  scannedBy: string | null
  secretPub: Buffer | null
  verifyCalled: boolean
  certificateOk: boolean
  pin: string | null
  pinOk: boolean
  issued: boolean
}

export interface EmailLogin {
  verifier: string
  mid: string
  sealed: boolean
  secret: string
  /** Type 0: the PIN the server chose (capture 002: "2423"). */
  pinCode: string | null
  confirmed: boolean
  /** Type 2, after the phone took the PIN: the keychain it wrapped, and what confirmE2EELogin must prove. */
  metadata: Record<string, string> | null
  ephemeralPriv: Buffer | null
  loginPub: Buffer | null
  e2eeConfirmed: boolean
  finalVerifier: string | null
  done: boolean
}

export class AuthState {
  readonly qr = new Map<string, QrSession>()
  readonly email = new Map<string, EmailLogin>()
  readonly rsa = new Map<string, ServerRsaKey>()
  private readonly listeners = new Set<() => void>()
  private keynm = 15_327

  constructor(private readonly world: LineWorld) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  changed(): void {
    for (const l of [...this.listeners]) l()
  }

  newQrSession(): QrSession {
    const s: QrSession = {
      id: `SQ${randomBytes(32).toString('hex')}`,
      scannedBy: null,
      secretPub: null,
      verifyCalled: false,
      certificateOk: false,
      pin: null,
      pinOk: false,
      issued: false
    }
    this.qr.set(s.id, s)
    return s
  }

  newRsaKey(): ServerRsaKey {
    const key = newRsaKey(String(this.keynm++))
    this.rsa.set(key.keynm, key)
    return key
  }

  /** The RSA key is invalidated once used (spec §4.2 step 6). */
  takeRsaKey(keynm: string): ServerRsaKey | undefined {
    const key = this.rsa.get(keynm)
    this.rsa.delete(keynm)
    return key
  }

  newEmailLogin(mid: string, sealed: boolean, secret: string): EmailLogin {
    const login: EmailLogin = {
      verifier: randomBytes(16).toString('hex'),
      mid,
      sealed,
      secret,
      pinCode: sealed ? null : String(randomInt(1000, 10000)),
      confirmed: false,
      metadata: null,
      ephemeralPriv: null,
      loginPub: null,
      e2eeConfirmed: false,
      finalVerifier: null,
      done: false
    }
    this.email.set(login.verifier, login)
    return login
  }

  // ---- what the phone does -----------------------------------------------------------------

  /** The phone opened the callback URL of a QR and approved it (spec §4.1 step 4). */
  scan(payload: string, mid: string): QrSession {
    let url: URL
    try {
      url = new URL(payload)
    } catch {
      throw new Error('That is not a LINE login QR code.')
    }
    const m = /^\/R\/au\/lgn\/sq\/(SQ[0-9a-f]{64})$/.exec(url.pathname)
    const session = m ? this.qr.get(m[1]!) : undefined
    if (url.origin !== 'https://line.me' || !session) throw new Error('That QR code is not a live LINE login.')
    // spec §4.1: without secret/e2eeVersion the phone shows "an error occurred".
    const secret = url.searchParams.get('secret')
    if (!secret || url.searchParams.get('e2eeVersion') !== '1') throw new Error('An error occurred (the QR code has no secret or e2eeVersion).')
    const pub = Buffer.from(secret, 'base64')
    if (pub.length !== 32) throw new Error('An error occurred (the QR secret is not a public key).')
    if (session.scannedBy) throw new Error('That QR code was already used.')
    session.scannedBy = mid
    session.secretPub = pub
    this.changed()
    return session
  }

  /** The person typed a PIN on the phone: a QR login's PIN, or an e-mail login's. */
  enterPin(mid: string, pin: string): string {
    for (const s of this.qr.values()) {
      if (s.scannedBy !== mid || !s.pin || s.pinOk || s.issued) continue
      if (s.pin !== pin) throw new Error('That PIN is not the one shown on the computer.')
      s.pinOk = true
      this.changed()
      return 'PIN accepted: the computer is being logged in.'
    }
    // E-mail logins: a plain one whose server PIN this is, else the newest sealed one (whose
    // PIN is the computer's own code, checked by whether the keychain unwraps there).
    const pending = [...this.email.values()].filter((l) => l.mid === mid && !l.confirmed && !l.done).reverse()
    const login = pending.find((l) => !l.sealed && l.pinCode === pin) ?? pending.find((l) => l.sealed)
    if (login) {
      if (login.sealed) {
        // spec §4.2: the PIN is the key that unlocks the computer's public key from the secret.
        const loginPub = publicKeyFromSecret(login.secret, pin)
        if (!loginPub) throw new Error('The login secret is unreadable.')
        const user = this.world.user(mid)
        const wrapped = wrapKeychain(loginPub, user.keys, user.activeKeyId)
        login.ephemeralPriv = Buffer.from(wrapped._ephemeralPriv!, 'base64')
        delete wrapped._ephemeralPriv
        login.metadata = wrapped
        login.loginPub = loginPub
      }
      login.confirmed = true
      this.changed()
      return 'PIN accepted: the computer is being logged in.'
    }
    if (pending.length > 0) throw new Error('That PIN is not the one shown on the computer.')
    throw new Error('No login is waiting for a PIN.')
  }
}
