/**
 * Generates the Teams app icons from code, so they can be regenerated and
 * reviewed like any other source:
 *   manifest/color.png   192×192  white pulse line on a rounded square in the accent colour
 *   manifest/outline.png  32×32   white pulse line on transparent (Teams: only white + transparent)
 *
 * Usage: npx tsx scripts/make-icons.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../src/manifest/png.ts';

type Point = readonly [number, number];

const manifestDir = fileURLToPath(new URL('../manifest/', import.meta.url));

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`accentColor must be #rrggbb, got ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distanceToPolyline(p: Point, points: readonly Point[]): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) best = Math.min(best, distanceToSegment(p, points[i - 1]!, points[i]!));
  return best;
}

/** Signed distance to a rounded square covering [0,size]², negative inside. */
function roundedSquareDistance([px, py]: Point, size: number, radius: number): number {
  const half = size / 2;
  const qx = Math.abs(px - half) - (half - radius);
  const qy = Math.abs(py - half) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Renders with 4×4 supersampling; `shade` returns [coverage of background, coverage of mark] per sample. */
function render(size: number, shade: (p: Point) => [number, number], paint: (bg: number, mark: number) => [number, number, number, number]): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let mark = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [b, m] = shade([x + (sx + 0.5) / n, y + (sy + 0.5) / n]);
          bg += b;
          mark += m;
        }
      }
      rgba.set(paint(bg / (n * n), mark / (n * n)), (y * size + x) * 4);
    }
  }
  return rgba;
}

/** The pulse/heartbeat line in unit coordinates, shared by both icons. */
const PULSE: readonly Point[] = [
  [0.0, 0.56], [0.3, 0.56], [0.4, 0.3], [0.53, 0.8], [0.65, 0.14], [0.75, 0.56], [1.0, 0.56],
];

function pulseIn(x0: number, y0: number, width: number, height: number): Point[] {
  return PULSE.map(([x, y]) => [x0 + x * width, y0 + y * height] as const);
}

export function colorIcon(accentColor: string): Buffer {
  const size = 192;
  const accent = hexToRgb(accentColor);
  const line = pulseIn(36, 52, 120, 88);
  const halfStroke = 8;
  const rgba = render(
    size,
    (p) => [roundedSquareDistance(p, size, 40) <= 0 ? 1 : 0, distanceToPolyline(p, line) <= halfStroke ? 1 : 0],
    (bg, mark) => {
      const alpha = Math.max(bg, mark);
      // The mark lies inside the square, so blend white over the accent colour.
      const mix = (c: number) => Math.round(c + (255 - c) * (alpha > 0 ? Math.min(1, mark / alpha) : 0));
      return [mix(accent[0]), mix(accent[1]), mix(accent[2]), Math.round(alpha * 255)];
    },
  );
  return encodePng(size, size, rgba);
}

export function outlineIcon(): Buffer {
  const size = 32;
  const line = pulseIn(2, 2, 28, 28);
  const halfStroke = 1.5;
  const rgba = render(
    size,
    (p) => [0, distanceToPolyline(p, line) <= halfStroke ? 1 : 0],
    // Only white + transparent: every pixel is pure white, coverage goes in alpha.
    (_bg, mark) => [255, 255, 255, Math.round(mark * 255)],
  );
  return encodePng(size, size, rgba);
}

const manifest = JSON.parse(readFileSync(`${manifestDir}manifest.json`, 'utf8')) as { accentColor: string };
writeFileSync(`${manifestDir}color.png`, colorIcon(manifest.accentColor));
writeFileSync(`${manifestDir}outline.png`, outlineIcon());
console.log(`Wrote ${manifestDir}color.png (192×192) and ${manifestDir}outline.png (32×32), accent ${manifest.accentColor}`);
