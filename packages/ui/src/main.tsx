import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, preloadRoute } from "./app/App";
import { applyStoredTheme } from "./app/theme";
import "./styles.css";

applyStoredTheme();
preloadRoute(window.location.pathname);
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
