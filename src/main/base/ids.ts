import { randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'

/** A short random id with a readable prefix, e.g. `acc_k3m9x2pq7f`. Not a secret. */
export function randomId(prefix: string, length = 12): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length]
  return `${prefix}_${out}`
}

/** An unguessable token for capabilities (the headless host's per-launch token, login ids). */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url')
}
