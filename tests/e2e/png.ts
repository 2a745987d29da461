/**
 * A small PNG decoder for checking what the canvas drew (8-bit RGB/RGBA, not interlaced: what
 * Playwright's screenshots are). Test helper only.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  width: number;
  height: number;
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  channels: 3 | 4;
  data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodePng(png: Buffer): DecodedImage {
  if (!SIGNATURE.every((byte, i) => png[i] === byte)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels: 3 | 4 = 4;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const bitDepth = body[8];
      const colourType = body[9];
      const interlace = body[12];
      if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) {
        throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
      }
      channels = colourType === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (data[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (data[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (data[(y - 1) * stride + x - channels] ?? 0) : 0;
      const byte = line[x] ?? 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = left;
          break;
        case 2:
          predictor = up;
          break;
        case 3:
          predictor = (left + up) >> 1;
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      data[y * stride + x] = (byte + predictor) & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** Share of pixels within `tolerance` (per channel) of the colour "#RRGGBB". */
export function shareOfColour(image: DecodedImage, hex: string, tolerance = 12): number {
  const target = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  const [r, g, b] = target as [number, number, number];
  let hits = 0;
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels; i++) {
    const o = i * image.channels;
    if (
      Math.abs((image.data[o] ?? 0) - r) <= tolerance &&
      Math.abs((image.data[o + 1] ?? 0) - g) <= tolerance &&
      Math.abs((image.data[o + 2] ?? 0) - b) <= tolerance
    ) {
      hits++;
    }
  }
  return pixels === 0 ? 0 : hits / pixels;
}
