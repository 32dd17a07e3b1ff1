import { serialize } from 'node:v8';
import type { DraftsState } from '../../common/drafts';
import { IPC_EVENTS } from '../../common/ipc/channels';
import { createDraftsFeed } from '../../electron/main/offline/drafts-feed';

/** What main sent the renderer about the drafts during a sync, and what making it cost main. */
export interface RendererFeedTotals {
  events: number;
  /** Events that carried the whole state (drafts:changed). */
  wholeStates: number;
  bytes: number;
  /** Main's time checking each event against its schema (the IPC gate does) and serialising it (Electron's IPC does). */
  ms: number;
  maxMs: number;
}

/**
 * The app's drafts events as main makes them (electron/main/offline-wiring.ts): changes gathered
 * into one event per 150 ms, drafts-feed.ts choosing the whole state or drafts:progress, the gate's
 * schema check, and V8's serialiser (what Electron's IPC uses) in place of the window.
 * `wholeStateAlways`: every event carries the whole state (the app before drafts:progress).
 */
export function rendererFeed(state: () => DraftsState, options: { wholeStateAlways: boolean }) {
  const feed = createDraftsFeed();
  const totals: RendererFeedTotals = { events: 0, wholeStates: 0, bytes: 0, ms: 0, maxMs: 0 };
  let timer: NodeJS.Timeout | null = null;

  function send(): void {
    const started = performance.now();
    const next = options.wholeStateAlways ? { event: 'drafts:changed' as const, payload: state() } : feed.next(state());
    const checked = IPC_EVENTS[next.event].safeParse(next.payload);
    if (!checked.success) throw new Error(`${next.event} did not match its schema`);
    const bytes = serialize(checked.data).length;
    const ms = performance.now() - started;
    totals.events++;
    if (next.event === 'drafts:changed') totals.wholeStates++;
    totals.bytes += bytes;
    totals.ms += ms;
    totals.maxMs = Math.max(totals.maxMs, ms);
  }

  return {
    totals,
    /** The drafts changed (the engine's onChange): an event within 150 ms. */
    announce(): void {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        send();
      }, 150);
    },
    /** The window showed the drafts before the sync: the whole state once, not counted. */
    prime(): void {
      feed.next(state());
    },
    /** Sends what is still gathered (the end of the run) and stops. */
    flush(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      send();
    },
  };
}
