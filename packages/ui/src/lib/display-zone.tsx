import { createContext, useContext, useState } from "react";
import { displayTimeZone } from "./time";

/**
 * The display zone the layout's switch sets, handed down so a switch draws every time again
 * without remounting the page: what is typed into a form and not yet sent stays.
 */
export const DisplayZoneContext = createContext<"local" | "UTC" | null>(null);

/** The zone as the formatters take it: "UTC", or undefined for the viewer's own. */
export function useDisplayZone(): "UTC" | undefined {
  // Outside the layout (a page drawn alone, in a test) the stored choice is the zone.
  const zone = useContext(DisplayZoneContext) ?? displayTimeZone();
  return zone === "UTC" ? "UTC" : undefined;
}

/**
 * The display zone, calling `moved` in the render that sees it change: wall times a form holds
 * as typed (datetime-local text) move to the new zone before they are drawn, so they keep
 * standing for the same instant.
 */
export function useZoneChange(moved: (from: "UTC" | undefined, to: "UTC" | undefined) => void): "UTC" | undefined {
  const zone = useDisplayZone();
  const [seen, setSeen] = useState(zone);
  if (seen !== zone) {
    setSeen(zone);
    moved(seen, zone);
  }
  return zone;
}
