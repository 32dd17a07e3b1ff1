/** Runs `callback` once the next frame has been painted: a task queued from that frame's callback runs after its paint. */
export function afterNextPaint(callback: () => void): void {
  // Rendered on the server (the sign-in page prerendered at build time): there is no frame to wait for.
  if (typeof requestAnimationFrame !== 'function') return;
  requestAnimationFrame(() => setTimeout(callback));
}
