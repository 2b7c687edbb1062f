// Electron's connectivity sources for the session supervisors (issue 10 §1): net.isOnline()
// polled, and powerMonitor's resume. The logic is in shell/polled-connectivity.ts.

import { net, powerMonitor } from 'electron'
import type { Logger } from './base/log'
import type { Connectivity } from './networks/connector'
import { createPolledConnectivity } from './shell/polled-connectivity'

export function electronConnectivity(log: Logger): Connectivity & { stop(): void } {
  return createPolledConnectivity({
    isOnline: () => net.isOnline(),
    onResume: (listener) => {
      powerMonitor.on('resume', listener)
      return () => powerMonitor.removeListener('resume', listener)
    },
    onListenerError: (error) => log.error({ error }, 'a connectivity listener failed')
  })
}
