// A RequestSigner for tests and the sandbox: the shape of spec §2.2 (a key derived from
// the version and the access token, a 32-byte HMAC over path + body), with a known test
// key instead of LINE's white-box one, so the reference server can verify every X-Hmac.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { RequestSigner, SignInput } from '../../../src/main/networks/line/signer'

export class TestSigner implements RequestSigner {
  readonly name = 'test signer'
  /** Every input signed, for tests that check what was signed. */
  readonly signed: SignInput[] = []

  constructor(private readonly key: string = 'junction-line-test-key') {}

  private digest({ version, accessToken, path, body }: SignInput): Buffer {
    const derived = createHash('sha256')
      .update(this.key)
      .update('\u0000')
      .update(createHash('sha256').update(version).digest())
      .update(createHash('sha256').update(accessToken).digest())
      .digest()
    return createHmac('sha256', derived)
      .update(path + body, 'utf8')
      .digest()
  }

  async sign(input: SignInput): Promise<string> {
    this.signed.push(input)
    return this.digest(input).toString('base64')
  }

  verify(input: SignInput, header: string | undefined): boolean {
    if (!header) return false
    const given = Buffer.from(header, 'base64')
    const expected = this.digest(input)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
}
