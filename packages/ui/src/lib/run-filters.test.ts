import { describe, expect, test } from "vitest";
import { columnDirection, countQueryOf, describeTotal, filtersFromQuery, filtersToApiQuery, filtersToSearch, hasFilters, nextColumnOrder, statesOf, toggleState } from "./run-filters";

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
      upcoming: "exclude",
      cursor: "abc",
    });
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters(filtersFromQuery(new URLSearchParams("cursor=abc")))).toBe(false);
  });

  test("runs scheduled for later are left out unless asked for, by the toggle or by state", () => {
    expect(filtersToApiQuery(filtersFromQuery(new URLSearchParams(""))).upcoming).toBe("exclude");
    expect(filtersToApiQuery(filtersFromQuery(new URLSearchParams("upcoming=include"))).upcoming).toBe("include");
    expect(filtersToApiQuery(filtersFromQuery(new URLSearchParams("state=SCHEDULED"))).upcoming).toBe("include");
    expect(hasFilters(filtersFromQuery(new URLSearchParams("upcoming=include")))).toBe(true);
  });

  test("several states at once, and oldest first", () => {
    expect(toggleState("FAILED", "CRASHED", true)).toBe("FAILED,CRASHED");
    expect(toggleState("FAILED,CRASHED", "FAILED", false)).toBe("CRASHED");
    expect(statesOf(" FAILED, ,CRASHED")).toEqual(["FAILED", "CRASHED"]);
    expect(filtersToApiQuery(filtersFromQuery(new URLSearchParams("sort=oldest"))).sort).toBe("created_asc");
    expect(filtersToApiQuery(filtersFromQuery(new URLSearchParams(""))).sort).toBeUndefined();
  });

  test("start and duration orders map to the server's sorts; a heading cycles descending, ascending, default", () => {
    const api = (sort: string) => filtersToApiQuery(filtersFromQuery(new URLSearchParams({ sort }))).sort;
    expect([api("longest"), api("shortest"), api("started-latest"), api("started-earliest")]).toEqual(["duration_desc", "duration_asc", "start_time_desc", "start_time_asc"]);
    expect(api("sideways")).toBeUndefined(); // an old or mistyped link falls back to newest first
    expect([nextColumnOrder("duration", ""), nextColumnOrder("duration", "longest"), nextColumnOrder("duration", "shortest")]).toEqual(["longest", "shortest", ""]);
    expect(nextColumnOrder("start", "longest")).toBe("started-latest");
    expect([columnDirection("start", "started-earliest"), columnDirection("duration", "started-earliest")]).toEqual(["ascending", undefined]);
  });

  test("filters -> URL leaves empty ones out and round-trips", () => {
    expect(filtersToSearch({ state: "", flow: "etl" })).toBe("?flow=etl");
    expect(filtersToSearch({})).toBe("");
    const search = filtersToSearch({ flow: "a b", tag: "x&y" });
    expect(filtersFromQuery(new URLSearchParams(search)).tag).toBe("x&y");
    expect(filtersFromQuery(new URLSearchParams(search)).flow).toBe("a b");
  });
});

describe("the runs total", () => {
  test("counts what the list filters, without its paging or order", () => {
    expect(countQueryOf({ limit: 50, cursor: "c", sort: "created_asc", state: "FAILED", upcoming: "exclude" })).toEqual({ state: "FAILED", upcoming: "exclude" });
  });
  test("reads as a number of runs, with + past the server's cap", () => {
    expect(describeTotal({ count: 1, capped: false })).toBe("1 run");
    expect(describeTotal({ count: 1234, capped: false })).toBe("1,234 runs");
    expect(describeTotal({ count: 10000, capped: true })).toBe("10,000+ runs");
  });
});
