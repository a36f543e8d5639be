import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import type { Artifact } from "../api/types";

/**
 * One artifact, drawn by its type. Markdown is parsed into React elements, never injected as
 * HTML: raw HTML in it (a `<script>`, an `onerror=`) is dropped (`skipHtml`), and react-markdown's
 * URL check turns `javascript:` links into nothing. Tables are tables; links only http(s).
 */
export function ArtifactView({ artifact }: { artifact: Artifact }) {
  const data = artifact.data as never;
  switch (artifact.type) {
    case "markdown":
      return (
        <div className="artifact-markdown">
          <Markdown remarkPlugins={[remarkGfm]} skipHtml>
            {String(data)}
          </Markdown>
        </div>
      );
    case "table":
      return <ArtifactTable table={data} label={artifact.key ?? artifact.description ?? "Table artifact"} />;
    case "link": {
      const { url, text } = data as { url: string; text: string | null };
      if (!/^https?:\/\//i.test(url)) return <code>{url}</code>;
      return (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {text ?? url}
        </a>
      );
    }
    case "progress": {
      const value = Number(data);
      return (
        <span className="artifact-progress">
          <progress max={100} value={value} aria-label={artifact.description ?? "Progress"} /> {Math.round(value)}%
        </span>
      );
    }
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function ArtifactTable({ table, label }: { table: { columns: string[]; rows: Record<string, unknown>[] }; label: string }) {
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {table.columns.map((c) => (
                <td key={c}>{cell(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
