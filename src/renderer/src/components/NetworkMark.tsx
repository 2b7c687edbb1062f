import type { NetworkId } from '../../../shared/model'
import { strings } from '../strings'

/** The small badge that says which network a chat or account belongs to. */
export function NetworkMark({ network, size = 'small' }: { network: NetworkId; size?: 'small' | 'large' }): React.JSX.Element {
  return (
    <span className={`network-mark network-${network} network-mark-${size}`} role="img" aria-label={strings.networks[network]} title={strings.networks[network]}>
      {strings.networkMark[network]}
    </span>
  )
}
