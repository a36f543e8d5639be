import { Readable } from "node:stream";
import { BatonError } from "@baton/core";
import type { FastifyInstance } from "fastify";

/**
 * The deepest nesting a JSON body may have. Parsing is iterative, but validating, storing and
 * rendering walk values recursively: a 10,000-deep value overflowed the stack (a 500). No
 * document Baton reads comes near this (a Kubernetes Job manifest in a template is about 12).
 */
export const MAX_BODY_DEPTH = 100;

export class BodyTooDeep extends BatonError {
  override readonly code = "BodyTooDeep";
  override readonly status = 400;
  constructor(path: string) {
    super(`BodyTooDeep: the request body nests objects and lists more than ${MAX_BODY_DEPTH} levels deep (at ${path}); send a flatter document`);
  }
}

interface Node {
  value: unknown;
  depth: number;
  parent?: Node;
  key?: string | number;
}

function pathOf(node: Node): string {
  const keys: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent) keys.unshift(n.key!);
  const path = `body${keys.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("")}`;
  return path.length > 200 ? `${path.slice(0, 200)}...` : path;
}

/**
 * Where the value first goes deeper than `limit`, or undefined. A stack, not recursion, so the
 * check itself cannot overflow; paths are built only for the answer.
 */
export function tooDeepAt(value: unknown, limit = MAX_BODY_DEPTH): string | undefined {
  const stack: Node[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.value === null || typeof node.value !== "object") continue;
    const depth = node.depth + 1;
    if (depth > limit) return pathOf(node);
    if (Array.isArray(node.value)) node.value.forEach((v, i) => stack.push({ value: v, depth, parent: node, key: i }));
    else for (const [k, v] of Object.entries(node.value)) stack.push({ value: v, depth, parent: node, key: k });
  }
  return undefined;
}

/** Refuses too deep a body before any route validates or reads it. */
export function installBodyDepthLimit(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    // A raw body (result bytes) is a stream, read by its route: there is no document to walk.
    if (request.body instanceof Readable) return;
    const at = tooDeepAt(request.body);
    if (at) throw new BodyTooDeep(at);
  });
}
