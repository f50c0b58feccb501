/** A cursor over a profile's bytes; every read checks bounds, so a corrupt value fails loudly. */
export class ByteReader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  get position(): number {
    return this.at;
  }
  get remaining(): number {
    return this.bytes.length - this.at;
  }

  private take(size: number): number {
    if (this.at + size > this.bytes.length)
      throw new RangeError(`profile bytes end at ${this.bytes.length}, needed ${this.at + size}`);
    const start = this.at;
    this.at += size;
    return start;
  }

  uint(size: 1 | 2 | 4 | 6): number {
    return this.bytes.readUIntBE(this.take(size), size);
  }
  uint56(): bigint {
    const start = this.take(7);
    return (BigInt(this.bytes.readUInt8(start)) << 48n) | BigInt(this.bytes.readUIntBE(start + 1, 6));
  }
  ascii(size: number): string {
    const start = this.take(size);
    return this.bytes.toString('latin1', start, start + size);
  }
  hex(size: number): string {
    const start = this.take(size);
    return this.bytes.toString('hex', start, start + size);
  }
  /** Unsigned LEB128, as the script writes it; values stay below 2^53. */
  varint(): bigint {
    let value = 0n;
    let shift = 0n;
    for (let bytesRead = 0; bytesRead < 8; bytesRead += 1) {
      const byte = this.bytes.readUInt8(this.take(1));
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
      shift += 7n;
    }
    throw new RangeError('varint longer than 8 bytes');
  }
}

/** The writing counterpart, used to build profiles in tests and tools. */
export class ByteWriter {
  private readonly chunks: number[] = [];

  uint(value: number, size: 1 | 2 | 4 | 6): this {
    const buffer = Buffer.alloc(size);
    buffer.writeUIntBE(value, 0, size);
    this.chunks.push(...buffer);
    return this;
  }
  uint56(value: bigint): this {
    if (value < 0n || value >= 2n ** 56n) throw new RangeError(`${value} does not fit 56 bits`);
    this.uint(Number(value >> 48n), 1);
    return this.uint(Number(value & 0xffffffffffffn), 6);
  }
  bytes(buffer: Buffer): this {
    this.chunks.push(...buffer);
    return this;
  }
  varint(value: bigint): this {
    if (value < 0n) throw new RangeError(`varint of a negative number: ${value}`);
    let rest = value;
    while (rest >= 0x80n) {
      this.chunks.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.chunks.push(Number(rest));
    return this;
  }
  get length(): number {
    return this.chunks.length;
  }
  toBuffer(): Buffer {
    return Buffer.from(this.chunks);
  }
}
