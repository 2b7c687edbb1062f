// LINE: the Chrome-extension gateway and the legacy Thrift transport.
export { lineNetwork, LineConnector, LINE_CAPABILITIES } from './connector'
export type { RequestSigner, SignInput } from './signer'
