/**
 * Reading a Chromium performance trace (Playwright's `browser.startTracing`, the same JSON the DevTools
 * Performance panel opens): where the page's main thread spent a stretch of time.
 *
 * Each event's self time (its duration minus its children's) is put in one bucket: JavaScript
 * (parse and compile, run, garbage collection), HTML parsing, stylesheet parsing, style
 * recalculation, layout, paint and compositing, other work in a task, or waiting (no task ran:
 * the thread was waiting on the network, the bridge or a timer). Wall time includes DevTools' CPU
 * throttling; `tdur` (the thread's own CPU time) does not, and is summed beside it.
 */

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'v8',
  'blink',
  'blink.user_timing',
  'loading',
  'toplevel',
];

export type Bucket =
  | 'script: parse and compile'
  | 'script: run'
  | 'script: garbage collection'
  | 'HTML parsing'
  | 'stylesheet parsing'
  | 'style recalculation'
  | 'layout'
  | 'paint and compositing'
  | 'other work in tasks (loading, scheduling, DOM)'
  | 'waiting (no task running)';

const BUCKET_OF: [RegExp, Bucket][] = [
  [/^(v8\.compile|v8\.parse|v8\.produce|v8\.deserialize|V8\.Compile|V8\.Parse|V8\.PreParse|V8\.Deserialize|V8\.CollectSourcePositions|V8\.Maglev|V8\.Turbofan|V8\.OffThread|V8\.Streaming|V8\.BytecodeBudgetInterrupt|V8\.OptimizeCode|FlushInstructionCache|CacheScript)/, 'script: parse and compile'],
  [/^(MinorGC|MajorGC|V8\.GC|BlinkGC|GCEvent|ThreadState::|CppGC|V8\.CppGC)/, 'script: garbage collection'],
  [/^(EvaluateScript|v8\.evaluateModule|FunctionCall|v8\.run|v8\.callFunction|v8\.newInstance|TimerFire|EventDispatch|FireAnimationFrame|RunMicrotasks|V8\.Execute|v8\.execute|XHRReadyStateChange|FireIdleCallback|V8\.RunMicrotasks|HandlePostMessage|V8\.StackGuard|V8\.HandleInterrupts|V8\.InvokeApiInterruptCallbacks)/, 'script: run'],
  [/^(ParseHTML|HTMLDocumentParser)/, 'HTML parsing'],
  [/^(ParseAuthorStyleSheet|CSSParserImpl)/, 'stylesheet parsing'],
  [/^(UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|Document::recalcStyle|Document::updateStyle|Document::updateActiveStyle|StyleEngine|RuleSet::|Blink\.Style)/, 'style recalculation'],
  [/^(Layout|LocalFrameView::performLayout|LocalFrameView::layout|InlineNode::|Blink\.Layout|UpdateLayer|IntersectionObserverController::computeIntersections|ComputeIntersections|LocalFrameView::NotifyResizeObservers)/, 'layout'],
  [/^(Paint|PrePaint|Layerize|Commit|UpdateLayerTree|CompositeLayers|PaintImage|Decode Image|Rasterize|PaintSetup|Blink\.Paint|Blink\.PrePaint|Blink\.CompositingCommit|PaintArtifactCompositor|LocalFrameView::RunPaintLifecyclePhase|LocalFrameView::pushPaintArtifactToCompositor)/, 'paint and compositing'],
];

function bucketOf(name: string): Bucket {
  for (const [pattern, bucket] of BUCKET_OF) if (pattern.test(name)) return bucket;
  return 'other work in tasks (loading, scheduling, DOM)';
}

export interface ThreadSplit {
  /** Wall milliseconds per bucket in the stretch (throttled). */
  wallMs: Record<Bucket, number>;
  /** The main thread's CPU milliseconds per bucket (not throttled, not counting waits for a core). */
  cpuMs: Partial<Record<Bucket, number>>;
  stretchMs: number;
  /** The longest tasks in the stretch: wall ms and what they mostly did. */
  longestTasks: { startMs: number; wallMs: number; cpuMs: number; mostly: Bucket }[];
}

/** The renderer main thread that parsed the page at `url` (its pid and tid). */
export function pageMainThread(events: TraceEvent[], urlPart: string): { pid: number; tid: number } {
  const names = new Map<string, string>();
  for (const event of events) if (event.ph === 'M' && event.name === 'thread_name') names.set(`${event.pid}:${event.tid}`, String((event.args as { name?: string } | undefined)?.name));
  const parse = events.find(
    (event) =>
      event.name === 'ParseHTML' &&
      names.get(`${event.pid}:${event.tid}`) === 'CrRendererMain' &&
      JSON.stringify(event.args ?? {}).includes(urlPart),
  );
  if (!parse) throw new Error(`the trace has no HTML parse of ${urlPart} on a renderer main thread`);
  return { pid: parse.pid, tid: parse.tid };
}

