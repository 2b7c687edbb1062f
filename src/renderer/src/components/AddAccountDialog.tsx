import { useEffect, useRef, useState } from 'react'
import type { LoginField, LoginMethod, LoginStep, NetworkInfo } from '../../../shared/api'
import { deserializeError } from '../../../shared/errors'
import type { NetworkId } from '../../../shared/model'
import { errorMessage } from '../actions'
import { describeError, describeReason } from '../words'
import { Modal } from './Modal'
import { useActions, useApp } from '../context'
import { strings } from '../strings'
import { NetworkMark } from './NetworkMark'
import { QrCode } from './QrCode'
import { useCountdown } from './useCountdown'

function StepView({ step, network, loginId, onRetry }: { step: LoginStep; network: NetworkInfo; loginId: string; onRetry(): void }): React.JSX.Element {
  const actions = useActions()
  const seconds = useCountdown(step.kind === 'qr' ? step.expiresAt : step.kind === 'pin' ? step.expiresAt : null)
  const name = network.displayName
  switch (step.kind) {
    case 'progress':
      return (
        <p className="login-progress" role="status">
          <span className="spinner" aria-hidden="true" /> {strings.addAccount.stage[step.stage]}
          {step.fraction !== undefined && (
            <>
              {' '}
              <progress max={1} value={step.fraction} aria-label={strings.addAccount.stage[step.stage]} /> {strings.addAccount.progress(step.fraction)}
            </>
          )}
        </p>
      )
    case 'input':
      return (
        <div className="login-input">
          <p>{strings.addAccount.inputInstructions(name)}</p>
          {step.error && (
            <p className="error" role="alert">
              {describeReason(step.error, name)}
            </p>
          )}
          <FieldsForm fields={step.fields} submitLabel={strings.addAccount.inputSubmit} onSubmit={(values) => void actions.submitLoginInput(loginId, values)} />
        </div>
      )
    case 'qr':
      return (
        <div className="login-qr">
          <p>{strings.addAccount.qrInstructions(name)}</p>
          <QrCode payload={step.payload} label={strings.addAccount.qrAlt} />
          <p className="login-hint" role="status">
            {seconds !== null && strings.addAccount.qrExpires(seconds)} {strings.addAccount.qrAttempt(step.attempt, step.maxAttempts)}
          </p>
        </div>
      )
    case 'pin':
      return (
        <div className="login-pin">
          <p>{strings.addAccount.pinInstructions(name)}</p>
          <p className="pin" aria-live="polite" data-pin={step.pin}>
            {step.pin}
          </p>
          {seconds !== null && (
            <p className="login-hint" role="timer">
              {strings.addAccount.pinExpires(seconds)}
            </p>
          )}
        </div>
      )
    case 'browser':
      return (
        <div className="login-browser">
          <p>{strings.addAccount.browserInstructions}</p>
          <button type="button" className="primary" onClick={() => actions.openExternal(step.url)}>
            {strings.addAccount.openSignIn}
          </button>
        </div>
      )
    case 'different-account':
      return (
        <div className="login-different" role="alert">
          <p>{strings.addAccount.differentAccount(step.displayName, name)}</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => void actions.submitLoginInput(loginId, { choice: 'add' })}>
              {strings.addAccount.addAsNew(step.displayName)}
            </button>
            <button type="button" onClick={() => void actions.submitLoginInput(loginId, { choice: 'cancel' })}>
              {strings.addAccount.cancel}
            </button>
          </div>
        </div>
      )
    case 'done':
      return (
        <p className="login-done" role="status">
          ✓ {strings.addAccount.done}
        </p>
      )
    case 'failed':
      return (
        <div className="login-failed" role="alert">
          <p className="error-title">{strings.addAccount.failedTitle}</p>
          <p>{describeError(deserializeError(step.error), name)}</p>
          <button type="button" className="primary" onClick={onRetry}>
            {strings.addAccount.tryAgain}
          </button>
        </div>
      )
  }
}

/** Fields as the network declares them; the same form for credentials and for an `input` step. */
function FieldsForm({
  fields,
  submitLabel,
  onSubmit
}: {
  fields: readonly LoginField[]
  submitLabel: string
  onSubmit(values: Record<string, string>): void
}): React.JSX.Element {
  const [values, setValues] = useState<Record<string, string>>({})
  return (
    <form
      className="login-form"
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit(values)
      }}
    >
      {fields.map((f, i) => (
        <label key={f.name}>
          {f.label ?? strings.addAccount.fieldLabels[f.name] ?? strings.addAccount.fieldLabels[f.kind] ?? f.name}
          <input
            aria-describedby={f.hint ? `field-hint-${f.name}` : undefined}
            type={f.kind === 'phone' ? 'tel' : f.kind === 'email' || f.kind === 'password' || f.kind === 'url' ? f.kind : 'text'}
            name={f.name}
            required={!f.optional}
            autoFocus={i === 0}
            autoComplete={f.kind === 'password' ? 'current-password' : f.kind === 'email' ? 'username' : 'off'}
            value={values[f.name] ?? ''}
            onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
          />
          {f.hint && <small id={`field-hint-${f.name}`}>{f.hint}</small>}
        </label>
      ))}
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </form>
  )
}

