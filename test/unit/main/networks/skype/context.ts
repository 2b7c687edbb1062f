// A ConnectorContext for driving the Skype Connector without Core (test/helpers/connector-probe.ts's,
// with a silent log by default), and a login io for it.

import { silentLogger, type Logger } from '../../../../../src/main/base/log'
import type { ConnectorContext, LoginIO } from '../../../../../src/main/networks/connector'
import { testContext } from '../../../../helpers/connector-probe'

export function skypeContext(config: Record<string, unknown>, log: Logger = silentLogger): ConnectorContext {
  return testContext(config, log)
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
