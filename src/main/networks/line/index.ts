// LINE: the Chrome-extension gateway and the legacy Thrift transport.
export { lineNetwork, LineConnector, LINE_CAPABILITIES } from './connector'
export type { RequestSigner, SignInput } from './signer'
/** What the Electron shell passes as `config.spawnIsolated` (utilityProcess.fork) for the isolated signer. */
export type { IsolatedProcess, SpawnIsolated } from './signer/isolated'
