// The log file under <userData>/logs: JSON lines (the records createLogger already
// redacted), rotated by size. `junction.log` is the current file; at `maxBytes` it becomes
// `junction.1.log`, the older ones shift up and the one past `keep` is deleted. Writes are
// synchronous appends: a crash loses nothing already logged, and a log line is small.

import { appendFileSync, closeSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createLogger, type LogLevel, type LogRecord, type LogSink, type Logger } from '../base/log'

export const LOG_FILE_NAME = 'junction.log'

export interface RotatingFileOptions {
  dir: string
  /** Size at which the current file is rotated. */
  maxBytes?: number
  /** Rotated files kept besides the current one. */
  keep?: number
}

export function rotatedName(index: number): string {
  return index === 0 ? LOG_FILE_NAME : LOG_FILE_NAME.replace(/\.log$/, `.${index}.log`)
}

export function formatRecord(record: LogRecord): string {
  return `${JSON.stringify({ ...record.fields, level: record.level, time: new Date(record.time).toISOString(), msg: record.message })}\n`
}

export class RotatingLogFile {
  readonly path: string
  private readonly maxBytes: number
  private readonly keep: number
  private size: number
  private failed = false

  constructor(private readonly options: RotatingFileOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024
    this.keep = options.keep ?? 5
    mkdirSync(options.dir, { recursive: true, mode: 0o700 })
    this.path = join(options.dir, LOG_FILE_NAME)
    closeSync(openSync(this.path, 'a', 0o600))
    this.size = statSync(this.path).size
  }

  write(line: string): void {
    if (this.failed) return
    const bytes = Buffer.byteLength(line)
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate()
      appendFileSync(this.path, line, { mode: 0o600 })
      this.size += bytes
    } catch {
      // A full disk or a removed folder must not take the app down; the console sink still has it.
      this.failed = true
    }
  }

  private rotate(): void {
    rmSync(join(this.options.dir, rotatedName(this.keep)), { force: true })
    for (let i = this.keep - 1; i >= 0; i--) {
      const from = join(this.options.dir, rotatedName(i))
      try {
        renameSync(from, join(this.options.dir, rotatedName(i + 1)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    if (this.keep === 0) rmSync(this.path, { force: true })
    this.size = 0
  }
}

/** A logger writing to the rotating file and to `also` (stderr in development). */
export function fileLogger(file: RotatingLogFile, level: LogLevel, also?: LogSink): Logger {
  return createLogger((record) => {
    file.write(formatRecord(record))
    also?.(record)
  }, level)
}
