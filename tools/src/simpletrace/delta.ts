// simpletrace.py's time column: f'{delta_ns / 1000:0.3f}', reproduced bit for bit for any pair of u64 timestamps.

/** Below this many ns the quotient is under 2^43, where no decimal tie can occur (see `deltaText`). */
const FAST_LIMIT = 2n ** 43n * 1000n;

/**
 * The text simpletrace.py prints for the time between two records, `f'{(cur - prev) / 1000:0.3f}'`: Python divides
 * the integer ns delta by 1000 (correctly rounded to a double) and formats it with `%0.3f` (round half to even on
 * the double's exact value).
 *
 * Fast path: a delta below 2^53 is exact as a number, `/ 1000` is the same correctly rounded division, and while
 * the quotient is below 2^43 its spacing is finer than 1/2000, so it cannot sit on a tie of the third decimal
 * (a tie is an odd multiple of 1/16 that rounding must land on from at least 1/2000 away). There `toFixed`, which
 * rounds the exact value too, agrees with Python. Everything else takes the exact path.
 */
export function deltaText(cur: bigint, prev: bigint): string {
  const d = cur - prev;
  if (d < FAST_LIMIT && d > -FAST_LIMIT) return (Number(d) / 1000).toFixed(3);
  return formatFixed3(divideToDouble(d, 1000n));
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Python's int / int: the double nearest to n / d (ties to even), for d > 0. */
export function divideToDouble(n: bigint, d: bigint): number {
  if (n === 0n) return 0;
  const negative = n < 0n;
  const a = negative ? -n : n;
  // Scale so the integer quotient has at least 55 bits: 53 kept, one to round with, and the rest sticky.
  const shift = Math.max(0, 55 + bitLength(d) - bitLength(a));
  const scaled = a << BigInt(shift);
  const q = scaled / d;
  const sticky = scaled % d !== 0n;
  const extra = bitLength(q) - 53;
  let top = q >> BigInt(extra);
  const rest = q & ((1n << BigInt(extra)) - 1n);
  const half = 1n << BigInt(extra - 1);
  if (rest > half || (rest === half && (sticky || (top & 1n) === 1n))) top += 1n;
  const value = Number(top) * 2 ** (extra - shift);
  return negative ? -value : value;
}

/** Python's '%0.3f' % x: the exact value of x rounded half to even at the third decimal. */
export function formatFixed3(x: number): string {
  const negative = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  let n: bigint;
  if (exponent >= 0) n = (mantissa * 1000n) << BigInt(exponent);
  else {
    const num = mantissa * 1000n;
    const den = 1n << BigInt(-exponent);
    n = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && (n & 1n) === 1n)) n += 1n;
  }
  const digits = n.toString().padStart(4, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}
