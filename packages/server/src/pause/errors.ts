import { BatonError } from "@baton/core";

/** A resume's input is stored as a result on the server, so the result limit bounds it too. */
export class ResumeInputTooLarge extends BatonError {
  override readonly code = "ResumeInputTooLarge";
  override readonly status = 413;
  /** `about`: reckoned from the request's length, refused before its body is read. */
  constructor(size: number, limit: number, about = false) {
    super(
      `ResumeInputTooLarge: body.input: an input of ${about ? "about " : ""}${size} bytes (as JSON) is over this server's limit of ${limit} bytes (BATON_SERVER_RESULT_MAX_BYTES, which bounds resume input as it does stored results); ` +
        `pass a smaller input (a reference to the data rather than the data), or raise BATON_SERVER_RESULT_MAX_BYTES where the server runs`,
    );
  }
}
