import type { ChangeEvent } from "react";

/**
 * A secret's value: a text area, because the values that matter most are several lines (an
 * OpenSSH private key, a kubeconfig, a PEM certificate) and a one-line input turns their line
 * breaks into spaces, which ssh then rejects. Or read from a file (the key file itself), kept
 * byte for byte. Not echoed back anywhere: the server never returns a value.
 */
export function SecretValueField({ value, onChange }: { value: string; onChange(value: string): void }) {
  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) onChange(await file.text());
    event.target.value = "";
  };
  return (
    <div className="field grow">
      <label htmlFor="secret-value">Secret value</label>
      <textarea
        id="secret-value"
        className="code"
        rows={Math.min(12, Math.max(3, value.split("\n").length))}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        placeholder="Paste the value; several lines (an SSH key) are kept as they are"
      />
      <label className="muted">
        Or read it from a file: <input type="file" aria-label="Secret value from a file" onChange={(e) => void readFile(e)} />
      </label>
    </div>
  );
}
