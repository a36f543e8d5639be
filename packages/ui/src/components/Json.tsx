import { CopyButton } from "./Copy";

export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return (
    <div className="json-block">
      <CopyButton text={text} what={label} />
      <pre aria-label={label}>{text}</pre>
    </div>
  );
}
