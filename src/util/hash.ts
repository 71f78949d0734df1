import { createHash } from 'node:crypto';

/** A short, stable name for a piece of content: tells apart records that share a label or a row. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
