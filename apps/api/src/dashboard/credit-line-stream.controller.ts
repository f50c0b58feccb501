import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiDocumented, ApiError, RequireRoles } from '@lendstream/platform';
import { serverSentEvent } from './credit-line-feed-item';
import { CreditLineFeed, FEED_LISTENERS_MAX, type FeedListener } from './credit-line-feed.service';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const KEEPALIVE_INTERVAL_MS = 15_000;
/** A browser that reads slower than this much backlog is cut off (it reconnects), rather than buffered without end. */
const STREAM_BACKLOG_BYTES_MAX = 1024 * 1024;

/**
 * The live feed of credit-line events (role ops:read) as Server-Sent Events, for the dashboard.
 * The stream is a plain GET behind the bearer token, so a browser reads it with fetch (the
 * EventSource API cannot send an Authorization header).
 */
@Controller('v1/credit-line-events')
export class CreditLineStreamController {
  constructor(@Inject(CreditLineFeed) private readonly feed: CreditLineFeed) {}

  @Get('stream')
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'Credit-line events as they happen (Server-Sent Events)',
    description:
      'text/event-stream: an `event: live` message once the API consumes scf.credit-lines.v1 (again after a reconnection to Kafka), then one `event: credit-line` message per event from then on, its `id` the event id and its data the event as JSON (money as strings). A comment line every 15 s keeps it open. At most 100 streams per API process.',
    tags: ['dashboard'],
    responses: {
      200: { description: 'The stream (text/event-stream)' },
      503: { description: 'The process serves as many streams as it may', codes: ['TOO_MANY_STREAMS'] },
    },
  })
  stream(@Req() request: Request, @Res() response: Response): void {
    const send = (chunk: string): void => {
      if (response.writableEnded) return;
      response.write(chunk);
      if (response.writableLength > STREAM_BACKLOG_BYTES_MAX) close();
    };
    const listener: FeedListener = (signal) => {
      if (signal.kind === 'closing') close();
      else if (signal.kind === 'live') send(serverSentEvent('live', { live: true }));
      else send(serverSentEvent('credit-line', signal.item, signal.item.id));
    };
    const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_INTERVAL_MS);
    const close = (): void => {
      clearInterval(keepalive);
      this.feed.unlisten(listener);
      if (!response.writableEnded) response.end();
    };
    if (!this.feed.listen(listener)) {
      clearInterval(keepalive);
      throw new ApiError(
        503,
        'TOO_MANY_STREAMS',
        `this API process already serves ${FEED_LISTENERS_MAX} live streams; retry later or on another replica`,
      );
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    // A reconnecting browser waits this long (the SSE `retry` field).
    response.write('retry: 3000\n\n');
    request.on('close', close);
    response.on('error', close);
  }
}
