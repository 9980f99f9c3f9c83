// The iPad's home-screen icon: Safari ignores the manifest's SVG icon and asks for an apple-touch-icon PNG
// (180 x 180). Drawn here from icon.svg's shapes (a square, a sheet, two ticks, two lines) with no dependency.
import { deflateSync } from "node:zlib";

const SIZE = 180;
const SCALE = SIZE / 512; // icon.svg's viewBox
const BLUE = [0x0b, 0x3d, 0x91];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(kind, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(kind, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// In icon.svg's coordinates: polylines stroked 18 wide in blue over the white sheet.
const STROKES = [
  [[186, 190], [210, 214], [254, 166]],
  [[186, 270], [210, 294], [254, 246]],
  [[278, 200], [330, 200]],
  [[278, 280], [330, 280]],
];

function colour(x, y) {
  const inSheet = x >= 150 && x <= 362 && y >= 120 && y <= 392;
  if (!inSheet) return BLUE; // the full square: iOS rounds the corners itself
  for (const line of STROKES) {
    for (let i = 0; i + 1 < line.length; i++) if (distanceToSegment(x, y, line[i], line[i + 1]) <= 9) return BLUE;
  }
  return WHITE;
}

export function appleTouchIcon() {
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 3); // filter byte 0, then RGB
    for (let x = 0; x < SIZE; x++) row.set(colour((x + 0.5) / SCALE, (y + 0.5) / SCALE), 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
