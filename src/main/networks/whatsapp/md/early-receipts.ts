// Receipts that overtake the server's ack (spec §7.1 "Server ack", §7.4): the contact's phone
// can answer before the ack reaches us, and Core knows a message's remote id only once `send`
// returns. So a receipt for a message still in flight is held here until `send` takes it,
// the strongest one kept; bounded like every cache here (spec §13.9). Split from protocol.ts.

import type { ConnectorEvent } from '../../connector'

type ReceiptStatus = Extract<ConnectorEvent, { type: 'receipt' }>['status']

const EARLY_RECEIPTS_MAX = 1_000

export class EarlyReceipts {
  private readonly held = new Map<string, ReceiptStatus>()

  /** Holds the receipt's ids still `inFlight`; returns the others, to report at once. */
  hold(ids: readonly string[], status: ReceiptStatus, inFlight: (id: string) => boolean): string[] {
    const now = ids.filter((id) => !inFlight(id))
    for (const id of ids) {
      if (!inFlight(id)) continue
      if (this.held.size >= EARLY_RECEIPTS_MAX) this.held.delete(this.held.keys().next().value!)
      if (this.held.get(id) !== 'read') this.held.set(id, status)
    }
    return now
  }

  /** The receipt held for a message whose send just returned, forgotten here. */
  take(id: string): ReceiptStatus | undefined {
    const status = this.held.get(id)
    this.held.delete(id)
    return status
  }
}
