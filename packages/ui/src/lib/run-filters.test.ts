import { describe, expect, test } from "vitest";
import { filtersFromQuery, filtersToApiQuery, filtersToSearch, hasFilters } from "./run-filters";

describe("flow run filters in the URL", () => {
  test("URL -> filters -> API query", () => {
    const filters = filtersFromQuery(new URLSearchParams("state=FAILED,CRASHED&flow=etl&pool=k8s&tag=nightly&since=2026-11-29T00:00:00.000Z&cursor=abc"));
    expect(filters.state).toBe("FAILED,CRASHED");
    expect(filtersToApiQuery(filters, 25)).toEqual({
      limit: 25,
      state: "FAILED,CRASHED",
      flow_name: "etl",
      work_pool_name: "k8s",
      tag: "nightly",
      expected_start_after: "2026-11-29T00:00:00.000Z",
      cursor: "abc",
    });
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters(filtersFromQuery(new URLSearchParams("cursor=abc")))).toBe(false);
  });

  test("filters -> URL leaves empty ones out and round-trips", () => {
    expect(filtersToSearch({ state: "", flow: "etl" })).toBe("?flow=etl");
    expect(filtersToSearch({})).toBe("");
    const search = filtersToSearch({ flow: "a b", tag: "x&y" });
    expect(filtersFromQuery(new URLSearchParams(search)).tag).toBe("x&y");
    expect(filtersFromQuery(new URLSearchParams(search)).flow).toBe("a b");
  });
});