/** The trace timestamp (µs) of the navigation to `urlPart`, from Blink's own mark. */
export function navigationStartTs(events: TraceEvent[], thread: { pid: number }, urlPart: string): number {
  const mark = events.find(
    (event) =>
      event.name === 'navigationStart' &&
      event.pid === thread.pid &&
      String((event.args as { data?: { documentLoaderURL?: string } } | undefined)?.data?.documentLoaderURL ?? '').includes(urlPart),
  );
  if (!mark) throw new Error(`the trace has no navigationStart mark for ${urlPart}`);
  return mark.ts;
}

/** Where the thread's time went between `fromTs` and `toTs` (trace µs). */
export function splitThread(events: TraceEvent[], thread: { pid: number; tid: number }, fromTs: number, toTs: number): ThreadSplit {
  const own = events
    .filter((event) => event.pid === thread.pid && event.tid === thread.tid && event.ph === 'X' && typeof event.dur === 'number')
    .filter((event) => event.ts < toTs && event.ts + (event.dur ?? 0) > fromTs)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const wall = Object.fromEntries(
    ['script: parse and compile', 'script: run', 'script: garbage collection', 'HTML parsing', 'stylesheet parsing', 'style recalculation', 'layout', 'paint and compositing', 'other work in tasks (loading, scheduling, DOM)', 'waiting (no task running)'].map((bucket) => [bucket, 0]),
  ) as Record<Bucket, number>;
  const cpu: Partial<Record<Bucket, number>> = {};
  const clip = (start: number, end: number): number => Math.max(0, Math.min(end, toTs) - Math.max(start, fromTs));

  interface Open { event: TraceEvent; end: number; childWall: number; childCpu: number; task: Task | null }
  interface Task { start: number; wall: number; cpu: number; byBucket: Map<Bucket, number> }
  const stack: Open[] = [];
  const tasks: Task[] = [];
  let busy = 0;

  const close = (open: Open): void => {
    const bucket = bucketOf(open.event.name);
    const selfWall = clip(open.event.ts, open.end) - open.childWall;
    const selfCpu = Math.max(0, (open.event.tdur ?? 0) - open.childCpu);
    wall[bucket] += selfWall;
    cpu[bucket] = (cpu[bucket] ?? 0) + selfCpu;
    const task = open.task;
    if (task) task.byBucket.set(bucket, (task.byBucket.get(bucket) ?? 0) + selfWall);
    const parent = stack.at(-1);
    if (parent) {
      parent.childWall += clip(open.event.ts, open.end);
      parent.childCpu += open.event.tdur ?? 0;
    }
  };

  for (const event of own) {
    const end = event.ts + (event.dur ?? 0);
    while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= event.ts) close(stack.pop() as Open);
    let task = stack[0]?.task ?? null;
    if (stack.length === 0) {
      busy += clip(event.ts, end);
      task = { start: event.ts, wall: clip(event.ts, end), cpu: event.tdur ?? 0, byBucket: new Map() };
      tasks.push(task);
    }
    stack.push({ event, end: Math.min(end, stack.at(-1)?.end ?? end), childWall: 0, childCpu: 0, task });
  }
  while (stack.length > 0) close(stack.pop() as Open);

  const stretch = toTs - fromTs;
  wall['waiting (no task running)'] = Math.max(0, stretch - busy);
  const ms = (microseconds: number): number => Math.round(microseconds / 100) / 10;
  const longestTasks = [...tasks]
    .sort((a, b) => b.wall - a.wall)
    .slice(0, 6)
    .map((task) => ({
      startMs: ms(task.start - fromTs),
      wallMs: ms(task.wall),
      cpuMs: ms(task.cpu),
      mostly: ([...task.byBucket].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other work in tasks (loading, scheduling, DOM)'),
    }));
  return {
    wallMs: Object.fromEntries(Object.entries(wall).map(([bucket, value]) => [bucket, ms(value)])) as Record<Bucket, number>,
    cpuMs: Object.fromEntries(Object.entries(cpu).map(([bucket, value]) => [bucket, ms(value)])) as Partial<Record<Bucket, number>>,
    stretchMs: ms(stretch),
    longestTasks,
  };
}
