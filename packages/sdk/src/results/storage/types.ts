export type { ResultSettings, ResultStorage, ResultStorageSpec } from "../../definition/result-types.js";
