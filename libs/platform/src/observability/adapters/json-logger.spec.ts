import { Logger } from '@nestjs/common';
import { runWithLogContext } from '../log-context';
import { JsonLogger } from './json-logger';

const TIME = new Date('2026-11-11T08:00:00.000Z');

function capture(levels?: ConstructorParameters<typeof JsonLogger>[0]['levels']) {
  const lines: string[] = [];
  const logger = new JsonLogger({
    service: 'unit',
    levels,
    write: (line) => lines.push(line),
    clock: () => TIME,
  });
  return { logger, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it("reads Nest's argument conventions: the context last, a stack before it, objects as fields", () => {
    const { logger, parsed } = capture();
    logger.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    logger.error('Boom', 'Error: Boom\n    at handler (x.ts:1:1)', 'ExceptionsHandler');
    logger.warn('Slow', { durationMs: 12 }, 'Relay');
    logger.fatal('Crashed', 'Profiler');
    expect(parsed()).toEqual([
      {
        time: TIME.toISOString(),
        level: 'info',
        service: 'unit',
        context: 'RouterExplorer',
        message: 'Mapped {/health/live, GET} route',
      },
      {
        time: TIME.toISOString(),
        level: 'error',
        service: 'unit',
        context: 'ExceptionsHandler',
        message: 'Boom',
        stack: 'Error: Boom\n    at handler (x.ts:1:1)',
      },
      {
        time: TIME.toISOString(),
        level: 'warn',
        service: 'unit',
        context: 'Relay',
        message: 'Slow',
        durationMs: 12,
      },
      { time: TIME.toISOString(), level: 'fatal', service: 'unit', context: 'Profiler', message: 'Crashed' },
    ]);
  });

  it("writes a structured message's fields (the messaging plumbing's) as properties, and a plain object's too", () => {
    const { logger, parsed } = capture();
    const structured = Object.assign(() => 'Dead-lettered records {"eventId":"e-1"}', {
      logText: 'Dead-lettered records',
      logFields: { topic: 'scf.orders.v1', partition: 0, offset: '3', eventId: 'e-1' },
    });
    logger.warn(structured, 'KafkaBatchTransport');
    logger.log({ message: 'GET /x 200', requestId: 'r-1', status: 200 }, 'Http');
    logger.log(() => 'lazy text');
    expect(parsed()).toEqual([
      expect.objectContaining({
        message: 'Dead-lettered records',
        topic: 'scf.orders.v1',
        partition: 0,
        offset: '3',
        eventId: 'e-1',
      }),
      expect.objectContaining({ context: 'Http', message: 'GET /x 200', requestId: 'r-1', status: 200 }),
      expect.objectContaining({ message: 'lazy text' }),
    ]);
  });

  it('adds the fields of the current log context (the request id) to every line inside it', () => {
    const { logger, parsed } = capture();
    let requestId: string | undefined;
    runWithLogContext(
      () => ({ requestId }),
      () => {
        requestId = 'req-7';
        logger.log('inside');
      },
    );
    logger.log('outside');
    expect(parsed().map((line) => [line.message, line.requestId])).toEqual([
      ['inside', 'req-7'],
      ['outside', undefined],
    ]);
  });

  it('writes only the enabled levels, as LOG_LEVEL sets them', () => {
    const { logger, parsed } = capture(['fatal', 'error', 'warn']);
    logger.log('info line');
    logger.debug('debug line');
    logger.warn('warn line');
    logger.setLogLevels(['debug']);
    logger.debug('now debug');
    expect(parsed().map((line) => [line.level, line.message])).toEqual([
      ['warn', 'warn line'],
      ['debug', 'now debug'],
    ]);
  });

  it("serves Nest's Logger once it overrides it", () => {
    const { logger, parsed } = capture();
    Logger.overrideLogger(logger);
    try {
      new Logger('Underwriter').log('Underwriter is consuming');
      new Logger('Underwriter').error('failed');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(parsed()).toEqual([
      expect.objectContaining({ level: 'info', context: 'Underwriter', message: 'Underwriter is consuming' }),
      expect.objectContaining({ level: 'error', context: 'Underwriter', message: 'failed' }),
    ]);
    expect(parsed()[1]).not.toHaveProperty('stack');
  });
});
