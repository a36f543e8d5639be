import { register } from "node:module";
import Module from "node:module";
import { tsImport } from "tsx/esm/api";
register("file:///tmp/exp/hook.mjs", import.meta.url, { data: { target: "file:///tmp/exp/fakebaton.mjs" } });
const orig = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (request === "baton") return "/tmp/exp/fakebaton.mjs";
  return orig.call(this, request, parent, isMain, options);
};
const fb = await import("/tmp/exp/fakebaton.mjs");
const m = await tsImport("/tmp/exp/flows/g.mts", import.meta.url);
console.log(m, m.myFlow?.marker === fb.marker);
