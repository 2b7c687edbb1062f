// Core's check of a login request against the network's definition (pending-login.ts): the
// methods a network offers with its configuration (NetworkDefinition.loginMethodsFor) are the
// only ones Core starts, and the add-account dialog lists the same ones (NetworkRegistry.describe).

import { describe, expect, it } from 'vitest'
import { checkLoginRequest } from '../../../../src/main/core/pending-login'
import type { NetworkDefinition } from '../../../../src/main/networks/connector'
import { NetworkRegistry } from '../../../../src/main/networks/registry'
import { silentLogger } from '../../../../src/main/base/log'
import { testContext } from '../../../helpers/connector-probe'
import { TEST_CAPABILITIES } from '../../../doubles/test-connector'

const context = (config: Record<string, unknown>) => testContext(config, silentLogger)

/** A network whose password method works only on servers configured for it. */
const definition: NetworkDefinition = {
  id: 'skype',
  displayName: 'Test network',
  brand: { color: '#225588', mark: 'T' },
  settings: [],
  loginMethods: [
    { id: 'browser', kind: 'browser' },
    { id: 'password', kind: 'credentials', fields: [{ name: 'password', kind: 'password' }] }
  ],
  loginMethodsFor: (context) => definition.loginMethods.filter((m) => m.id !== 'password' || context.config.passwords === true),
  capabilities: TEST_CAPABILITIES,
  setupProblem: () => null,
  create: () => {
    throw new Error('not made in these tests')
  }
}

describe('checkLoginRequest', () => {
  it('refuses a method the configuration cannot use, and takes it where it can', () => {
    const request = { methodId: 'password', fields: { password: 'x' } }
    expect(() => checkLoginRequest(definition, context({}), request)).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
    expect(() => checkLoginRequest(definition, context({ passwords: true }), request)).not.toThrow()
    expect(() => checkLoginRequest(definition, context({}), { methodId: 'browser' })).not.toThrow()
  })

  it('lists for the add-account dialog exactly the methods it would take', () => {
    const methods = (config: Record<string, unknown>) => new NetworkRegistry([definition]).describe(() => context(config))[0]!.loginMethods.map((m) => m.id)
    expect(methods({})).toEqual(['browser'])
    expect(methods({ passwords: true })).toEqual(['browser', 'password'])
  })

  it('takes every declared method from a network without loginMethodsFor', () => {
    const { loginMethodsFor: _, ...plain } = definition
    expect(() => checkLoginRequest(plain, context({}), { methodId: 'password', fields: { password: 'x' } })).not.toThrow()
  })
})
