/** Runs `callback` once the next frame has been painted: a task queued from that frame's callback runs after its paint. */
export function afterNextPaint(callback: () => void): void {
  requestAnimationFrame(() => setTimeout(callback));
}
