// Electron glue: third-party code a network must run (LINE's signing module) goes to a
// utilityProcess — a process of its own with an empty environment and no stdio. A forked
// Node child cannot be used in the packaged app, whose RunAsNode fuse is off.

import { utilityProcess } from 'electron'
import type { SpawnIsolated } from './networks/connector'

export const utilityIsolated: SpawnIsolated = (modulePath) => {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'Junction isolated module', stdio: 'ignore', env: {} })
  return {
    postMessage: (message) => child.postMessage(message),
    on: (event: 'message' | 'exit', listener: ((message: unknown) => void) | ((code: number | null) => void)) =>
      event === 'message'
        ? child.on('message', listener as (message: unknown) => void)
        : child.on('exit', (code: number) => (listener as (code: number | null) => void)(code)),
    kill: () => child.kill()
  }
}
