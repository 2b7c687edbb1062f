// The WhatsApp settings (`ctx.config`) split per protocol, so that neither protocol's schema
// sees the other's keys: the flat keys are the legacy protocol's (as they were before there
// were two, so saved sandbox and test configurations keep working under its strict schema);
// `md` holds the multi-device protocol's (md/config.ts: endpoint, trust anchor, version).

import type { Reason } from '../../../shared/errors'
import type { ConnectorContext } from '../connector'
import { configProblem } from './legacy/config'
import { mdConfigProblem } from './md/config'

/** The key under which the multi-device settings live. */
export const MD_CONFIG_KEY = 'md'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

/** The legacy protocol's settings: everything but the `md` namespace. */
export function legacyConfigOf(config: Record<string, unknown>): Record<string, unknown> {
  const { [MD_CONFIG_KEY]: _md, ...legacy } = config
  return legacy
}

/** The multi-device protocol's settings (`md`), or none (every default: the real service). */
export function mdConfigOf(config: Record<string, unknown>): Record<string, unknown> {
  const md = Object.hasOwn(config, MD_CONFIG_KEY) ? config[MD_CONFIG_KEY] : undefined
  return isRecord(md) ? md : {}
}

/** A context whose config is one protocol's part. */
export function contextFor(context: ConnectorContext, config: Record<string, unknown>): ConnectorContext {
  return { ...context, config }
}

/** For `setupProblem`: the first protocol's settings that cannot be used, or null. */
export function whatsappConfigProblem(config: Record<string, unknown>): Reason | null {
  const md = Object.hasOwn(config, MD_CONFIG_KEY) ? config[MD_CONFIG_KEY] : undefined
  if (md !== undefined && !isRecord(md)) return { code: 'setup-required', params: { what: 'settings', detail: MD_CONFIG_KEY } }
  return mdConfigProblem(mdConfigOf(config)) ?? configProblem(legacyConfigOf(config))
}
