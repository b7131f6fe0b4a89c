import pino, { type Logger as PinoLogger } from 'pino';
import type { Config } from './config/schema';
import { secretValues } from './config/load';

/**
 * The service's one logger. Known secret values are scrubbed from every line, and auth headers
 * are redacted by path, so no token or key reaches a log even through an error message.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Config>,
  destination?: pino.DestinationStream,
  options: { readable?: boolean } = {},
): PinoLogger {
  const secrets = secretValues(config as Config).filter((s) => s.length >= 4);
  const scrub = (line: string) => {
    const clean = secrets.reduce((text, s) => text.split(s).join('[redacted]'), line);
    return options.readable ? readableLine(clean) : clean;
  };
  const stream = destination ?? pino.destination(1);
  return pino(
    {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.authorization', '*.token', '*.consumerSecret', '*.consumerKey'], censor: '[redacted]' },
    },
    secrets.length || options.readable ? { write: (line: string) => stream.write(scrub(line)) } : stream,
  );
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId']);

/** One JSON log line as `16:33:00 INFO  run finished flow=inventory status=partial …` for the demo terminal. */
export function readableLine(line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const time = new Date(Number(entry.time)).toISOString().slice(11, 19);
    const fields = Object.entries(entry)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${time} ${LEVELS[Number(entry.level)] ?? 'INFO '} ${String(entry.msg ?? '')}${fields ? `  ${fields}` : ''}\n`;
  } catch {
    return line;
  }
}
