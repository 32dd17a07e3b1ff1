/**
 * npm run icons — Portal Admin's icon, from one source: ICON_DESIGN below (a shield, the portal's
 * two-factor guard, around a phone, the number this app keeps right), drawn in 1024×1024 units.
 *
 * Writes, all derived from that one description:
 *   build/icon.svg            the design as SVG (to view or edit it; regenerate after a change)
 *   build/icon.png            1024×1024; electron-builder turns it into .icns (macOS) and .ico (Windows)
 *   build/icons/NxN.png       the sizes Linux desktops use (AppImage and deb)
 *
 * No image library: shapes are rasterised here with signed distances (one sample per pixel, exact
 * anti-aliasing at the edges) and written as PNG with node:zlib, so the output is the same on
 * every machine. A test (test/unit/electron/build/icons.test.ts) checks the committed files match.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];
type PathCommand = { move: Point } | { line: Point } | { quad: Point; to: Point };
interface Gradient { from: string; to: string; y1: number; y2: number }
type Paint = string | Gradient;
type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; radius: number; fill: Paint }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: Paint }
  | { kind: 'path'; commands: readonly PathCommand[]; fill: Paint };

export const ICON_UNITS = 1024;

/** The icon, back to front. The tile leaves a 100-unit margin, as macOS icons do. */
export const ICON_DESIGN: readonly Shape[] = [
  { kind: 'rect', x: 100, y: 100, width: 824, height: 824, radius: 185, fill: { from: '#2563eb', to: '#1e3a8a', y1: 100, y2: 924 } },
  {
    kind: 'path',
    fill: '#ffffff',
    commands: [
      { move: [512, 218] },
      { quad: [620, 282], to: [752, 290] },
      { line: [752, 520] },
      { quad: [752, 742], to: [512, 848] },
      { quad: [272, 742], to: [272, 520] },
      { line: [272, 290] },
      { quad: [404, 282], to: [512, 218] },
    ],
  },
  { kind: 'rect', x: 418, y: 352, width: 188, height: 330, radius: 34, fill: '#1e3a8a' },
  { kind: 'rect', x: 438, y: 392, width: 148, height: 226, radius: 10, fill: '#93c5fd' },
  { kind: 'circle', cx: 512, cy: 648, r: 15, fill: '#ffffff' },
];

export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

// ---- geometry -------------------------------------------------------------------------------

/** The outline as a polygon: quadratic curves cut into short segments. */
function flatten(commands: readonly PathCommand[]): Point[] {
  const points: Point[] = [];
  let current: Point = [0, 0];
  for (const command of commands) {
    if ('move' in command || 'line' in command) {
      current = 'move' in command ? command.move : command.line;
      points.push(current);
    } else {
      const [x0, y0] = current;
      const [cx, cy] = command.quad;
      const [x1, y1] = command.to;
      const steps = 16;
      for (let step = 1; step <= steps; step++) {
        const t = step / steps;
        const u = 1 - t;
        points.push([u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1]);
      }
      current = command.to;
    }
  }
  return points;
}

/** Signed distance (negative inside) from a point to a shape, in design units. */
function distanceFunction(shape: Shape): { distance: (x: number, y: number) => number; bounds: [number, number, number, number] } {
  if (shape.kind === 'rect') {
    const { x, y, width, height, radius } = shape;
    const centerX = x + width / 2;
    const centerY = y + height / 2;
    const halfWidth = width / 2 - radius;
    const halfHeight = height / 2 - radius;
    return {
      bounds: [x, y, x + width, y + height],
      distance: (px, py) => {
        const qx = Math.abs(px - centerX) - halfWidth;
        const qy = Math.abs(py - centerY) - halfHeight;
        const outside = Math.sqrt(Math.max(qx, 0) ** 2 + Math.max(qy, 0) ** 2);
        return outside + Math.min(Math.max(qx, qy), 0) - radius;
      },
    };
  }
  if (shape.kind === 'circle') {
    const { cx, cy, r } = shape;
    return { bounds: [cx - r, cy - r, cx + r, cy + r], distance: (px, py) => Math.sqrt((px - cx) ** 2 + (py - cy) ** 2) - r };
  }
  const points = flatten(shape.commands);
  const xs = points.map((point) => point[0]);
  const ys = points.map((point) => point[1]);
  return {
    bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    distance: (px, py) => {
      let nearest = Infinity;
      let isInside = false;
      for (let index = 0, previous = points.length - 1; index < points.length; previous = index++) {
        const [ax, ay] = points[previous]!;
        const [bx, by] = points[index]!;
        const ex = bx - ax;
        const ey = by - ay;
        const wx = px - ax;
        const wy = py - ay;
        const along = Math.min(Math.max((wx * ex + wy * ey) / (ex * ex + ey * ey || 1), 0), 1);
        nearest = Math.min(nearest, (wx - ex * along) ** 2 + (wy - ey * along) ** 2);
        if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) isInside = !isInside;
      }
      return (isInside ? -1 : 1) * Math.sqrt(nearest);
    },
  };
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function paintAt(paint: Paint, y: number): [number, number, number] {
  if (typeof paint === 'string') return rgb(paint);
  const t = Math.min(Math.max((y - paint.y1) / (paint.y2 - paint.y1), 0), 1);
  const from = rgb(paint.from);
  const to = rgb(paint.to);
  return [0, 1, 2].map((channel) => from[channel]! + (to[channel]! - from[channel]!) * t) as [number, number, number];
}

