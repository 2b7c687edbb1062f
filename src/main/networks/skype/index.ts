// The Skype network: Microsoft-account OAuth, the Skype glue APIs, the SOAP address book,
// ActiveSync contact sync and MSNP21/MSNP24 sessions.

export { skypeNetwork, SkypeConnector } from './connector'
