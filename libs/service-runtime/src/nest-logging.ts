import { Injectable } from '@nestjs/common';
import { Logger as PinoNestLogger, LoggerModule, type Params } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { requestLogFields, responseLogFields } from '@lead-sla/platform';
import { PINO_LOGGER } from './tokens';

/** Probes and scrapes every few seconds are not worth a line each. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * pino-http over the service's one pino logger: one line per finished request
 * — errors (5xx, or a failure) at error, refusals (4xx) at warn, the rest at
 * debug (LOG_LEVEL=debug shows every request) — with credentials redacted.
 */
export function httpLogging(logger: Pino): Params {
  return {
    pinoHttp: {
      logger,
      autoLogging: { ignore: (req) => UNLOGGED_PATHS.test(req.url ?? '') },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
      // Logs written while a request runs carry its id, not the whole request again.
      quietReqLogger: true,
      // pino-http replaces the logger's serializers with its own unless given these (the redacting ones).
      serializers: { req: requestLogFields, res: responseLogFields },
    },
  };
}

/** nestjs-pino, configured per application from the service's pino logger. */
export function nestLoggingModule() {
  return LoggerModule.forRootAsync({ inject: [PINO_LOGGER], useFactory: (logger: Pino) => httpLogging(logger) });
}

/**
 * Nest's own messages through the service's pino logger (app.useLogger). Nest
 * calls `log` for its start-up chatter (every module and route): that is
 * debug here, as it always was, so a service starts with a few lines.
 */
@Injectable()
export class NestLogger extends PinoNestLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    this.debug(message, ...optionalParams);
  }
}
