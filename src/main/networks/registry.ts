import type { LoginMethod, NetworkInfo } from '../../shared/api'
import { JunctionError } from '../../shared/errors'
import type { NetworkId } from '../../shared/model'
import type { ConnectorContext, NetworkDefinition } from './connector'

/** The networks this build can speak. Core gets a registry, so tests can hand it doubles. */
export class NetworkRegistry {
  private readonly byId = new Map<NetworkId, NetworkDefinition>()

  constructor(definitions: readonly NetworkDefinition[]) {
    for (const d of definitions) {
      if (this.byId.has(d.id)) throw new Error(`network ${d.id} registered twice`)
      this.byId.set(d.id, d)
    }
  }

  get(id: NetworkId): NetworkDefinition {
    const d = this.byId.get(id)
    if (!d)
      throw new JunctionError('unsupported', `This build of Junction cannot connect to ${id}.`, {
        reason: { code: 'network-not-in-build', params: { network: id } }
      })
    return d
  }

  has(id: NetworkId): boolean {
    return this.byId.has(id)
  }

  describe(contextFor: (id: NetworkId) => ConnectorContext): NetworkInfo[] {
    return [...this.byId.values()].map((d) => {
      const context = contextFor(d.id)
      return {
        id: d.id,
        displayName: d.displayName,
        brand: d.brand,
        loginMethods: loginMethodsOf(d, context),
        capabilities: d.capabilities,
        settings: d.settings,
        setupProblem: d.setupProblem(context)
      }
    })
  }
}

/** The login methods a network offers with this configuration (NetworkDefinition.loginMethodsFor). */
export function loginMethodsOf(d: NetworkDefinition, context: ConnectorContext): LoginMethod[] {
  return d.loginMethodsFor?.(context) ?? d.loginMethods
}
