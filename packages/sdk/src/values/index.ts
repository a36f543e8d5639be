export { getVariable, VariableInvalid, type GetVariableOptions } from "./get-variable.js";
export { getSecret, SecretOutOfScope } from "./get-secret.js";
