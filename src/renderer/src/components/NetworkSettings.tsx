import { useState } from 'react'
import type { NetworkInfo, SettingField, SettingValue } from '../../../shared/api'
import { useActions, useApp } from '../context'
import { strings } from '../strings'

/** One network's settings as it declares them (NetworkInfo.settings): one form for every network. */
export function NetworkSettings({ network }: { network: NetworkInfo }): React.JSX.Element | null {
  const values = useApp((s) => s.settings?.networks[network.id])
  if (network.settings.length === 0) return null
  return (
    <section className="network-settings" aria-labelledby={`settings-${network.id}`} data-network={network.id}>
      <h3 id={`settings-${network.id}`}>{strings.settings.networkSettings(network.displayName)}</h3>
      {network.settings.map((field) => (
        <SettingRow key={field.name} network={network} field={field} value={values?.[field.name] ?? null} />
      ))}
    </section>
  )
}

function SettingRow({ network, field, value }: { network: NetworkInfo; field: SettingField; value: SettingValue }): React.JSX.Element {
  const actions = useActions()
  const shell = useApp((s) => s.shell)
  const id = `setting-${network.id}-${field.name}`
  const label = field.label ?? field.name
  const set = (next: SettingValue): void => void actions.updateSettings({ network: { id: network.id, name: field.name, value: next } })
  if (field.kind === 'toggle') {
    return (
      <label className="check">
        <input type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} /> {label}
        {field.hint && <small className="hint">{field.hint}</small>}
      </label>
    )
  }
  if (field.kind === 'folder') {
    // The page never sends a path: main asks in a native folder dialog (issue 11 §12).
    return (
      <div className="setting-row">
        <p id={id}>{label}</p>
        {field.hint && <p className="hint">{field.hint}</p>}
        <p>{typeof value === 'string' ? <code aria-labelledby={id}>{value}</code> : <span className="hint">{strings.settings.notSet}</span>}</p>
        {shell === 'electron' ? (
          <div className="row">
            <button type="button" onClick={() => void actions.pickNetworkFolder(network.id, field.name)}>
              {strings.settings.chooseFolder}
            </button>
            {value !== null && (
              <button type="button" onClick={() => set(null)}>
                {strings.settings.useDefault}
              </button>
            )}
          </div>
        ) : (
          <p className="hint">{strings.settings.headlessFolder}</p>
        )}
      </div>
    )
  }
  return <TextSetting id={id} field={field} label={label} value={typeof value === 'string' ? value : ''} onSave={set} />
}

function TextSetting({
  id,
  field,
  label,
  value,
  onSave
}: {
  id: string
  field: SettingField
  label: string
  value: string
  onSave(v: SettingValue): void
}): React.JSX.Element {
  const [draft, setDraft] = useState(value)
  return (
    <form
      className="setting-row"
      onSubmit={(e) => {
        e.preventDefault()
        onSave(draft.trim() === '' ? null : draft.trim())
      }}
    >
      <label htmlFor={id}>{label}</label>
      {field.hint && <p className="hint">{field.hint}</p>}
      <div className="row">
        <input
          id={id}
          type={field.kind === 'url' ? 'url' : field.kind === 'email' ? 'email' : 'text'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">{strings.settings.save}</button>
        {value !== '' && (
          <button
            type="button"
            onClick={() => {
              setDraft('')
              onSave(null)
            }}
          >
            {strings.settings.useDefault}
          </button>
        )}
      </div>
    </form>
  )
}
