// A login in progress, split from accounts.ts (which keeps the logins by id): the request
// checked against the network's definition before a Connector is made, the LoginIO the
// Connector talks to the person through (its steps, a browser sign-in's redirect, typed
// input), and, for "log in again" (issue 11 §7), whether the network signed in someone else.

import type { LoginStep } from '../../shared/api'
import { JunctionError } from '../../shared/errors'
import type { NetworkId } from '../../shared/model'
import type { Logger } from '../base/log'
import type { Connector, ConnectorContext, LoginIO, NetworkDefinition } from '../networks/connector'
import { loginMethodsOf } from '../networks/registry'
import type { AuthBrowser } from './accounts'
import { waitForAnswer } from './login-input'
import type { Store } from './store'

export interface PendingLogin {
  network: NetworkId
  connector: Connector
  abort: AbortController
  resolveRedirect: (url: string) => void
  /** Set while the Connector waits for an `input` step's answer. */
  answerInput: ((values: Record<string, string>) => void) | null
}

/** Refuses, before a Connector is made, a login this computer cannot run or its method cannot take. */
export function checkLoginRequest(
  definition: NetworkDefinition,
  context: ConnectorContext,
  request: { methodId: string; fields?: Record<string, string> }
): void {
  const problem = definition.setupProblem(context)
  if (problem) throw new JunctionError('setup-required', `${definition.displayName} needs something this computer lacks.`, { reason: problem })
  const method = loginMethodsOf(definition, context).find((m) => m.id === request.methodId)
  if (!method) throw new JunctionError('invalid-argument', `${definition.displayName} has no login method "${request.methodId}" here.`)
  for (const field of method.fields ?? []) {
    if (!field.optional && !request.fields?.[field.name]) throw new JunctionError('invalid-argument', `The field "${field.name}" is required.`)
  }
}

export interface LoginIOOptions {
  loginId: string
  pending: PendingLogin
  /** Settles with the URL the browser sign-in redirected to. */
  redirect: Promise<string>
  /** Tells the renderer (the Api's `login` event). */
  step: (s: LoginStep) => void
  authBrowser: AuthBrowser | null
  authRedirectBase: string | null
  log: Logger
}

/** What the Connector sees of its login: a browser step opens the sign-in window where there is one (Electron). */
export function loginIO(o: LoginIOOptions): LoginIO {
  const { loginId, pending, step } = o
  const { abort, resolveRedirect } = pending
  return {
    signal: abort.signal,
    waitForRedirect: () => o.redirect,
    waitForInput: () => waitForAnswer(abort.signal, (answer) => (pending.answerInput = answer)),
    redirectUri: o.authBrowser || !o.authRedirectBase ? null : `${o.authRedirectBase}${loginId}`,
    step: (s) => {
      if (abort.signal.aborted) return
      if (s.kind === 'browser') {
        step({ kind: 'browser', url: s.url })
        o.authBrowser?.open(s.url, s.redirectPrefix, abort.signal, s.origins).then(resolveRedirect, (error: unknown) => {
          if (!abort.signal.aborted) o.log.warn({ loginId, error }, 'sign-in window failed')
        })
      } else {
        step(s)
      }
    }
  }
}

/**
 * "Log in again" on an account, and the network signed in another person (issue 11 §7): that
 * is a choice for the person — add them as a new account, or cancel — never a silent duplicate.
 */
export async function isSomeoneElse(
  store: Store,
  accountId: string,
  network: NetworkId,
  result: { selfId: string; displayName: string },
  step: (s: LoginStep) => void,
  io: LoginIO
): Promise<'same' | 'add' | 'cancel'> {
  const row = store.accounts.get(accountId)
  if (!row || row.self_id === result.selfId || store.accounts.findBySelf(network, result.selfId)) return 'same'
  step({ kind: 'different-account', displayName: result.displayName })
  const answer = await io.waitForInput()
  return answer.choice === 'add' ? 'add' : 'cancel'
}
