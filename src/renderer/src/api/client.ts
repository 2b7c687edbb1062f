// The renderer's typed Api: unwraps reply envelopes into values or JunctionErrors.
// Components and state use this, never a transport directly.

import type { ApiEvent, JunctionBridge, RequestArg, RequestName, RequestResult } from '../../../shared/api'
import { REQUEST_NAMES } from '../../../shared/api'
import { deserializeError } from '../../../shared/errors'

export type Api = { [K in RequestName]: (arg: RequestArg<K>) => Promise<RequestResult<K>> } & {
  onEvent(listener: (event: ApiEvent) => void): () => void
}

export function createApi(bridge: JunctionBridge): Api {
  const api: Record<string, unknown> = {}
  for (const name of REQUEST_NAMES) {
    api[name] = async (arg: unknown) => {
      const reply = await (bridge[name] as (a: unknown) => Promise<{ ok: boolean; value?: unknown; error?: never }>)(arg)
      if (reply.ok) return reply.value
      throw deserializeError((reply as unknown as { error: Parameters<typeof deserializeError>[0] }).error)
    }
  }
  api.onEvent = (listener: (event: ApiEvent) => void) => bridge.onEvent(listener)
  return api as Api
}
