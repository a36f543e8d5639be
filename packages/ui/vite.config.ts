import { defineConfig } from "vite";

// The dev server proxies the API to a local `baton dev` (BATON_UI_API overrides where it is),
// so the app always calls `/api` on its own origin, as it does when the server serves it.
const api = process.env.BATON_UI_API ?? "http://127.0.0.1:4200";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { host: "127.0.0.1", proxy: { "/api": { target: api, changeOrigin: false } } },
});
