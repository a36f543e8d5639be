// Loaded (async) by index.html beside the bundle: asks for the session while the bundle still
// downloads and parses, so the app's first request is already answered when it starts.
// A file, not an inline script: the server's Content-Security-Policy allows scripts from 'self' only.
window.__batonSession = fetch("/api/auth/session", { headers: { accept: "application/json" }, credentials: "same-origin" });
