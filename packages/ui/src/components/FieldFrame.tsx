import type { ReactNode } from "react";

export interface ControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/**
 * A labelled control with its hint and its problem under it, both tied to it by
 * aria-describedby. `announce`: the problem is read out when it appears (role="alert").
 */
export function FieldFrame({ id, label, hint, problem, grow, announce, children }: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  problem?: string;
  grow?: boolean;
  announce?: boolean;
  children: (control: ControlProps) => ReactNode;
}) {
  const describedBy = [problem ? `${id}-problem` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ");
  return (
    <div className={grow ? "field grow" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(problem ? { "aria-invalid": true as const } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-error" role={announce ? "alert" : undefined}>
          {problem}
        </p>
      )}
    </div>
  );
}
