import { useState, type ComponentType } from "react";
import { ErrorAlert } from "./ErrorAlert";

/** What a create form is given: it calls one of these when done. */
export interface CreateFormProps {
  onCreated: (name: string) => void;
  onCancel: () => void;
}

/**
 * The top of a list page that can add to its list: a "New …" button (for those allowed), the
 * create form in its place while open, what the last change did, and what went wrong.
 */
export function CreatePanel({ allowed, buttonLabel, done, error, form: Form, onCreated }: {
  allowed: boolean;
  buttonLabel: string;
  done: string;
  error: Error | undefined;
  form: ComponentType<CreateFormProps>;
  /** After the form created `name` (the panel has closed it). */
  onCreated: (name: string) => void;
}) {
  const [creating, setCreating] = useState(false);
  return (
    <>
      {allowed && !creating && (
        <div className="buttons">
          <button type="button" onClick={() => setCreating(true)}>
            {buttonLabel}
          </button>
        </div>
      )}
      {allowed && creating && (
        <Form
          onCancel={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            onCreated(name);
          }}
        />
      )}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      <ErrorAlert error={error} />
    </>
  );
}
