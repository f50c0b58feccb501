// The live feed: Server-Sent Events read with fetch (EventSource cannot send the bearer token),
// reconnecting with a growing delay when the stream ends or fails.
import { storedToken } from './api.js';

const RETRY_DELAYS_MS = [1000, 2000, 5000, 10000];

/** Streams until `signal` aborts; calls onState('connecting' | 'live' | 'offline' | 'refused'), onEvent(item). */
export async function followFeed({ onState, onEvent, signal }) {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    onState('connecting');
    try {
      const response = await fetch('/v1/credit-line-events/stream', {
        headers: { Authorization: `Bearer ${storedToken()}`, Accept: 'text/event-stream' },
        signal,
      });
      if (response.status === 401 || response.status === 403) {
        onState('refused');
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      attempt = 0;
      await readEvents(response.body, signal, (event, data) => {
        if (event === 'live') onState('live');
        else if (event === 'credit-line') onEvent(JSON.parse(data));
      });
    } catch (error) {
      if (signal.aborted) return;
    }
    onState('offline');
    const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function readEvents(body, signal, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  signal.addEventListener('abort', () => reader.cancel().catch(() => undefined), { once: true });
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) dispatch(event, data.join('\n'));
    }
  }
}
