export { protocolOf, whatsappNetwork, WhatsAppConnector } from './connector'
