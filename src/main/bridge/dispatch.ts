// One entry point for every transport: checks the request name, the size and the
// shape of its argument, calls Core, and answers with a typed envelope. Nothing a
// caller sends can throw past this function.

import type { ApiReply, RequestName } from '../../shared/api'
import { REQUEST_NAMES } from '../../shared/api'
import { JunctionError, serializeError } from '../../shared/errors'
import type { Logger } from '../base/log'
import type { ApiHandlers } from '../core/core'
import { scanValue, type FrameProblem } from './frames'
import { LIMITS, REQUEST_SCHEMAS } from './schemas'

export type Dispatcher = (name: unknown, arg: unknown) => Promise<ApiReply<unknown>>

const NAMES: ReadonlySet<string> = new Set(REQUEST_NAMES)

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && NAMES.has(name)
}

function serializedSize(arg: unknown): number {
  if (arg === undefined) return 0
  try {
    return JSON.stringify(arg)?.length ?? 0
  } catch {
    return Infinity
  }
}

const VALUE_PROBLEMS: Record<FrameProblem, string> = {
  'too-large': 'is too large',
  'too-deep': 'nests too deeply',
  'too-complex': 'has too many values',
  malformed: 'holds a value that is not plain data'
}

export function createDispatcher(handlers: ApiHandlers, log: Logger): Dispatcher {
  return async (name, arg) => {
    try {
      if (!isRequestName(name)) throw new JunctionError('invalid-argument', 'Unknown request.')
      // Bounded before anything walks the argument recursively (frames.ts; ipc has no bytes to scan).
      const problem = scanValue(arg, name)
      if (problem) throw new JunctionError('invalid-argument', `The ${name} request ${VALUE_PROBLEMS[problem]}.`)
      if (serializedSize(arg) > LIMITS.requestBytes) throw new JunctionError('invalid-argument', `The ${name} request is too large.`)
      const parsed = REQUEST_SCHEMAS[name].safeParse(arg)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
        throw new JunctionError('invalid-argument', `Invalid ${name} request${where}: ${issue?.message ?? 'bad shape'}.`)
      }
      const handler = handlers[name] as (a: unknown) => Promise<unknown>
      const value = await handler(parsed.data)
      return { ok: true, value }
    } catch (error) {
      if (!(error instanceof JunctionError)) log.error({ request: typeof name === 'string' ? name.slice(0, 64) : typeof name, error }, 'request failed')
      return { ok: false, error: serializeError(error) }
    }
  }
}