/** A method with fields asks for them before it starts; one without (a phone number asked later, as an `input` step) starts at once. */
function asksFirst(m: LoginMethod): boolean {
  return m.kind === 'credentials' && (m.fields?.length ?? 0) > 0
}

export function AddAccountDialog({
  initialNetwork,
  reloginAccountId
}: {
  initialNetwork: NetworkId | null
  reloginAccountId: string | null
}): React.JSX.Element {
  const openDialog = useApp((s) => s.openDialog)
  const networks = useApp((s) => s.networks)
  const logins = useApp((s) => s.logins)
  const relogin = useApp((s) => (reloginAccountId ? s.accounts[reloginAccountId] : undefined))
  const actions = useActions()
  const [network, setNetwork] = useState<NetworkInfo | null>(null)
  const [method, setMethod] = useState<LoginMethod | null>(null)
  const [loginId, setLoginId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const reset = (): void => {
    if (loginId && logins[loginId]?.step.kind !== 'done') actions.cancelLogin(loginId)
    setNetwork(null)
    setMethod(null)
    setLoginId(null)
    setError(null)
  }

  const close = (): void => {
    if (loginId && logins[loginId]?.step.kind !== 'done') actions.cancelLogin(loginId)
    openDialog(null)
  }

  const start = async (n: NetworkInfo, m: LoginMethod, fields?: Record<string, string>): Promise<void> => {
    setError(null)
    setMethod(m)
    try {
      setLoginId(await actions.startLogin(n.id, m.id, fields, reloginAccountId))
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const choose = (n: NetworkInfo): void => {
    setNetwork(n)
    const only = n.loginMethods.length === 1 ? n.loginMethods[0] : undefined
    if (only && !asksFirst(only)) void start(n, only)
  }

  // Opened for one network (Log in again): skip the choice, once, when the dialog opens.
  const preset = useRef(initialNetwork ? networks.find((n) => n.id === initialNetwork) : undefined)
  const chooseOnce = useRef(choose)
  useEffect(() => {
    if (preset.current) chooseOnce.current(preset.current)
  }, [])

  const step = loginId ? logins[loginId]?.step : undefined
  useEffect(() => {
    if (step?.kind !== 'done') return
    const t = window.setTimeout(() => openDialog(null), 1200)
    return () => window.clearTimeout(t)
  }, [step?.kind, openDialog])

  return (
    <Modal labelledBy="add-account-title" className="add-account" onClose={close}>
      <header>
        <h2 id="add-account-title">
          {network ? (
            <>
              <NetworkMark network={network.id} size="large" /> {relogin ? `${relogin.displayName} · ${network.displayName}` : network.displayName}
            </>
          ) : (
            strings.addAccount.title
          )}
        </h2>
        <button type="button" className="icon" aria-label={strings.addAccount.close} onClick={close}>
          ×
        </button>
      </header>
      {!network && (
        <div className="network-choice" role="group" aria-label={strings.addAccount.chooseNetwork}>
          {networks.map((n) => (
            <button
              key={n.id}
              type="button"
              className="network-button"
              disabled={n.setupProblem !== null}
              onClick={() => choose(n)}
              data-network={n.id}
              aria-describedby={n.setupProblem ? `setup-${n.id}` : undefined}
            >
              <NetworkMark network={n.id} size="large" />
              <span>{n.displayName}</span>
              {n.setupProblem && (
                <small className="setup-problem" id={`setup-${n.id}`}>
                  {describeReason(n.setupProblem, n.displayName)}
                </small>
              )}
            </button>
          ))}
        </div>
      )}
      {network && !loginId && !method && (
        <div className="method-choice">
          {network.loginMethods.map((m) => (
            <button key={m.id} type="button" className="method-button" onClick={() => (asksFirst(m) ? setMethod(m) : void start(network, m))}>
              <span>{m.label ?? strings.addAccount.methods[m.kind]}</span>
              {m.hint && <small>{m.hint}</small>}
            </button>
          ))}
        </div>
      )}
      {network && method?.kind === 'credentials' && !loginId && (
        <>
          {(method.label || method.hint) && (
            <div className="method-intro">
              {method.label && <h3 className="method-title">{method.label}</h3>}
              {method.hint && <p className="login-hint">{method.hint}</p>}
            </div>
          )}
          <FieldsForm fields={method.fields ?? []} submitLabel={strings.addAccount.start} onSubmit={(f) => void start(network, method, f)} />
        </>
      )}
      {network && loginId && step && (
        <StepView
          step={step}
          network={network}
          loginId={loginId}
          onRetry={() => (method && asksFirst(method) ? setLoginId(null) : method && void start(network, method))}
        />
      )}
      {network && loginId && !step && (
        <p className="login-progress" role="status">
          <span className="spinner" aria-hidden="true" /> {strings.addAccount.stage.connecting}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {network && step?.kind !== 'done' && !reloginAccountId && (
        <footer>
          <button type="button" onClick={reset}>
            {strings.addAccount.back}
          </button>
        </footer>
      )}
    </Modal>
  )
}
