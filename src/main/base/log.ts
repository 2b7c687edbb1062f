// Structured logging: `log.warn({ accountId }, 'retrying send')`. Fields whose names look
// like secrets are redacted before anything is written, so a token never reaches a log line.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(fields: LogFields, message: string): void
  info(fields: LogFields, message: string): void
  warn(fields: LogFields, message: string): void
  error(fields: LogFields, message: string): void
  child(fields: LogFields): Logger
}

export interface LogRecord {
  level: LogLevel
  time: number
  message: string
  fields: LogFields
}

export type LogSink = (record: LogRecord) => void

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

const SECRET_KEY = /token|secret|password|passwd|credential|cookie|authorization|key|ticket|cert|pin$|session/i
const MAX_STRING = 300

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return { name: value.name, message: value.message, ...(typeof code === 'string' ? { code } : {}) }
  }
  if (depth > 4) return '<…>'
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1))
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) ? '<redacted>' : redact(v, depth + 1)
    }
    return out
  }
  return String(value)
}

export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', bound: LogFields = {}): Logger {
  const write = (level: LogLevel, fields: LogFields, message: string): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) return
    sink({ level, time: Date.now(), message, fields: redact({ ...bound, ...fields }) as LogFields })
  }
  return {
    debug: (f, m) => write('debug', f, m),
    info: (f, m) => write('info', f, m),
    warn: (f, m) => write('warn', f, m),
    error: (f, m) => write('error', f, m),
    child: (fields) => createLogger(sink, minLevel, { ...bound, ...fields })
  }
}

/** JSON lines on stderr; the level comes from JUNCTION_LOG (debug|info|warn|error|silent). */
export function consoleLogger(env: string | undefined = process.env.JUNCTION_LOG): Logger {
  if (env === 'silent') return silentLogger
  const level: LogLevel = env === 'debug' || env === 'warn' || env === 'error' ? env : 'info'
  return createLogger((r) => process.stderr.write(`${JSON.stringify({ ...r.fields, level: r.level, time: r.time, msg: r.message })}\n`), level)
}

export const silentLogger: Logger = createLogger(() => {}, 'error')
