/**
 * A small ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record; deflate or
 * stored; no ZIP64, so below 4 GiB and 65,535 entries). Unix permissions are kept in the external
 * attributes, so `run_autograder` and `setup.sh` unpack executable. Timestamps are fixed: the same
 * inputs give the same bytes.
 */
import { crc32, deflateRawSync } from "node:zlib";

/** One file of the archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, relative. */
  name: string;
  data: Uint8Array | string;
  /** Unix permission bits. @default 0o644 */
  mode?: number;
}

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

/** The bytes of a ZIP archive holding `entries` in order. Throws on a name that would escape the folder it is unpacked in. */
export function zipBytes(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith("/") || entry.name.split("/").includes("..") || entry.name.includes("\\"))
      throw new RangeError(`zip entry name must be a relative /-separated path, got ${JSON.stringify(entry.name)}`);
    if (seen.has(entry.name)) throw new RangeError(`zip entry ${entry.name} appears twice`);
    seen.add(entry.name);
    const data = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : Buffer.from(entry.data);
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const name = Buffer.from(entry.name, "utf8");
    const crc = crc32(data);
    if (offset + 30 + name.length + body.length > 0xffffffff) throw new RangeError("zip archive above 4 GiB");

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (external attributes hold the mode)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk number, internal attributes: 0
    central.writeUInt32LE(((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0, 38); // regular file + permissions
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  if (entries.length > 0xffff) throw new RangeError("zip archive with more than 65,535 entries");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
