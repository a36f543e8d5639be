/**
 * A canonical, type-tagged text form of a value, for cache keys and persisted-result names.
 *
 * JSON is the wrong tool here: it maps distinct values to one form (a Date and its ISO string,
 * 1n and "1", NaN and null, a Map and its entry list), which would let one input's cached result
 * answer another. Every token below starts with a tag naming its type, strings are quoted, and
 * collections are bracketed, so two values share a form only when they are equal in type and
 * content. Object keys, Map entries and Set members are sorted: their insertion order is not
 * part of the value. A shared object is written in full each time it appears; only a true cycle
 * (an object inside itself) is cut, as a back-reference to the ancestor it points to.
 */
export function canonicalForm(value: unknown): string {
  const ancestors: object[] = [];

  const walk = (v: unknown): string => {
    switch (typeof v) {
      case "undefined":
        return "u";
      case "boolean":
        return v ? "b1" : "b0";
      case "number":
        // String(-0) is "0": keep the sign, JSON loses it too.
        return Object.is(v, -0) ? "d-0" : `d${String(v)}`;
      case "bigint":
        return `i${v.toString()}`;
      case "string":
        return `s${JSON.stringify(v)}`;
      case "symbol":
        return `y${JSON.stringify(v.description ?? "")}`;
      case "function":
        // Two functions with one name may differ; their source tells them apart.
        return `f${JSON.stringify(v.name)}${JSON.stringify(Function.prototype.toString.call(v))}`;
    }
    if (v === null) return "n";
    const object = v as object;
    const depth = ancestors.indexOf(object);
    if (depth !== -1) return `^${ancestors.length - depth}`;
    ancestors.push(object);
    try {
      return walkObject(object);
    } finally {
      ancestors.pop();
    }
  };

  const sorted = (items: string[]): string => items.sort().join(",");

  const walkObject = (o: object): string => {
    if (o instanceof Date) return `D${o.getTime()}`;
    if (o instanceof RegExp) return `R${JSON.stringify(String(o))}`;
    if (Array.isArray(o)) return `A[${Array.from(o, (x) => walk(x)).join(",")}]`;
    if (o instanceof Map) return `M{${sorted([...o].map(([k, x]) => `${walk(k)}=>${walk(x)}`))}}`;
    if (o instanceof Set) return `S{${sorted([...o].map((x) => walk(x)))}}`;
    if (ArrayBuffer.isView(o)) {
      const bytes = Buffer.from(o.buffer, o.byteOffset, o.byteLength).toString("hex");
      return `V${o.constructor.name}(${bytes})`;
    }
    if (o instanceof ArrayBuffer) return `B(${Buffer.from(o).toString("hex")})`;
    if (o instanceof Error) return `E${JSON.stringify(o.name)}${JSON.stringify(o.message)}${walkFields(o)}`;
    // A class instance is not the plain object with its fields: keep the class name.
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    const kind = proto === null || proto === Object.prototype ? "" : (proto.constructor?.name ?? "?");
    return `O${JSON.stringify(kind)}${walkFields(o)}`;
  };

  const walkFields = (o: object): string => {
    const record = o as Record<string, unknown>;
    return `{${sorted(Object.keys(record).map((k) => `${JSON.stringify(k)}:${walk(record[k])}`))}}`;
  };

  return walk(value);
}
