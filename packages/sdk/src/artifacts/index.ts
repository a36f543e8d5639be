export { createLinkArtifact, createMarkdownArtifact, createProgressArtifact, createTableArtifact, updateProgressArtifact, type ArtifactOptions } from "./create.js";
