// The account's local nickname (issue 12 §3): a name only this computer shows, in the rail and
// in settings, instead of the one the network reports. A "Rename" button opens a one-line
// field; Enter saves, Escape cancels, and focus returns to the button.

import { useEffect, useId, useRef, useState } from 'react'
import type { Account } from '../../../shared/model'
import { useActions } from '../context'
import { strings } from '../strings'

export function NicknameEditor({ account, network }: { account: Account; network: string }): React.JSX.Element {
  const actions = useActions()
  const [editing, setEditing] = useState(false)
  const [value, setValue] = useState('')
  const input = useRef<HTMLInputElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const fieldId = useId()
  const hintId = useId()

  /** Set when the field closes: the Rename button takes the focus back once it is rendered again. */
  const refocus = useRef(false)

  useEffect(() => {
    if (editing) input.current?.select()
    else if (refocus.current) {
      refocus.current = false
      button.current?.focus()
    }
  }, [editing])

  const finish = (): void => {
    refocus.current = true
    setEditing(false)
  }
  const save = async (): Promise<void> => {
    if (await actions.renameAccount(account.id, value)) finish()
  }

  if (!editing) {
    return (
      <button
        ref={button}
        type="button"
        className="nickname-rename"
        onClick={() => {
          setValue(account.nickname ?? account.displayName)
          setEditing(true)
        }}
      >
        {strings.account.rename}
      </button>
    )
  }
  return (
    <form
      className="nickname-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label htmlFor={fieldId}>{strings.account.nicknameLabel}</label>
      <input
        ref={input}
        id={fieldId}
        type="text"
        dir="auto"
        maxLength={64}
        value={value}
        aria-describedby={hintId}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            // Only the field closes, not the dialog around it.
            e.preventDefault()
            e.stopPropagation()
            finish()
          }
        }}
      />
      <p id={hintId} className="hint">
        {strings.account.nicknameHint(network)}
      </p>
      <div className="row">
        <button type="submit" className="primary">
          {strings.account.saveNickname}
        </button>
        <button type="button" onClick={finish}>
          {strings.account.cancelNickname}
        </button>
      </div>
    </form>
  )
}
