// The MSNP18 reference server's state on disk (issue 11 point 8): accounts, lists, tickets,
// offline messages and what the simulated contacts received, in `msnp18.json` under the
// state dir (../json-state.ts writes it).

import { keepStateIn, type StateStore } from '../json-state'
import type { World18, World18State } from './world'

export type Store18 = StateStore

export function keepWorld18In(world: World18, dir: string): Store18 {
  return keepStateIn<World18State>(world, dir, 'msnp18.json', (s) => s.v === 1 && [s.accounts, s.tickets, s.oims, s.received].every(Array.isArray))
}
