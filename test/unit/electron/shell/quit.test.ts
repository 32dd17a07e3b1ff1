import { describe, expect, it, vi } from 'vitest';
import { createQuitHandling } from '../../../../electron/main/shell/quit';

/** Electron's quit loop in miniature: quit() emits before-quit; unless prevented, the app ends. */
function harness(dispose: (() => Promise<void>) | null, timeoutMs = 5_000) {
  const events: string[] = [];
  let hasEnded = false;
  const handling = createQuitHandling({
    dispose: () => dispose,
    quit: () => quit(),
    log: () => null,
    timeoutMs,
  });
  function quit(): void {
    let isPrevented = false;
    handling.onBeforeQuit({ preventDefault: () => (isPrevented = true) });
    events.push(isPrevented ? 'quit held' : 'ended');
    if (!isPrevented) hasEnded = true;
  }
  return { handling, quit, events, hasEnded: () => hasEnded };
}

function controllable() {
  let finish: () => void = () => undefined;
  const dispose = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
  return { dispose, finish: () => finish() };
}

const ticks = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('quitting', () => {
  it('holds the quit until the services are disposed, then quits for real, disposing once', async () => {
    const services = controllable();
    const app = harness(services.dispose);
    app.quit();
    app.quit(); // a second Cmd+Q while shutting down
    await ticks();
    expect(app.hasEnded()).toBe(false);
    services.finish();
    await ticks();
    expect(app.hasEnded()).toBe(true);
    expect(services.dispose).toHaveBeenCalledOnce();
    expect(app.events).toEqual(['quit held', 'quit held', 'ended']);
  });

  it('quits at once when nothing was started', () => {
    const app = harness(null);
    app.quit();
    expect(app.hasEnded()).toBe(true);
  });

  it('a service that never finishes keeps the app no longer than the bound', async () => {
    const app = harness(() => new Promise<void>(() => undefined), 30);
    app.quit();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(app.hasEnded()).toBe(true);
  });

  it('Ctrl-C quits through the same path; the second SIGINT (terminal and npm start both send one) does not cut the shutdown short', async () => {
    const services = controllable();
    const app = harness(services.dispose);
    app.handling.onSignal();
    expect(services.dispose).toHaveBeenCalledOnce();
    expect(app.events).toEqual(['quit held']);
    app.handling.onSignal();
    expect(app.events).toEqual(['quit held']);
    expect(app.hasEnded()).toBe(false);
    services.finish();
    await ticks();
    expect(app.hasEnded()).toBe(true);
  });

  it('Windows session end (no before-quit follows) disposes at once; a quit after it waits for the same dispose', async () => {
    const services = controllable();
    const app = harness(services.dispose);
    const ended = app.handling.onSessionEnd();
    expect(services.dispose).toHaveBeenCalledOnce();
    app.quit();
    expect(app.hasEnded()).toBe(false);
    services.finish();
    await ended;
    await ticks();
    expect(app.hasEnded()).toBe(true);
    expect(services.dispose).toHaveBeenCalledOnce();
  });
});
