/**
 * Finds `{{ ... }}` placeholders in one pass. A regular expression with a lazy group between
 * two runs of spaces backtracks: `{{` followed by a few thousand spaces and no `}}` took it
 * seconds, and a viewer could send that to the server. This scanner looks at each character a
 * bounded number of times, whatever the input.
 *
 * Same language as before: `{{`, any characters but braces, then `}}`; the inside is trimmed.
 */
export interface PlaceholderSpan {
  /** Index of the first `{`. */
  start: number;
  /** Index just after the last `}`. */
  end: number;
  /** The text between the braces, trimmed. */
  inner: string;
}

const OPEN = 123; // {
const CLOSE = 125; // }

export function scanPlaceholders(text: string): PlaceholderSpan[] {
  const spans: PlaceholderSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf("{{", from);
    if (start < 0) return spans;
    let i = start + 2;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === OPEN || c === CLOSE) break;
      i++;
    }
    if (text.charCodeAt(i) === CLOSE && text.charCodeAt(i + 1) === CLOSE) {
      spans.push({ start, end: i + 2, inner: text.slice(start + 2, i).trim() });
      from = i + 2;
    } else {
      // No `}}` right after the run: a placeholder can only start at a brace from here on
      // (the characters skipped hold none), so resume at the brace that stopped the run,
      // or one before it when it completes the `{{` we started from (`{{{`).
      from = i === start + 2 ? start + 1 : i;
    }
  }
}

/** The text with each placeholder replaced by what `replace` answers for it. */
export function replacePlaceholders(text: string, replace: (inner: string, match: string) => string): string {
  const spans = scanPlaceholders(text);
  if (spans.length === 0) return text;
  let out = "";
  let last = 0;
  for (const span of spans) {
    out += text.slice(last, span.start) + replace(span.inner, text.slice(span.start, span.end));
    last = span.end;
  }
  return out + text.slice(last);
}
