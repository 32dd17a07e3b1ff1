/**
 * The committed icons are what scripts/generate-icons.ts makes from its one design (so nobody
 * edits a PNG by hand and lets it drift), and they are valid PNGs of the sizes each platform uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, iconFiles, iconSvg, ICON_UNITS, LINUX_ICON_SIZES, renderIcon } from '../../../../scripts/generate-icons';
import { repositoryRoot } from './support';

const buildDir = join(repositoryRoot, 'build');

/** A small PNG reader (8-bit RGBA, non-interlaced, all five filters), independent of the writer. */
function decodePng(file: Buffer): { width: number; height: number; pixels: Uint8Array } {
  expect([...file.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    expect(file.readUInt32BE(offset + 8 + length), `${type} CRC`).toBe(crc32(file.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)], 'bit depth 8, RGBA, no interlace').toEqual([8, 6, 0, 0, 0]);
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    for (let index = 0; index < stride; index++) {
      const value = raw[row * (stride + 1) + 1 + index]!;
      const left = index >= 4 ? pixels[row * stride + index - 4]! : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + index]! : 0;
      const upLeft = row > 0 && index >= 4 ? pixels[(row - 1) * stride + index - 4]! : 0;
      const estimate = left + up - upLeft;
      const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      const paeth = a <= b && a <= c ? left : b <= c ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
      pixels[row * stride + index] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('icons', () => {
  it('build/icon.png is 1024×1024 (electron-builder makes .icns and .ico from it) and build/icons has every Linux size', () => {
    expect(decodePng(readFileSync(join(buildDir, 'icon.png')))).toMatchObject({ width: 1024, height: 1024 });
    for (const size of LINUX_ICON_SIZES) {
      expect(decodePng(readFileSync(join(buildDir, 'icons', `${size}x${size}.png`))), `${size}`).toMatchObject({ width: size, height: size });
    }
  });

  it('the committed files are exactly what `npm run icons` writes (regenerate after changing the design)', () => {
    const expected = iconFiles();
    expect([...expected.keys()].sort()).toEqual(['icon.png', 'icon.svg', ...LINUX_ICON_SIZES.map((size) => join('icons', `${size}x${size}.png`))].sort());
    expect(readFileSync(join(buildDir, 'icon.svg'), 'utf8')).toBe(iconSvg());
    for (const [name, content] of expected) {
      if (!name.endsWith('.png')) continue;
      // Pixels, not bytes: another zlib may compress the same pixels differently.
      const committed = decodePng(readFileSync(join(buildDir, name)));
      const fresh = decodePng(content);
      expect(Buffer.from(committed.pixels).equals(Buffer.from(fresh.pixels)), `${name} differs from the design: run npm run icons`).toBe(true);
    }
  });

  it('the writer round-trips through an independent reader', () => {
    const pixels = renderIcon(48);
    expect(Buffer.from(decodePng(encodePng(48, 48, pixels)).pixels).equals(Buffer.from(pixels))).toBe(true);
  });

  it('the design reads at a glance: transparent margin, an opaque tile, a white shield, a phone inside', () => {
    const size = 256;
    const { pixels } = decodePng(readFileSync(join(buildDir, 'icons', `${size}x${size}.png`)));
    const at = (x: number, y: number): number[] => {
      const index = (Math.round((y / ICON_UNITS) * size) * size + Math.round((x / ICON_UNITS) * size)) * 4;
      return [...pixels.subarray(index, index + 4)];
    };
    expect(at(40, 40)[3], 'corner outside the tile').toBe(0);
    expect(at(160, 512), 'tile').toEqual([expect.any(Number), expect.any(Number), expect.any(Number), 255]);
    expect(at(320, 500), 'shield').toEqual([255, 255, 255, 255]);
    expect(at(512, 500), 'phone screen').toEqual([0x93, 0xc5, 0xfd, 255]);
  });
});
