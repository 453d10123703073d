import { PNG } from 'pngjs';

const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [37, 99, 235],
  [220, 38, 38],
  [22, 163, 74],
  [217, 119, 6],
  [124, 58, 237],
  [8, 145, 178],
];

/**
 * A small PNG bar chart (one bar per value, tallest = full height) for the
 * digest emails, drawn pixel by pixel with pngjs: no browser or font needed.
 * Labels are in the table beside it; the bars keep the table's order and the
 * colours cycle, so bar n is row n.
 */
export function barChartPng(values: readonly number[], size: { width: number; height: number } = { width: 480, height: 160 }): Buffer {
  const png = new PNG({ width: size.width, height: size.height });
  png.data.fill(255);
  const max = Math.max(1, ...values);
  const margin = 8;
  const slot = values.length === 0 ? 0 : (size.width - 2 * margin) / values.length;
  const barWidth = Math.max(1, Math.floor(slot * 0.7));
  const set = (x: number, y: number, [r, g, b]: readonly [number, number, number]) => {
    const i = (size.width * y + x) << 2;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 255;
  };
  const baseline = size.height - margin;
  for (let x = margin; x < size.width - margin; x++) set(x, baseline, [100, 116, 139]);
  values.forEach((v, n) => {
    const h = Math.round(((size.height - 2 * margin) * v) / max);
    const x0 = Math.round(margin + n * slot + (slot - barWidth) / 2);
    for (let x = x0; x < x0 + barWidth; x++) for (let y = baseline - h; y < baseline; y++) set(x, y, PALETTE[n % PALETTE.length]);
  });
  return PNG.sync.write(png);
}
