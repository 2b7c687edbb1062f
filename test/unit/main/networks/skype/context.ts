// A ConnectorContext for driving the Skype Connector without Core: Skype keeps no
// protocol state in the key store, and nothing reports the machine's network coming back.

import { silentLogger, type Logger } from '../../../../../src/main/base/log'
import type { ConnectorContext, KeyStore, LoginIO } from '../../../../../src/main/networks/connector'

const NO_KEYS: KeyStore = {
  get: () => null,
  list: () => [],
  commit: () => {}
}

export function skypeContext(config: Record<string, unknown>, log: Logger = silentLogger): ConnectorContext {
  return { config, log, keyStore: NO_KEYS, connectivity: { onOnline: () => () => {} } }
}

/** A login's io whose redirect and typed input never come unless the test supplies them. */
export function loginIO(parts: Partial<LoginIO> = {}): LoginIO {
  return {
    redirectUri: null,
    signal: new AbortController().signal,
    waitForRedirect: () => new Promise<string>(() => {}),
    waitForInput: () => new Promise<Record<string, string>>(() => {}),
    step: () => {},
    ...parts
  }
}
