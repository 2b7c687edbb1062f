import type { NetworkId } from '../../../shared/model'
import { useApp } from '../context'
import { useNetwork } from '../networks'

/** The small badge that says which network a chat or account belongs to, in the network's own brand. */
/**
 * `decorative` when the surrounding label already names the network. With `accountId`, an account whose
 * service goes by another name (a Messenger revival account on Skype's MSNP18: `Account.networkLabel`) is
 * named and lettered by that name.
 */
export function NetworkMark({
  network,
  size = 'small',
  decorative = false,
  accountId
}: {
  network: NetworkId
  size?: 'small' | 'large'
  decorative?: boolean
  accountId?: string
}): React.JSX.Element {
  const info = useNetwork(network)
  const label = useApp((s) => (accountId === undefined ? undefined : s.accounts[accountId]?.networkLabel))
  const name = label || (info?.displayName ?? network)
  // The colour is set through the CSSOM (React's style prop), which the page's CSP allows.
  const style = info ? { background: info.brand.color } : undefined
  const mark = label ? label.slice(0, 1).toUpperCase() : (info?.brand.mark ?? network.slice(0, 1).toUpperCase())
  if (decorative) {
    return (
      <span className={`network-mark network-mark-${size}`} style={style} aria-hidden="true">
        {mark}
      </span>
    )
  }
  return (
    <span className={`network-mark network-mark-${size}`} style={style} role="img" aria-label={name} title={name}>
      {mark}
    </span>
  )
}
