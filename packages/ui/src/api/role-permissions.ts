// Its own module so that session.tsx can load it lazily: core's role table brings zod with it.
export { ROLE_PERMISSIONS } from "@baton/core";
