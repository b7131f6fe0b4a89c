import pino, { type Logger as PinoLogger } from 'pino';
import type { Config } from './config/schema';
import { secretValues } from './config/load';

/**
 * The service's one logger. Known secret values are scrubbed from every line, and auth headers
 * are redacted by path, so no token or key reaches a log even through an error message.
 */
export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Config>, destination?: pino.DestinationStream): PinoLogger {
  const secrets = secretValues(config as Config).filter((s) => s.length >= 8);
  const scrub = (line: string) => secrets.reduce((text, s) => text.split(s).join('[redacted]'), line);
  const stream = destination ?? pino.destination(1);
  return pino(
    {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.authorization', '*.token', '*.consumerSecret', '*.consumerKey'], censor: '[redacted]' },
    },
    secrets.length ? { write: (line: string) => stream.write(scrub(line)) } : stream,
  );
}
