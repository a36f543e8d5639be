import { describe, expect, it } from "vitest";
import { flow } from "../flow/index.js";
import { task } from "../task/index.js";

describe("state hook options", () => {
  it("refuse what is not a function or a list of functions, naming the hook and the shape", () => {
    expect(() => flow({ name: "f", onFailure: "notify" as never }, async () => 1)).toThrow(/flow "f": onFailure must be a function or a list of functions, e\.g\. onFailure: \(\{ flowRun, state, logger \}\) => \.\.\./);
    expect(() => flow({ name: "f", onCompletion: [() => 1, 2] as never }, async () => 1)).toThrow(/onCompletion must be a function or a list/);
    expect(() => flow({ name: "f", hookTimeoutSeconds: 0 }, async () => 1)).toThrow(/hookTimeoutSeconds must be a number > 0, got 0/);
  });

  it("give tasks only the hooks that make sense for a call inside a flow", () => {
    expect(() => task({ name: "t", onCrashed: () => 1 } as never, async () => 1)).toThrow(/task "t": onCrashed is not a hook of this kind of run; it takes onCompletion, onFailure/);
    expect(() => task({ name: "t", onCompletion: () => 1, onFailure: [() => 1] }, async () => 1)).not.toThrow();
  });
});
