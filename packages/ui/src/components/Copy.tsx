import { useState } from "react";
import { formatLocal, formatUtc } from "../lib/time";
import { useDisplayZone } from "../lib/display-zone";

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on another host has no clipboard API: the old way still works.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CopyButton({ text, what }: { text: string; what: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`Copy ${what}`}
      title={`Copy ${what}`}
      onClick={() => {
        void copyText(text).then(() => {
          setDone(true);
          window.setTimeout(() => setDone(false), 1200);
        });
      }}
    >
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        {done ? (
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />
        ) : (
          <path d="M5 1.5h7.5a1 1 0 0 1 1 1V11M3.5 4.5h6a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1h-6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z" fill="none" stroke="currentColor" strokeWidth="1.3" />
        )}
      </svg>
    </button>
  );
}

/** A timestamp in the viewer's zone, UTC on hover, copyable as ISO. */
export function Time({ iso, copy = true }: { iso: string | null | undefined; copy?: boolean }) {
  const zone = useDisplayZone();
  if (!iso) return <span className="muted">–</span>;
  return (
    <span className="nowrap">
      <time dateTime={iso} title={formatUtc(iso)}>
        {formatLocal(iso, zone)}
      </time>
      {copy && <CopyButton text={iso} what="time" />}
    </span>
  );
}

/** An ID shortened for the eye, whole in the title and the clipboard. */
export function Id({ id }: { id: string }) {
  return (
    <span className="nowrap">
      <code title={id}>{id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id}</code>
      <CopyButton text={id} what="ID" />
    </span>
  );
}
