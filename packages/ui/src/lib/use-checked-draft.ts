import { useMemo, useState, type FormEvent } from "react";
import { useAction } from "./use-action";

/** What a field with a problem carries: marked invalid, and described by its problem. */
const problemProps = (id: string, text: string | undefined) => (text ? { "aria-invalid": true as const, "aria-describedby": id } : {});

interface Check<F extends string, B> {
  /** What to send, when the draft has no problem. */
  body?: B;
  problems: Partial<Record<F, string>>;
}

/**
 * A create form's draft checked on every keystroke (with core's schema, the server's own check).
 * A field's problem shows from its first keystroke (or its blur), and every problem after a try
 * to send: not on an empty new form.
 */
export function useCheckedDraft<D, F extends string, B>(empty: D | (() => D), checkDraft: (draft: D) => Check<F, B>, problemId: (field: F) => string) {
  const [draft, setDraft] = useState<D>(empty);
  const [touched, setTouched] = useState<Partial<Record<F, boolean>>>({});
  const [tried, setTried] = useState(false);
  const check = useMemo(() => checkDraft(draft), [checkDraft, draft]);
  const action = useAction();
  const problem = (field: F) => (touched[field] || tried ? check.problems[field] : undefined);
  const touchField = (field: F) => setTouched((t) => ({ ...t, [field]: true }));
  return {
    ...action,
    draft,
    set: (next: Partial<D>) => setDraft((d) => ({ ...d, ...next })),
    problem,
    invalid: (field: F) => problemProps(problemId(field), problem(field)),
    touch: (field: F) => () => touchField(field),
    change: (field: F, next: Partial<D>) => {
      touchField(field);
      setDraft((d) => ({ ...d, ...next }));
    },
    /** Sends the checked body with `send`, or shows every problem when it cannot be sent yet. */
    submit: (event: FormEvent, send: (body: B) => Promise<void>) => {
      event.preventDefault();
      setTried(true);
      const body = check.body;
      if (body) void action.run(() => send(body));
    },
  };
}
