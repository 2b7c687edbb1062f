// The Skype reference server's state on disk (issue 11 point 8): accounts, tokens, messages
// and offline queues in `world.json` under the state dir (json-state.ts writes it).

import { keepStateIn, type StateStore } from './json-state'
import type { WorldState } from './records'
import type { SkypeWorld } from './world'

export type WorldStore = StateStore

/** Reads the world from `dir` when an earlier run left it there, then saves it after every change. */
export function keepWorldIn(world: SkypeWorld, dir: string): WorldStore {
  return keepStateIn<WorldState>(world, dir, 'world.json', (s) => {
    const lists = [s.users, s.threads, s.log, s.oauthTokens, s.refreshTokens, s.passportTickets, s.offline, s.seen]
    return s.v === 1 && lists.every(Array.isArray) && typeof s.nextId === 'number'
  })
}