// ---- rasterising and PNG --------------------------------------------------------------------

/** The icon at `size`×`size`, as straight-alpha RGBA bytes. */
export function renderIcon(size: number, design: readonly Shape[] = ICON_DESIGN): Uint8Array {
  const unitsPerPixel = ICON_UNITS / size;
  // Premultiplied colour and alpha, composited back to front ("over").
  const premultiplied = new Float64Array(size * size * 4);
  for (const shape of design) {
    const { distance, bounds } = distanceFunction(shape);
    const first = (value: number): number => Math.max(0, Math.floor(value / unitsPerPixel) - 1);
    const last = (value: number): number => Math.min(size - 1, Math.ceil(value / unitsPerPixel) + 1);
    for (let row = first(bounds[1]); row <= last(bounds[3]); row++) {
      const y = (row + 0.5) * unitsPerPixel;
      const [red, green, blue] = paintAt(shape.fill, y);
      for (let column = first(bounds[0]); column <= last(bounds[2]); column++) {
        const x = (column + 0.5) * unitsPerPixel;
        const coverage = Math.min(Math.max(0.5 - distance(x, y) / unitsPerPixel, 0), 1);
        if (coverage === 0) continue;
        const at = (row * size + column) * 4;
        const keep = 1 - coverage;
        premultiplied[at] = red * coverage + premultiplied[at]! * keep;
        premultiplied[at + 1] = green * coverage + premultiplied[at + 1]! * keep;
        premultiplied[at + 2] = blue * coverage + premultiplied[at + 2]! * keep;
        premultiplied[at + 3] = coverage + premultiplied[at + 3]! * keep;
      }
    }
  }
  const pixels = new Uint8Array(size * size * 4);
  for (let at = 0; at < pixels.length; at += 4) {
    const alpha = premultiplied[at + 3]!;
    if (alpha === 0) continue;
    for (let channel = 0; channel < 3; channel++) pixels[at + channel] = Math.round(Math.min(premultiplied[at + channel]! / alpha, 255));
    pixels[at + 3] = Math.round(alpha * 255);
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

/** An 8-bit RGBA PNG; every row uses the "Up" filter, which suits the tile's vertical gradient. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const stride = width * 4;
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    filtered[row * (stride + 1)] = 2;
    for (let index = 0; index < stride; index++) {
      const above = row === 0 ? 0 : rgba[(row - 1) * stride + index]!;
      filtered[row * (stride + 1) + 1 + index] = (rgba[row * stride + index]! - above) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, standard filters, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filtered, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// ---- SVG ------------------------------------------------------------------------------------

/** The same design as SVG. */
export function iconSvg(design: readonly Shape[] = ICON_DESIGN): string {
  const gradients: string[] = [];
  const fill = (paint: Paint): string => {
    if (typeof paint === 'string') return paint;
    const id = `gradient-${gradients.length + 1}`;
    gradients.push(
      `    <linearGradient id="${id}" x1="0" y1="${paint.y1}" x2="0" y2="${paint.y2}" gradientUnits="userSpaceOnUse">` +
        `<stop offset="0" stop-color="${paint.from}"/><stop offset="1" stop-color="${paint.to}"/></linearGradient>`,
    );
    return `url(#${id})`;
  };
  const elements = design.map((shape) => {
    if (shape.kind === 'rect') {
      return `  <rect x="${shape.x}" y="${shape.y}" width="${shape.width}" height="${shape.height}" rx="${shape.radius}" fill="${fill(shape.fill)}"/>`;
    }
    if (shape.kind === 'circle') return `  <circle cx="${shape.cx}" cy="${shape.cy}" r="${shape.r}" fill="${fill(shape.fill)}"/>`;
    const path = shape.commands
      .map((command) => ('move' in command ? `M${command.move.join(' ')}` : 'line' in command ? `L${command.line.join(' ')}` : `Q${command.quad.join(' ')} ${command.to.join(' ')}`))
      .join(' ');
    return `  <path d="${path} Z" fill="${fill(shape.fill)}"/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_UNITS}" height="${ICON_UNITS}" viewBox="0 0 ${ICON_UNITS} ${ICON_UNITS}">`,
    '  <!-- Generated by scripts/generate-icons.ts from ICON_DESIGN: edit the design there and run `npm run icons`. -->',
    '  <title>Portal Admin</title>',
    ...(gradients.length > 0 ? ['  <defs>', ...gradients, '  </defs>'] : []),
    ...elements,
    '</svg>',
    '',
  ].join('\n');
}

/** Every generated file, relative to the build resources folder, with its content. */
export function iconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('icon.svg', Buffer.from(iconSvg(), 'utf8'));
  for (const size of LINUX_ICON_SIZES) {
    const png = encodePng(size, size, renderIcon(size));
    files.set(join('icons', `${size}x${size}.png`), png);
    if (size === ICON_UNITS) files.set('icon.png', png);
  }
  return files;
}

function main(): void {
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
  for (const [name, content] of iconFiles()) {
    const file = join(buildDir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`wrote build/${name.split('\\').join('/')} (${content.length} bytes)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
