export { whatsappNetwork, WhatsAppConnector } from './connector'
