import type { NetworkId } from '../../../shared/model'
import { strings } from '../strings'

/** The small badge that says which network a chat or account belongs to. */
/** `decorative` when the surrounding label already names the network. */
export function NetworkMark({ network, size = 'small', decorative = false }: { network: NetworkId; size?: 'small' | 'large'; decorative?: boolean }): React.JSX.Element {
  if (decorative) {
    return (
      <span className={`network-mark network-${network} network-mark-${size}`} aria-hidden="true">
        {strings.networkMark[network]}
      </span>
    )
  }
  return (
    <span className={`network-mark network-${network} network-mark-${size}`} role="img" aria-label={strings.networks[network]} title={strings.networks[network]}>
      {strings.networkMark[network]}
    </span>
  )
}
