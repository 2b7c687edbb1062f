// X-Hmac signing (spec §2.2). The key is a white-box inside LINE's own WebAssembly module,
// so Junction cannot compute it: a RequestSigner is handed in (tests, the sandbox) or
// loaded from the LINE Chrome extension the person has installed, in a process of its own
// (isolated.ts, runner.ts).

export interface SignInput {
  /** X-Line-Chrome-Version; hashed into the key (spec §2.2). */
  version: string
  /** The access token, "" before login. */
  accessToken: string
  /** The URL path from `/api/...`, with `?query` for GET requests. */
  path: string
  /** The exact body text sent, "" for GET. */
  body: string
}

export interface RequestSigner {
  /** For logs and errors: where the signer came from. */
  readonly name: string
  /** The X-Hmac header value: base64 of a 32-byte digest. */
  sign(input: SignInput): Promise<string>
  /** Ends what the signer runs (the isolated process); the next sign may start it again. */
  close?(): void
}

export function isRequestSigner(value: unknown): value is RequestSigner {
  return typeof value === 'object' && value !== null && typeof (value as { sign?: unknown }).sign === 'function'
}

/**
 * One signature at a time: the extension's sandbox produced wrong signatures (→ 10005)
 * when asked concurrently (spec §2.2).
 */
export function serialSigner(inner: RequestSigner): RequestSigner {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    name: inner.name,
    sign(input) {
      const next = tail.then(() => inner.sign(input))
      tail = next.catch(() => undefined)
      return next
    }
  }
}

/** A signer that loads itself on first use and keeps the loaded instance. */
export function lazySigner(name: string, load: () => Promise<RequestSigner>): RequestSigner {
  let loading: Promise<RequestSigner> | null = null
  return {
    name,
    async sign(input) {
      loading ??= load().catch((error: unknown) => {
        loading = null
        throw error
      })
      return (await loading).sign(input)
    },
    close() {
      const current = loading
      loading = null
      void current?.then(
        (s) => s.close?.(),
        () => undefined
      )
    }
  }
}
