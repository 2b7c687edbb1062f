// The Skype network: Microsoft-account OAuth, the Skype glue APIs, the SOAP address book,
// ActiveSync contact sync and MSNP21/MSNP24 sessions; and Messenger on revival services
// (MSNP18 with switchboards, or MSNP21), negotiated per account (msnp18/negotiate.ts).

export { skypeNetwork, SkypeConnector } from './connector'
