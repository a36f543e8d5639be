import { describe, expect, it } from "vitest";
import { ALWAYS_UTC, intlOffsetAt, isValidTimeZone, offsetAt } from "./zone.js";

describe("offsetAt", () => {
  // Instants around 1970, 2000, DST changes elsewhere, and far ahead.
  const instants = [0, Date.UTC(2000, 0, 1), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1), Date.UTC(2099, 11, 31, 23, 59)];

  it("answers 0 without Intl only for zones whose offset Intl also reads as 0 at every instant", () => {
    for (const zone of ALWAYS_UTC) {
      expect(isValidTimeZone(zone), zone).toBe(true);
      for (const instant of instants) expect(intlOffsetAt(zone, instant), `${zone} at ${new Date(instant).toISOString()}`).toBe(0);
    }
  });

  it("asks Intl for every other zone", () => {
    expect(offsetAt("Europe/Athens", Date.UTC(2026, 6, 1))).toBe(3 * 3600_000);
    expect(offsetAt("America/New_York", Date.UTC(2026, 0, 1))).toBe(-5 * 3600_000);
    expect(offsetAt("Etc/GMT+5", Date.UTC(2026, 0, 1))).toBe(-5 * 3600_000);
  });
});
