/** Decimal numerals compared as numbers, exactly, without converting them. */

/** Exact order of two decimal numerals ("-12.50", "9007199254740993"); exponents compare as equal. */
export function compareDecimalText(a: string, b: string): number {
  if (/[eE]/.test(a) || /[eE]/.test(b)) return 0;
  const pa = splitDecimal(a);
  const pb = splitDecimal(b);
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1;
  let c = pa.int.length - pb.int.length;
  if (c === 0) c = pa.int < pb.int ? -1 : pa.int > pb.int ? 1 : 0;
  if (c === 0) c = pa.frac < pb.frac ? -1 : pa.frac > pb.frac ? 1 : 0;
  if (c === 0) return 0;
  return (pa.negative ? -c : c) < 0 ? -1 : 1;
}

function splitDecimal(s: string): { negative: boolean; int: string; frac: string } {
  let t = s;
  let negative = false;
  if (t[0] === '-' || t[0] === '+') {
    negative = t[0] === '-';
    t = t.slice(1);
  }
  const dot = t.indexOf('.');
  const int = (dot === -1 ? t : t.slice(0, dot)).replace(/^0+/, '');
  const frac = dot === -1 ? '' : t.slice(dot + 1).replace(/0+$/, '');
  // -0 and 0 are equal.
  return { negative: negative && (int !== '' || frac !== ''), int, frac };
}
