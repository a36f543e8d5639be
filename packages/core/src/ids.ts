import { randomBytes, toHex } from "./bytes.js";

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
 * Time-ordered IDs keep B-tree inserts at the right edge of the index and let lists
 * page by ID in creation order. A counter in the random bits keeps IDs made in the
 * same millisecond by one process strictly increasing.
 */
let lastMs = 0;
let counter = 0;

// Random bytes are drawn from the system in 4 KiB blocks: one call per ID costs more than
// the rest of making the ID, and the engine and the server make tens of thousands a second.
const POOL_SIZE = 4096;
let pool: Uint8Array = new Uint8Array(0);
let poolOffset = POOL_SIZE;
const scratch = new Uint8Array(16);
/** `length` fresh random bytes, in a buffer reused by the next call. */
function random(length: number): Uint8Array {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  scratch.set(pool.subarray(poolOffset, poolOffset + length));
  poolOffset += length;
  return scratch;
}

export function uuidv7(now: number = Date.now()): string {
  if (now <= lastMs) {
    counter = (counter + 1) & 0xfff;
    if (counter === 0) lastMs += 1; // 4096 IDs in one millisecond: borrow the next one
    now = lastMs;
  } else {
    lastMs = now;
    const r = random(2);
    counter = ((r[0]! << 8) | r[1]!) & 0x7ff; // leave headroom for the counter
  }
  const bytes = random(16);
  // 48-bit big-endian milliseconds; bit operators stop at 32 bits, so divide.
  for (let i = 5, ms = now; i >= 0; i--, ms = Math.floor(ms / 256)) bytes[i] = ms % 256;
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ADJECTIVES = [
  "amber", "bold", "brisk", "calm", "clever", "cosmic", "crimson", "daring", "eager", "fancy",
  "gentle", "golden", "happy", "hidden", "jolly", "keen", "lively", "lucky", "mellow", "misty",
  "nimble", "olive", "patient", "quiet", "rapid", "rustic", "silver", "steady", "swift", "tidy",
  "vivid", "witty", "zealous", "ample", "breezy", "cheerful",
];
const ANIMALS = [
  "otter", "falcon", "badger", "heron", "lynx", "marmot", "narwhal", "ocelot", "panda", "quail",
  "raven", "salmon", "tapir", "urchin", "vole", "walrus", "yak", "zebra", "beaver", "coyote",
  "dingo", "egret", "ferret", "gecko", "hare", "ibis", "jackal", "koala", "lemur", "moose",
];

/** A readable name for a flow run ("swift-otter"), as users of Prefect know them. */
export function randomRunName(): string {
  const [a, b] = random(2);
  return `${ADJECTIVES[a! % ADJECTIVES.length]}-${ANIMALS[b! % ANIMALS.length]}`;
}
