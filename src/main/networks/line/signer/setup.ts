// Which signer the Connector uses, and what setupProblem reports: a signer handed in through
// the configuration (tests, the sandbox), or the identified LINE Chrome extension found on
// this computer, loaded on first use in its isolated process.

import { JunctionError, type Reason } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { LineConfig } from '../config'
import { findLineExtension, missingSignerMessage, type ExtensionSearch } from './extension'
import { lazySigner, type RequestSigner } from './index'
import { loadLtsmSigner } from './isolated'

function reasonOf(search: Extract<ExtensionSearch, { found: null }>): Reason {
  return search.refusal === 'line-signer-version'
    ? { code: 'setup-required', params: { what: 'line-signer-version', component: 'the LINE Chrome extension', version: search.version ?? '' } }
    : { code: 'setup-required', params: { what: 'line-signer', component: 'the LINE Chrome extension' } }
}

export function signerFor(config: LineConfig, log: Logger): { signer: RequestSigner; version: string | null } {
  if (config.signer) return { signer: config.signer, version: null }
  const search = findLineExtension(config.signerPath ?? null)
  if (!search.found) {
    const message = missingSignerMessage(config.signerPath ?? null, search.searched, search.refusal, search.version)
    const reason = reasonOf(search)
    return { signer: { name: 'missing', sign: () => Promise.reject(new JunctionError('setup-required', message, { reason })) }, version: null }
  }
  const found = search.found
  log.info({ version: found.version }, 'using the LINE extension’s signing module')
  const options = { ...(config.spawnIsolated ? { spawn: config.spawnIsolated } : {}), ...(config.signerRunner ? { runner: config.signerRunner } : {}) }
  return { signer: lazySigner(`LINE extension ${found.version}`, () => loadLtsmSigner(found, options)), version: found.version }
}

/** NetworkDefinition.setupProblem: what is missing, or null when LINE can sign. */
export function signerProblem(config: LineConfig): Reason | null {
  if (config.signer) return null
  const search = findLineExtension(config.signerPath ?? null)
  return search.found ? null : reasonOf(search)
}
